// Node entry: loads the wasm from the package synchronously and registers node:crypto's
// SHA-256 so large bodies are hashed natively.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { initSync } from '../wasm/edgewarm.js';
import { _setHostSha256 } from './api.mjs';

initSync({ module: readFileSync(new URL('../wasm/edgewarm_bg.wasm', import.meta.url)) });
_setHostSha256((bytes) => createHash('sha256').update(bytes).digest('hex'));

export * from './api.mjs';
