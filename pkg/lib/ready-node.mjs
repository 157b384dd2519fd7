// Node: the wasm loaded synchronously from the package, and node:crypto's SHA-256 for large
// bodies. Picked by package.json "imports" (#edgewarm-ready), so bundlers keep it whole.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import * as glue from '../wasm/edgewarm.js';

// initialised inside the export's own initialiser: with `sideEffects: false` a bundler keeps
// exactly what the exports need, so a bare top-level init call could be dropped
export const raw = (glue.initSync({ module: readFileSync(new URL('../wasm/edgewarm_bg.wasm', import.meta.url)) }), glue);
// text or UTF-8 bytes (the encoding is ignored for bytes)
export const hostSha256 = (data) => createHash('sha256').update(data, 'utf8').digest('hex');
