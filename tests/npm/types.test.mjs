// The package's types: a strict consumer compiles (and its @ts-expect-error lines prove wrong
// shapes are refused), and no `any` appears in the public declarations.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const pkgDir = dirname(require.resolve('edgewarm/package.json'));

test('tsc --strict accepts the consumer and refuses the wrong shapes it marks', () => {
  const tsc = join(here, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(here, 'types', 'tsconfig.json')], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stdout + r.stderr);
});

test('no `any` in the public declarations', () => {
  for (const file of ['lib/index.d.ts', 'wasm/edgewarm.d.ts', 'lib/call.d.ts', 'wasm/edgewarm_call.d.ts']) {
    const text = readFileSync(join(pkgDir, file), 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/\/\/.*$/gm, '');
    const hits = text.split('\n').filter((l) => /\bany\b/.test(l));
    assert.deepEqual(hits, [], `${file} mentions any`);
  }
});

test('the generated declarations hold the types and classes; the public functions are lib/*.d.ts\'s', () => {
  // xtask/src/dts.rs: the raw wasm exports are internal, and the call module's file re-exports
  // the full one's declarations instead of repeating them
  const full = readFileSync(join(pkgDir, 'wasm/edgewarm.d.ts'), 'utf8');
  const call = readFileSync(join(pkgDir, 'wasm/edgewarm_call.d.ts'), 'utf8');
  assert.deepEqual(full.split('\n').filter((l) => l.startsWith('export function')), []);
  assert.match(full, /^export interface PushUrlsCache \{/m);
  assert.match(full, /^export class Job \{/m);
  assert.deepEqual(call.split('\n').filter((l) => /^export (interface|type \w|class|function) /.test(l)), []);
  assert.match(call, /^import type \{[^}]*\bPushUrlsCache\b[^}]*\} from '\.\/edgewarm\.js';$/m);
});

test('package.json: ESM, exports for node / browser / workerd / default, types, bin, no dependencies', () => {
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  assert.equal(pkg.name, 'edgewarm');
  assert.equal(pkg.type, 'module');
  assert.equal(pkg.sideEffects, false);
  const root = pkg.exports['.'];
  for (const c of ['types', 'node', 'browser', 'workerd', 'default']) assert.ok(root[c], c);
  // the call module: its own entry and types, and its own ready module per runtime
  const callExport = pkg.exports['./call'];
  for (const c of ['types', 'node', 'browser', 'workerd', 'default']) assert.ok(callExport[c], `./call ${c}`);
  for (const c of ['node', 'browser', 'workerd', 'default']) assert.match(pkg.imports['#edgewarm-call-ready'][c], /ready-call-/);
  assert.ok(pkg.bin.edgewarm);
  assert.equal(Object.keys(pkg.dependencies ?? {}).length, 0);
});
