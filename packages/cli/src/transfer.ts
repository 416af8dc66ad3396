/** Import and export files of the admin commands (connections, variables, pools): `-` is stdin/stdout. */
import { readFileSync, writeFileSync } from 'node:fs';
import { UpdraftError } from '@updraft/core';

export function readTransferFile(file: string): string {
  try {
    return file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  } catch (err) {
    throw new UpdraftError('INVALID_ARGUMENT', `cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
}

export function writeTransferFile(file: string, text: string): void {
  if (file === '-') {
    process.stdout.write(text);
    return;
  }
  try {
    writeFileSync(file, text, { mode: 0o600 });
  } catch (err) {
    throw new UpdraftError('INVALID_ARGUMENT', `cannot write ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** A JSON object read from `file` (import files hold one object keyed by id). */
export function readJsonObject(file: string, text = readTransferFile(file)): Record<string, unknown> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new UpdraftError('INVALID_ARGUMENT', `${file} is not valid JSON: ${(err as Error).message}`, { cause: err });
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) {
    throw new UpdraftError('INVALID_ARGUMENT', `${file} must hold a JSON object keyed by id`);
  }
  return doc as Record<string, unknown>;
}

/** Every item of a paged listing (pages of 500). */
export async function allPages<T>(list: (page: { limit: number; offset: number }) => Promise<{ items: T[]; total: number }>): Promise<T[]> {
  const out: T[] = [];
  for (let offset = 0; ; offset += 500) {
    const { items } = await list({ limit: 500, offset });
    out.push(...items);
    if (items.length < 500) return out;
  }
}
