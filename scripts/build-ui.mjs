// Builds the web UI (packages/ui -> packages/ui/dist/app) with Vite, unless the build is newer
// than every source file of the UI (then it says so and does nothing; `--force` builds anyway).
// Run by `npm run build`, `npm ci` (prepare) and `npm test`, so the webserver always has a UI
// to serve.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const ui = join(root, 'packages/ui');
const built = join(ui, 'dist/app/index.html');

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const sources = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json'].map((p) => join(ui, p));
const force = process.argv.includes('--force');
if (!force && existsSync(built) && newest(built) >= Math.max(...sources.map(newest), newest(join(root, 'package-lock.json')))) {
  process.stdout.write('web UI is up to date (packages/ui/dist/app)\n');
  process.exit(0);
}
const vite = join(root, 'node_modules/vite/bin/vite.js');
const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: ui, stdio: 'inherit' });
if (r.status !== 0) {
  process.stderr.write('the web UI did not build (see above)\n');
  process.exit(r.status ?? 1);
}
process.stdout.write('web UI built into packages/ui/dist/app\n');
