/**
 * updraft-provider-example: one task type, `wordCount`, built on the SDK's public API only. A
 * provider is an npm package exporting functions like this one; a DAG file imports it by name,
 * and the bundle's package.json + package-lock.json bring it to every worker (docs/providers.md).
 *
 *     import { wordCount } from 'updraft-provider-example';
 *     wordCount(d, 'count', { text: 'orders of {ds}', minWords: 2 });
 */
import { DagDefinitionError } from '@updraft/sdk';

const OWN_KEYS = ['text', 'minWords'];

/**
 * Adds a task that counts the words of `text` (`{ds}` and `{run_id}` replaced when the task runs),
 * logs the count, fails when there are fewer than `minWords`, and returns `{ words, text }` as its
 * XCom. Options are checked when the DAG is defined: a bad one is an import error naming the task.
 */
export function wordCount(d, taskId, options) {
  if (options === null || typeof options !== 'object') {
    throw new DagDefinitionError('invalid', `wordCount task '${taskId}': options must be an object`);
  }
  const { text, minWords = 0 } = options;
  if (typeof text !== 'string') throw new DagDefinitionError('invalid', `wordCount task '${taskId}': text must be a string`);
  if (!Number.isInteger(minWords) || minWords < 0) {
    throw new DagDefinitionError('invalid', `wordCount task '${taskId}': minWords must be an integer >= 0`);
  }
  // Everything else (retries, queue, pool, ...) is the task's settings, as for d.fn.
  const settings = Object.fromEntries(Object.entries(options).filter(([k]) => !OWN_KEYS.includes(k)));
  return d.fn(taskId, (ctx) => {
    const rendered = text.replaceAll('{ds}', ctx.ds).replaceAll('{run_id}', ctx.runId);
    const words = rendered.split(/\s+/).filter((w) => w !== '').length;
    ctx.log(`wordCount: ${words} words in ${JSON.stringify(rendered)}`);
    if (words < minWords) throw new Error(`wordCount task '${taskId}': ${words} words, fewer than ${minWords}`);
    return { words, text: rendered };
  }, settings);
}
