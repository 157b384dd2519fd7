// web/edge/worker.mjs bundled as wrangler would for workerd (esbuild, workerd conditions,
// minified, each .wasm kept external as a compiled-module import): shared by the size bench
// (edge_bench.mjs) and the cold-start bench (cold_start.mjs).
import * as esbuild from 'esbuild';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const WORKER = join(here, '..', '..', 'web', 'edge', 'worker.mjs');

/**
 * Bundles the worker (or another `entry`) into `outfile`; with `full`, its `edgewarm/call`
 * import is pointed at the full module (`edgewarm`). Returns the paths of the .wasm files the
 * bundle imports (each by its base name, next to the bundle once copied there).
 */
export async function bundleWorker(outfile, { full = false, entry = WORKER } = {}) {
  const wasms = [];
  await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['workerd', 'worker'],
    nodePaths: [join(here, 'node_modules')],
    outfile,
    logLevel: 'warning',
    plugins: [
      {
        name: 'edge-worker-bundle',
        setup(b) {
          if (full) b.onResolve({ filter: /^edgewarm\/call$/ }, (args) => b.resolve('edgewarm', { kind: args.kind, resolveDir: args.resolveDir }));
          b.onResolve({ filter: /\.wasm$/ }, (args) => {
            wasms.push(resolve(args.resolveDir, args.path));
            return { path: `./${basename(args.path)}`, external: true };
          });
        },
      },
    ],
  });
  return wasms;
}
