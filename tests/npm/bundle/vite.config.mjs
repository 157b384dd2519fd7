// Vite build of the test page: edgewarm resolved from node_modules (the packed tarball), its
// .wasm emitted as an asset through `new URL(…, import.meta.url)`.
import { defineConfig } from 'vite';

export default defineConfig({
  root: new URL('.', import.meta.url).pathname,
  logLevel: 'warn',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
});
