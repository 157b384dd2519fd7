// The call module's ready module (`edgewarm/call`, `#edgewarm-call-ready`): as ready-workerd.mjs, with the call-only wasm.
// Workers (workerd, Cloudflare Workers, edge runtimes with wasm module imports): the .wasm is
// imported as a compiled module, so there is no fetch and no eval.
import * as glue from '../wasm/edgewarm_call.js';
import wasmModule from '../wasm/edgewarm_call_bg.wasm';

// initialised inside the export's own initialiser (see ready-browser.mjs)
export const raw = (glue.initSync({ module: wasmModule }), glue);
export const hostSha256 = null;
export const hostSha256At = null;
