/**
 * Entry of a parser process (forked by ParserPool with tsx loaded). Receives ParseRequestMessages
 * over IPC, parses their files one by one, and sends one ParseResultMessage per file as soon as it
 * is done (so the parent knows which file a hang or crash belongs to).
 */
import { registerDagModuleHooks } from './module-loading.js';
import { endWithParent, sendToParent, watchForOrphaning } from './orphan-watchdog.js';
import { parseDagFile } from './parse-file.js';
import type { ParseRequestMessage, ParseResultMessage, ParseSkipMessage } from './types.js';

if (typeof process.send !== 'function') {
  process.stderr.write('parser-child: must be started with an IPC channel (child_process.fork)\n');
  process.exit(2);
}
registerDagModuleHooks();
watchForOrphaning();
endWithParent('parser-child');

// Requests are handled strictly one after another.
let pending: Promise<void> = Promise.resolve();
/** requestId -> index from which the parent took the request's files back (a slow file held them up). */
const skipFrom = new Map<number, number>();

async function handle(request: ParseRequestMessage): Promise<void> {
  for (let index = 0; index < request.jobs.length; index++) {
    // Let a skip message that arrived during the previous file be seen before the next one starts.
    await new Promise((resolve) => setImmediate(resolve));
    if (index >= (skipFrom.get(request.requestId) ?? Infinity)) break;
    const result = await parseDagFile(request.jobs[index]!, request.defaultTimezone);
    const message: ParseResultMessage = { type: 'result', requestId: request.requestId, index, result };
    sendToParent(message);
  }
}

process.on('message', (message: ParseRequestMessage | ParseSkipMessage) => {
  if (message?.type === 'skip') {
    skipFrom.set(message.requestId, message.from);
    return;
  }
  if (message?.type !== 'parse') return;
  pending = pending.then(() => handle(message)).finally(() => skipFrom.delete(message.requestId));
});

// Loaded (SDK and TypeScript loader warm): the parent starts per-file timeouts from here.
sendToParent({ type: 'ready' });
