// Vite builds the UI into dist/app; the webserver serves that folder (hashed files under assets/
// with long-lived cache headers, index.html for every other page path). `npm run build` (and
// `npm ci`'s prepare) run this through scripts/build-ui.mjs.
import react from '@vitejs/plugin-react';
import { defineConfig, type HtmlTagDescriptor, type Plugin } from 'vite';

/**
 * The entry (src/main.tsx) starts the page's API reads and then imports the app (src/app.tsx):
 * index.html names the app's files too (modulepreload, stylesheet), so the browser fetches them
 * beside the entry instead of after it ran.
 */
function preloadApp(): Plugin {
  return {
    name: 'updraft-preload-app',
    apply: 'build',
    transformIndexHtml(_html, ctx) {
      const bundle = ctx.bundle ?? {};
      const app = Object.values(bundle).find((c) => c.type === 'chunk' && c.facadeModuleId?.endsWith('/src/app.tsx'));
      if (!app || app.type !== 'chunk') return [];
      // The entry's own files are in the page already.
      const entry = Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry);
      const named = new Set(entry?.type === 'chunk' ? [entry.fileName, ...entry.imports] : []);
      const tags: HtmlTagDescriptor[] = [];
      for (const css of app.viteMetadata?.importedCss ?? []) tags.push({ tag: 'link', attrs: { rel: 'stylesheet', crossorigin: true, href: `/${css}` }, injectTo: 'head' });
      for (const file of [app.fileName, ...app.imports].filter((f) => !named.has(f))) tags.push({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${file}` }, injectTo: 'head' });
      return tags;
    },
  };
}

export default defineConfig({
  plugins: [react(), preloadApp()],
  base: '/',
  build: {
    outDir: 'dist/app',
    emptyOutDir: true,
    target: 'es2022',
    // Browsers with CSS light-dark(): lowered for older ones it needs a declared color-scheme the
    // app does not have, and the log's backgrounds and search highlights came out transparent.
    cssTarget: ['chrome123', 'edge123', 'firefox120', 'safari17.5'],
    // The graph view's layout engine is large by itself and loads lazily; keep warnings for the rest.
    chunkSizeWarningLimit: 1600,
    reportCompressedSize: false,
  },
  server: {
    // `npm run dev -w @updraft/ui` next to a running webserver (UPDRAFT_UI_API, default :8080).
    proxy: Object.fromEntries(
      ['/api', '/ui/', '/health'].map((p) => [p, { target: process.env.UPDRAFT_UI_API ?? 'http://127.0.0.1:8080', changeOrigin: false }]),
    ),
  },
});
