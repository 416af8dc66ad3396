/**
 * Serves the built web UI (packages/ui/dist/app): files under /assets/ have content hashes in
 * their names and are cached for a year; the app's page paths (UI_PAGES) get index.html
 * (no-cache), so deep links like /dags/etl/runs/r1/tasks/load?try=2 load the app.
 * Only files present in the build folder at start are served (no path from the request ever
 * reaches the file system), gzip-compressed once and kept in memory.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.map': 'application/json',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.map', '.txt']);
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * The single-page app's own pages (its router's top-level paths): these and everything below them
 * get index.html. Any other path that is not a file of the build stays the server's 404.
 */
export const UI_PAGES = ['/dags', '/runs', '/login', '/admin', '/dependencies', '/task-instances'];
/**
 * Pages matched exactly: the assets page is /assets (one asset is ?uri=), while /assets/ holds the
 * build's files, where a file that is not there must stay a 404 (not the app's page).
 */
export const UI_EXACT_PAGES = ['/assets'];

export interface UiFile {
  body: Buffer;
  gzip?: Buffer;
  type: string;
  cacheControl: string;
}

export interface UiAssets {
  /** The build folder, or undefined when the UI has not been built. */
  readonly dir: string | undefined;
  /** The file to answer a GET of this URL path with, or undefined (not a UI path). */
  lookup(urlPath: string): UiFile | undefined;
}

/** Where `npm run build` puts the UI: the dist/app folder of the @updraft/ui package. */
export function defaultUiDir(): string | undefined {
  try {
    const pkg = createRequire(import.meta.url).resolve('@updraft/ui/package.json');
    const dir = join(dirname(pkg), 'dist', 'app');
    return existsSync(join(dir, 'index.html')) ? dir : undefined;
  } catch {
    return undefined;
  }
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listFiles(path));
    else out.push(path);
  }
  return out;
}

const NOT_BUILT = `<!doctype html><meta charset="utf-8"><title>Updraft</title>
<p>The web UI has not been built. Run <code>npm run build</code> (or <code>npm ci</code>) in the Updraft folder, then restart the webserver.</p>`;

export function loadUiAssets(dir: string | undefined = defaultUiDir()): UiAssets {
  const files = new Map<string, UiFile>();
  if (dir && existsSync(join(dir, 'index.html'))) {
    for (const path of listFiles(dir)) {
      const ext = extname(path);
      const url = `/${relative(dir, path).split(sep).join('/')}`;
      const body = readFileSync(path);
      files.set(url, {
        body,
        ...(COMPRESSIBLE.has(ext) && body.length > 1024 ? { gzip: gzipSync(body, { level: 9 }) } : {}),
        type: TYPES[ext] ?? 'application/octet-stream',
        cacheControl: url.startsWith('/assets/') ? IMMUTABLE : 'no-cache',
      });
    }
  } else {
    dir = undefined;
  }
  const index: UiFile = files.get('/index.html') ?? { body: Buffer.from(NOT_BUILT), type: TYPES['.html']!, cacheControl: 'no-cache' };
  return {
    dir,
    lookup(urlPath) {
      if (urlPath === '/' || urlPath === '/index.html') return index;
      const file = files.get(urlPath);
      if (file) return file;
      if (UI_EXACT_PAGES.includes(urlPath)) return index;
      return UI_PAGES.some((p) => urlPath === p || urlPath.startsWith(`${p}/`)) ? index : undefined;
    },
  };
}

/** Chooses the body to send: the gzip form when the client accepts it. */
export function uiResponse(file: UiFile, acceptEncoding: string | undefined): { headers: Record<string, string>; body: Buffer } {
  const useGzip = file.gzip !== undefined && /\bgzip\b/.test(acceptEncoding ?? '');
  const headers: Record<string, string> = {
    'content-type': file.type,
    'cache-control': file.cacheControl,
    'x-content-type-options': 'nosniff',
    vary: 'accept-encoding',
  };
  if (useGzip) headers['content-encoding'] = 'gzip';
  return { headers, body: useGzip ? file.gzip! : file.body };
}

/**
 * Fastify adapter: a not-found handler that first answers a GET/HEAD of a UI path (the app's
 * pages, its built files), then falls back to `fallback` (the API's 404/405).
 */
export function uiNotFoundHandler(ui: UiAssets, fallback: (request: FastifyRequest, reply: FastifyReply) => FastifyReply) {
  return (request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (request.method === 'GET' || request.method === 'HEAD') {
      const file = ui.lookup(request.url.split('?')[0] ?? '/');
      if (file) {
        const { headers, body } = uiResponse(file, request.headers['accept-encoding']);
        return reply.code(200).headers(headers).send(body);
      }
    }
    return fallback(request, reply);
  };
}
