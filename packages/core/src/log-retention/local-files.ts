/**
 * Retention of task log files on this host: deletes the files below the log folder last modified
 * before a cutoff (at most `limit` per call: the next call goes on), then the folders left empty.
 * Used by the scheduler's daily job and by each worker for its own folder.
 */
import { readdir, rmdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export interface LocalLogCleanup {
  deleted: number;
  /** Files that could not be deleted (permissions, gone meanwhile). */
  failed: number;
}

export async function deleteOldLogFiles(folder: string, cutoff: Date, limit: number): Promise<LocalLogCleanup> {
  const result: LocalLogCleanup = { deleted: 0, failed: 0 };
  const cutoffMs = cutoff.getTime();
  // Depth first; returns whether the folder is empty afterwards.
  const visit = async (dir: string): Promise<boolean> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      return false;
    }
    let left = entries.length;
    for (const e of entries) {
      if (result.deleted >= limit) return false;
      const path = join(dir, e.name);
      if (e.isDirectory()) {
        if (await visit(path)) {
          await rmdir(path).then(() => (left -= 1), () => undefined);
        }
      } else if (e.isFile() && e.name.endsWith('.log')) {
        try {
          if ((await stat(path)).mtimeMs >= cutoffMs) continue;
          await unlink(path);
          result.deleted += 1;
          left -= 1;
        } catch {
          result.failed += 1;
        }
      }
    }
    return left === 0;
  };
  await visit(folder);
  return result;
}
