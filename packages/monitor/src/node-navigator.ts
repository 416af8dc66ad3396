/**
 * Node 20 has no `navigator` (Node 21 added it). Without one, `pg` tells Node from Cloudflare
 * Workers by constructing a fetch `Response` when it loads, which loads Node's whole fetch
 * implementation (undici): about 8 MB of the idle monitor's resident memory for a module it never
 * uses. The monitor process therefore gets the `navigator` Node 21 and later define (same
 * properties and values) before `pg` loads; on those versions this does nothing. Imported first by
 * the package entry, so importing `@updraft/monitor` before `@updraft/core/data` is enough.
 */
import { availableParallelism } from 'node:os';

if (!('navigator' in globalThis)) {
  // Getters, as Node's own: reading the locale loads ICU data, which only a caller that asks pays.
  const language = (): string => Intl.DateTimeFormat().resolvedOptions().locale;
  const navigator = Object.defineProperties({}, {
    hardwareConcurrency: { get: availableParallelism, enumerable: true },
    language: { get: language, enumerable: true },
    languages: { get: () => [language()], enumerable: true },
    platform: { value: process.platform, enumerable: true },
    userAgent: { value: `Node.js/${process.versions.node.split('.')[0]}`, enumerable: true },
  });
  Object.defineProperty(globalThis, 'navigator', { value: navigator, configurable: true, writable: true, enumerable: false });
}
