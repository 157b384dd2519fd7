// The action's replacement for the package's `#edgewarm-ready`: the same glue, with the wasm
// bytes inlined by the bundler (esbuild's binary loader), so the bundle is one file that runs
// from a checkout with nothing beside it.
import { createHash } from 'node:crypto';
import * as glue from 'edgewarm-wasm:glue';
import bytes from 'edgewarm-wasm:bytes';

export const raw = (glue.initSync({ module: bytes }), glue);
export const hostSha256 = (text) => createHash('sha256').update(text, 'utf8').digest('hex');
