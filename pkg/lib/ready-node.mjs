// Node: the wasm loaded synchronously from the package, and node:crypto's SHA-256 for large
// bodies. Picked by package.json "imports" (#edgewarm-ready), so bundlers keep it whole.
import { readFileSync } from 'node:fs';
import * as glue from '../wasm/edgewarm.js';
import { hostSha256InMemory } from './node-hash.mjs';

export { hostSha256 } from './node-hash.mjs';
// initialised for the exports that use it (`raw`, `hostSha256At`): with `sideEffects: false` a
// bundler keeps exactly what the exports need, so a bare top-level init call could be dropped
const instance = glue.initSync({ module: readFileSync(new URL('../wasm/edgewarm_bg.wasm', import.meta.url)) });
export const raw = (instance, glue);
export const hostSha256At = hostSha256InMemory(instance);
