/**
 * A maintenance job of the leading scheduler that runs once after `firstDelayMs`, then every 24
 * hours until stopped. A failing pass is logged and tried again the next day; stop() waits for a
 * pass under way.
 */
import { messageOf, type Logger } from '@updraft/core';

const DAY_MS = 86_400_000;

export function runDaily(what: string, firstDelayMs: number, pass: () => Promise<void>, logger: Logger): { stop(): Promise<void> } {
  let running: Promise<void> | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const run = (): void => {
    running = pass().catch((err: unknown) => logger.warn({ err: messageOf(err) }, `${what} failed (tried again tomorrow)`));
    void running.finally(() => {
      if (!stopped) timer = setTimeout(run, DAY_MS).unref();
    });
  };
  timer = setTimeout(run, firstDelayMs).unref();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
