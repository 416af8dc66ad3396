/**
 * Importing DAG files in a process: every import is fresh (a new module instance per call, so a
 * changed or re-parsed file is executed again), and '@updraft/sdk' resolves to this process's SDK
 * wherever the file lives. Used by parser processes; workers use it to load function tasks.
 */
import { existsSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
let hooksRegistered = false;
let importCounter = 0;

/**
 * File URL of the TypeScript loader (tsx) for `--import` in processes that load user code: DAG
 * files in parser processes, function tasks in task runners. The project's own code is compiled;
 * only these children load tsx.
 */
export function tsxLoaderUrl(): string {
  return pathToFileURL(require.resolve('tsx')).href;
}

/**
 * Path of a module next to `moduleUrl` with the same extension as that module: `runner-child.js`
 * beside a compiled `runner-process.js` (and `.ts` beside `.ts` when tests load sources).
 */
export function siblingEntry(moduleUrl: string, baseName: string): string {
  return fileURLToPath(new URL(`./${baseName}${extname(fileURLToPath(moduleUrl))}`, moduleUrl));
}

/** File URL of the SDK entry this process uses. */
export function sdkEntryUrl(): string {
  return import.meta.resolve('@updraft/sdk');
}

/**
 * The node_modules directory that holds @updraft/sdk, for NODE_PATH of child processes (so a
 * DAG file compiled to CommonJS can `require('@updraft/sdk')` from anywhere). Undefined if none.
 */
export function sdkNodeModulesDir(): string | undefined {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules');
    if (existsSync(join(candidate, '@updraft', 'sdk'))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

/** Registers the '@updraft/sdk' resolve hook in this process (once). */
export function registerDagModuleHooks(): void {
  if (hooksRegistered) return;
  hooksRegistered = true;
  register(pathToFileURL(siblingEntry(import.meta.url, 'sdk-resolve-hooks')), { data: { sdkUrl: sdkEntryUrl() } });
}

/**
 * Imports the DAG file at absolute `path` as a fresh module instance and returns its namespace.
 * Needs a TypeScript loader (tsx) in the process for .ts files. Each call leaves a module in the
 * process's cache (ESM cannot unload): processes that import many files should be recycled.
 */
export async function importDagFile(path: string): Promise<Record<string, unknown>> {
  registerDagModuleHooks();
  // A file compiled as CommonJS is cached by path: forget it so it runs again.
  delete require.cache[path];
  importCounter += 1;
  const url = `${pathToFileURL(path).href}?updraft_import=${process.pid}-${importCounter}`;
  return (await import(url)) as Record<string, unknown>;
}
