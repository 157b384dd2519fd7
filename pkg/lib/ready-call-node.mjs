// The call module's ready module (`edgewarm/call`, `#edgewarm-call-ready`): as ready-node.mjs, with the call-only wasm.
import { readFileSync } from 'node:fs';
import * as glue from '../wasm/edgewarm_call.js';
import { hostSha256InMemory } from './node-hash.mjs';

export { hostSha256 } from './node-hash.mjs';
const instance = glue.initSync({ module: readFileSync(new URL('../wasm/edgewarm_call_bg.wasm', import.meta.url)) });
export const raw = (instance, glue);
export const hostSha256At = hostSha256InMemory(instance);
