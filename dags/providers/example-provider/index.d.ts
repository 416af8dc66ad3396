import type { Params, Task, TaskArgs, TaskFactory } from '@updraft/sdk';

export interface WordCountOptions extends TaskArgs {
  /** The text; `{ds}` and `{run_id}` are replaced when the task runs. */
  text: string;
  /** Fewer words fail the task. Default 0. */
  minWords?: number;
}

/** Adds a task counting the words of `text` to `d` (a DAG or task group); its XCom is `{ words, text }`. */
export declare function wordCount<P extends Params>(
  d: Pick<TaskFactory<P>, 'fn'>, taskId: string, options: WordCountOptions,
): Task<{ words: number; text: string }>;
