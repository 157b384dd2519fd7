// Node: the wasm loaded synchronously from the package, and node:crypto's SHA-256 for large
// bodies. Picked by package.json "imports" (#edgewarm-ready), so bundlers keep it whole.
import { readFileSync } from 'node:fs';
import * as nodeCrypto from 'node:crypto';
import * as glue from '../wasm/edgewarm.js';

// initialised inside the export's own initialiser: with `sideEffects: false` a bundler keeps
// exactly what the exports need, so a bare top-level init call could be dropped
export const raw = (glue.initSync({ module: readFileSync(new URL('../wasm/edgewarm_bg.wasm', import.meta.url)) }), glue);
// text (hashed as UTF-8) or bytes: the one-shot `crypto.hash` where Node has it (20.12, 21.7;
// it spares a Hash object per call), else a Hash
export const hostSha256 =
  typeof nodeCrypto.hash === 'function'
    ? (data) => nodeCrypto.hash('sha256', data, 'hex')
    : (data) => nodeCrypto.createHash('sha256').update(data, 'utf8').digest('hex');
