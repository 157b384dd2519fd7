// The action's replacement for the package's `#edgewarm-ready`: the same glue, with the wasm
// bytes inlined by the bundler (esbuild's binary loader), so the bundle is one file that runs
// from a checkout with nothing beside it.
import * as glue from 'edgewarm-wasm:glue';
import bytes from 'edgewarm-wasm:bytes';
import { hostSha256InMemory } from '../../pkg/lib/node-hash.mjs';

export { hostSha256 } from '../../pkg/lib/node-hash.mjs';
const instance = glue.initSync({ module: bytes });
export const raw = (instance, glue);
export const hostSha256At = hostSha256InMemory(instance);
