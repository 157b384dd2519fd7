// Browser and bundler entry: fetches and instantiates the wasm next to this file (bundlers
// rewrite the `new URL(…, import.meta.url)` into an asset URL).
import init from '../wasm/edgewarm.js';

await init({ module_or_path: new URL('../wasm/edgewarm_bg.wasm', import.meta.url) });

export * from './api.mjs';
