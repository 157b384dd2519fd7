// The action's replacement for the package's `#edgewarm-ready`: the same glue, with the wasm
// bytes inlined by the bundler (esbuild's binary loader), so the bundle is one file that runs
// from a checkout with nothing beside it.
import { createHash } from 'node:crypto';
import * as glue from 'edgewarm-wasm:glue';
import bytes from 'edgewarm-wasm:bytes';

const instance = glue.initSync({ module: bytes });
export const raw = (instance, glue);
export const hostSha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');
// bytes in the module's memory (a body it built and keeps), hashed in place
export const hostSha256At = (at, length) => hostSha256(new Uint8Array(instance.memory.buffer, at, length));
