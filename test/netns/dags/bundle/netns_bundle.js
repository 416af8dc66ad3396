import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { dag } from '@updraft/sdk';
import { caserVersion, shout } from 'netns-caser';
import { transform } from './lib/transform.js';

/**
 * A DAG of a bundle with a local module (./lib/transform.ts) and an npm package the bundle
 * declares (`netns-caser`, vendored in the bundle as a tarball and pinned in its lockfile).
 * `first` and `second` return what both say and where they were loaded from; `hold` keeps the run
 * between them until `<conf.work_dir>/release` exists, so the module can change mid-run.
 */
export default dag({ dagId: 'netns_bundle', schedule: null, description: 'local module and vendored package of a DAG bundle' }, (d) => {
  const result = (task) => ({
    ...transform(task),
    said: shout(task),
    caser: caserVersion,
    caserFrom: import.meta.resolve('netns-caser'),
    hostname: hostname(),
  });
  const first = d.fn('first', () => result('first'));
  const hold = d.fn('hold', async (ctx) => {
    const file = join(String(ctx.conf.work_dir), 'release');
    for (let i = 0; i < 1200 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 100));
    if (!existsSync(file)) throw new Error(`${file} never appeared`);
    return true;
  });
  const second = d.fn('second', () => result('second'));
  first.then(hold).then(second);
});
