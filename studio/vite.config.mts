import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The studio page: Preact + TypeScript, built by `npm run build` into dist/studio-ui, which the Nest app serves
// at /studio. Everything is bundled: the page loads nothing from elsewhere, so it works offline.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/studio/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: fileURLToPath(new URL('../dist/studio-ui', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
  },
  // `npm run studio:dev`: the page with hot reload, its API calls sent on to a running service.
  server: { proxy: { '/api': process.env.STUDIO_API ?? 'http://127.0.0.1:3000' } },
});
