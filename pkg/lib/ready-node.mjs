// Node: the wasm loaded synchronously from the package, and node:crypto's SHA-256 for large
// bodies. Picked by package.json "imports" (#edgewarm-ready), so bundlers keep it whole.
import { readFileSync } from 'node:fs';
import * as nodeCrypto from 'node:crypto';
import * as glue from '../wasm/edgewarm.js';

// initialised for the exports that use it (`raw`, `hostSha256At`): with `sideEffects: false` a
// bundler keeps exactly what the exports need, so a bare top-level init call could be dropped
const instance = glue.initSync({ module: readFileSync(new URL('../wasm/edgewarm_bg.wasm', import.meta.url)) });
export const raw = (instance, glue);
// text (hashed as UTF-8) or bytes: the one-shot `crypto.hash` where Node has it (20.12, 21.7;
// it spares a Hash object per call), else a Hash
export const hostSha256 =
  typeof nodeCrypto.hash === 'function'
    ? (data) => nodeCrypto.hash('sha256', data, 'hex')
    : (data) => nodeCrypto.createHash('sha256').update(data, 'utf8').digest('hex');
// the `length` bytes at `at` in the module's memory (a body the module built and keeps), hashed
// in place: no copy, no encoding of the body's text
export const hostSha256At = (at, length) => hostSha256(new Uint8Array(instance.memory.buffer, at, length));
