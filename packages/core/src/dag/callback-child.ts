/**
 * Entry of a callback process (forked by CallbackProcess with tsx loaded): imports the DAG file
 * of each request, finds the callback the request names and runs it with the request's context.
 * One request at a time; the parent enforces the timeout by killing this process.
 */
import { getCallback, invokeCallback, resetRegistry } from '@updraft/sdk';
import { importDagFile, registerDagModuleHooks } from './module-loading.js';
import { endWithParent, sendToParent, watchForOrphaning } from './orphan-watchdog.js';
import type { CallbackRequestMessage, CallbackResultMessage } from './callback-process.js';

if (typeof process.send !== 'function') {
  process.stderr.write('callback-child: must be started with an IPC channel (child_process.fork)\n');
  process.exit(2);
}
registerDagModuleHooks();
watchForOrphaning();
endWithParent('callback-child');

let pending: Promise<void> = Promise.resolve();

async function handle(m: CallbackRequestMessage): Promise<void> {
  let error: string | null = null;
  try {
    resetRegistry();
    await importDagFile(m.path);
    await invokeCallback(getCallback(m.dagId, m.taskId, m.event), m.context);
  } catch (err) {
    error = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  } finally {
    resetRegistry();
  }
  const reply: CallbackResultMessage = { type: 'result', id: m.id, error };
  sendToParent(reply);
}

process.on('message', (m: CallbackRequestMessage) => {
  if (m?.type !== 'run') return;
  pending = pending.then(() => handle(m));
});
sendToParent({ type: 'ready' });
