// The call module's ready module (`edgewarm/call`, `#edgewarm-call-ready`): as ready-browser.mjs, with the call-only wasm.
// Browsers and bundlers: the wasm fetched from next to this file (bundlers rewrite the
// `new URL(…, import.meta.url)` into an asset URL) before any export is used.
import * as glue from '../wasm/edgewarm_call.js';

// initialised inside the export's own initialiser: with `sideEffects: false` a bundler keeps
// exactly what the exports need, so a bare top-level init call could be dropped
export const raw = (await glue.default({ module_or_path: new URL('../wasm/edgewarm_call_bg.wasm', import.meta.url) }), glue);
export const hostSha256 = null;
export const hostSha256At = null;
