/** Runs `stop` once on the first SIGINT/SIGTERM; a second signal exits at once. */
export function onShutdownSignal(stop: (signal: NodeJS.Signals) => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    let stopping = false;
    const handler = (signal: NodeJS.Signals): void => {
      if (stopping) {
        process.stderr.write(`\nupdraft: second ${signal}, exiting now\n`);
        process.exit(130);
      }
      stopping = true;
      stop(signal).then(
        () => resolve(),
        (err: unknown) => {
          process.stderr.write(`updraft: error while stopping: ${String(err)}\n`);
          process.exitCode = 1;
          resolve();
        },
      );
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}
