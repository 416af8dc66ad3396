// Generates packages/core/src/proto from proto/ with ts-proto through the npm-shipped buf binary.
// Generated files are never edited by hand; test/unit/proto-fresh.test.ts fails when they are stale.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = process.argv[2] ?? 'packages/core/src/proto';
rmSync(`${root}/${out}`, { recursive: true, force: true });
const template = out === 'packages/core/src/proto' ? 'buf.gen.yaml' : JSON.stringify({
  version: 'v2',
  plugins: [{
    local: 'node_modules/.bin/protoc-gen-ts_proto', out,
    opt: ['outputServices=grpc-js', 'esModuleInterop=true', 'importSuffix=.js', 'useOptionals=none', 'forceLong=number', 'env=node'],
  }],
  inputs: [{ directory: 'proto' }],
});
execFileSync(`${root}/node_modules/.bin/buf`, ['generate', '--template', template], { cwd: root, stdio: 'inherit' });
