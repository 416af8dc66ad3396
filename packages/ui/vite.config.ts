// Vite builds the UI into dist/app; the webserver serves that folder (hashed files under assets/
// with long-lived cache headers, index.html for every other page path). `npm run build` (and
// `npm ci`'s prepare) run this through scripts/build-ui.mjs.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
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
