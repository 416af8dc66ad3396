/**
 * Small helpers every package uses, one home each: error messages, sleeping, text truncation and
 * coalescing of repeated requests.
 */

/** The message of anything thrown (an Error's message, else its string form). */
export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** `text` cut to at most `max` characters, with how much was cut (for values quoted in errors). */
export function truncate(text: string, max = 200): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}... (${text.length - max} more characters)`;
}

/** Resolves after `ms`, or at once when `signal` is (or becomes) aborted. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done);
  });
}

interface CoalescerSlot<T> {
  running: Promise<T>;
  next: Promise<T> | undefined;
}

/**
 * Runs work per key at most one at a time. A call while the key's work runs does not start a
 * second copy: it is served by ONE more run after the current one (a request that arrives mid-run
 * may concern something the current run already looked past), shared by every call made
 * meanwhile.
 */
export class Coalescer<T> {
  private readonly slots = new Map<string, CoalescerSlot<T>>();

  run(key: string, fn: () => Promise<T>): Promise<T> {
    const slot = this.slots.get(key);
    if (slot === undefined) return this.start(key, fn);
    slot.next ??= slot.running.then(() => undefined, () => undefined).then(() => {
      slot.next = undefined;
      return this.start(key, fn, slot);
    });
    return slot.next;
  }

  /** Resolves when no work of any key runs or waits (errors are the callers'). */
  async idle(): Promise<void> {
    while (this.slots.size > 0) {
      await Promise.allSettled([...this.slots.values()].flatMap((s) => (s.next ? [s.running, s.next] : [s.running])));
    }
  }

  private start(key: string, fn: () => Promise<T>, slot?: CoalescerSlot<T>): Promise<T> {
    const running = fn();
    const s = slot ?? { running, next: undefined };
    s.running = running;
    this.slots.set(key, s);
    void running.then(() => undefined, () => undefined).then(() => {
      if (s.running === running && s.next === undefined) this.slots.delete(key);
    });
    return running;
  }
}
