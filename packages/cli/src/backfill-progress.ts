/**
 * Following a backfill from the CLI: a progress bar redrawn in place on a terminal (runs done of
 * total, failures, running, ETA), plain lines when the output is a pipe or a file (one per change).
 * Reads the backfill's row; the job itself lives in the database and goes on without the CLI.
 */
import type { backfillsSql } from '@updraft/core';
import { formatDuration } from './output.js';

type BackfillView = backfillsSql.BackfillView;

const BAR_WIDTH = 30;

/** `[#########.....] 12/30 runs, 1 failed, 3 running, ETA 2 min 10 s` */
export function progressLine(b: BackfillView, now: Date, bar: boolean): string {
  const total = b.runs.total;
  const done = b.runs.success + b.runs.failed;
  const parts = [`${done}/${total} runs done`, `${b.runs.failed} failed`, `${b.runs.running} running`];
  if (b.skippedIntervals > 0) parts.push(`${b.skippedIntervals} interval(s) skipped`);
  if (b.state !== 'running') parts.push(b.state);
  else if (done > 0 && done < total && b.firstStartedAt !== null) {
    const perRun = (now.getTime() - b.firstStartedAt.getTime()) / done;
    parts.push(`ETA ${formatDuration(Math.round(perRun * (total - done)))}`);
  }
  if (!bar) return `backfill ${b.id} of ${b.dagId}: ${parts.join(', ')}`;
  const filled = total === 0 ? BAR_WIDTH : Math.round((done / total) * BAR_WIDTH);
  return `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}] ${parts.join(', ')}`;
}

export const isFinished = (b: BackfillView): boolean => b.state === 'completed' || b.state === 'cancelled';

export interface FollowOptions {
  read: () => Promise<BackfillView | null>;
  out: NodeJS.WriteStream;
  intervalMs?: number;
  /** Resolves when the user asked to stop following (Ctrl-C). */
  detach: Promise<void>;
}

/** Shows progress until the backfill ends (resolves with it) or the user detaches (resolves null). */
export async function followBackfill(o: FollowOptions): Promise<BackfillView | null> {
  const tty = o.out.isTTY === true;
  let last = '';
  let detached = false;
  void o.detach.then(() => {
    detached = true;
  });
  for (;;) {
    const b = await o.read();
    if (b === null) return null;
    const line = progressLine(b, new Date(), tty);
    if (line !== last) {
      o.out.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
      last = line;
    }
    if (isFinished(b)) {
      if (tty) o.out.write('\n');
      return b;
    }
    await Promise.race([new Promise((r) => setTimeout(r, o.intervalMs ?? 1000)), o.detach]);
    if (detached) {
      if (tty) o.out.write('\n');
      return null;
    }
  }
}
