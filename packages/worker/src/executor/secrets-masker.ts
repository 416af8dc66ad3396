/**
 * Airflow's secrets masker for one task's log: every line written to the try's log (header,
 * output, footer) has each known secret value replaced by `***`. Secrets are added when the claim
 * answer lists them (values templates rendered into the command) and when the task fetches a
 * connection or variable. Values shorter than MIN_LENGTH are not masked (as Airflow's
 * `min_length_masked_secret`: masking "a" or "no" would ruin a log and hide nothing); a multi-line
 * secret is masked line by line, since the log is written per line.
 */
import { MASK } from '@updraft/core';

export const MIN_LENGTH = 5;

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export class SecretsMasker {
  private readonly secrets = new Set<string>();
  private pattern: RegExp | null = null;

  /** Adds values to mask from now on. */
  add(values: Iterable<string>): void {
    let changed = false;
    for (const value of values) {
      for (const part of value.split(/\r?\n/)) {
        if (part.length >= MIN_LENGTH && !this.secrets.has(part)) {
          this.secrets.add(part);
          changed = true;
        }
      }
    }
    // Longest first, so a secret that contains another is masked whole.
    if (changed) this.pattern = new RegExp([...this.secrets].sort((a, b) => b.length - a.length).map(escape).join('|'), 'g');
  }

  get size(): number {
    return this.secrets.size;
  }

  /** `text` with every known secret replaced by `***`. */
  redact(text: string): string {
    return this.pattern === null ? text : text.replace(this.pattern, MASK);
  }
}
