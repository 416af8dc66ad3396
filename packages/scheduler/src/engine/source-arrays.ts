/**
 * The arrays that mapped tasks expand over, as their (unmapped) source tasks returned them, kept
 * in memory while the mapped instances are claimed. Each claim hands its instance its element
 * (`ctx.item`); reading it from the database took a statement per claim batch that parsed the
 * whole array again for every row (a third of the statements of the mapping bench).
 *
 * One read per run and source task. An entry is forgotten when its source task ends a try (a new
 * try may return another array), and the least recently used go first past `max` entries. A
 * scheduler that becomes leader starts with none (each leader term has its own engine).
 */
export interface SourceRef {
  dagId: string;
  runId: string;
  taskId: string;
}

/** Reads a source task's return value (JSON text), or null/undefined when it has none. */
export type ReadReturnValue = (ref: SourceRef) => Promise<string | null | undefined>;

export class SourceArrays {
  private readonly entries = new Map<string, Promise<unknown[] | null>>();

  constructor(
    private readonly read: ReadReturnValue,
    private readonly max = 32,
  ) {}

  /** The JSON of element `index` of the source's array; 'null' when there is none (as the SQL read gave). */
  async item(ref: SourceRef, index: number): Promise<string> {
    const array = await this.array(ref);
    return JSON.stringify(array?.[index] ?? null);
  }

  /** The source task ended a try: its array is read again when next needed. */
  forget(ref: SourceRef): void {
    this.entries.delete(keyOf(ref));
  }

  /** The source's array; null when it returned none (as the SQL read gave). */
  array(ref: SourceRef): Promise<unknown[] | null> {
    const key = keyOf(ref);
    let entry = this.entries.get(key);
    if (entry !== undefined) {
      this.entries.delete(key); // most recently used last
    } else {
      entry = this.read(ref).then((json) => {
        const value: unknown = json === null || json === undefined ? null : JSON.parse(json);
        return Array.isArray(value) ? value : null;
      });
      // Neither a failed read nor a missing value is kept: the next claim reads again.
      entry.then((a) => { if (a === null) this.drop(key, entry!); }, () => this.drop(key, entry!));
    }
    this.entries.set(key, entry);
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
    return entry;
  }

  private drop(key: string, entry: Promise<unknown[] | null>): void {
    if (this.entries.get(key) === entry) this.entries.delete(key);
  }
}

const keyOf = (ref: SourceRef): string => JSON.stringify([ref.dagId, ref.runId, ref.taskId]);
