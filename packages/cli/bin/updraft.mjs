#!/usr/bin/env node
// Entry point of the `updraft` command. The packages ship TypeScript sources; tsx compiles them
// on load so that `npm install` is the only set-up step (no build needed to run).
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../src/main.ts');
await main(process.argv.slice(2));
