/**
 * One timer for many waiting items: `add` queues an item and arms the timer unless it is armed;
 * when it fires, every item queued by then is handed to `run`, in the order added. Many short
 * tasks then cost one timer, and what they do at its end happens in one turn of the event loop
 * (one write to a file or a socket for all of them).
 */
export class SharedTimer<T> {
  private readonly waiting = new Set<T>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ms: number,
    private readonly run: (item: T) => void,
  ) {}

  add(item: T): void {
    this.waiting.add(item);
    this.timer ??= setTimeout(() => this.fire(), this.ms);
  }

  /** Takes `item` out (it is dealt with now); true when it was waiting. */
  delete(item: T): boolean {
    return this.waiting.delete(item);
  }

  private fire(): void {
    this.timer = undefined;
    const items = [...this.waiting];
    this.waiting.clear();
    for (const item of items) this.run(item);
  }
}
