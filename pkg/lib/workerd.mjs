// Workers entry (workerd, Cloudflare Workers, other edge runtimes with wasm module imports):
// the .wasm is imported as a compiled module, so no fetch and no eval is needed.
import { initSync } from '../wasm/edgewarm.js';
import wasmModule from '../wasm/edgewarm_bg.wasm';

initSync({ module: wasmModule });

export * from './api.mjs';
