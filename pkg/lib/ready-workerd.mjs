// Workers (workerd, Cloudflare Workers, edge runtimes with wasm module imports): the .wasm is
// imported as a compiled module, so there is no fetch and no eval.
import * as glue from '../wasm/edgewarm.js';
import wasmModule from '../wasm/edgewarm_bg.wasm';

// initialised inside the export's own initialiser (see ready-browser.mjs)
export const raw = (glue.initSync({ module: wasmModule }), glue);
export const hostSha256 = null;
export const hostSha256At = null;
