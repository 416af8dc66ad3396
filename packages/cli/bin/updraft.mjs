#!/usr/bin/env node
// Entry point of the `updraft` command: runs the compiled CLI (packages/cli/dist). `npm install`
// builds it (the root `prepare` script); after changing the sources, `npm run build`.
let main;
try {
  ({ main } = await import('../dist/main.js'));
} catch (err) {
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' || !String(err.message).includes('dist/main.js')) throw err;
  process.stderr.write('updraft: the CLI is not built; run `npm run build` in the repository (npm install does it too)\n');
  process.exit(1);
}
await main(process.argv.slice(2));
