// Node's SHA-256 for the wasm modules' large bodies (ready-node.mjs, ready-call-node.mjs).
import * as nodeCrypto from 'node:crypto';

// text (hashed as UTF-8) or bytes: the one-shot `crypto.hash` where Node has it (20.12, 21.7;
// it spares a Hash object per call), else a Hash
export const hostSha256 =
  typeof nodeCrypto.hash === 'function'
    ? (data) => nodeCrypto.hash('sha256', data, 'hex')
    : (data) => nodeCrypto.createHash('sha256').update(data, 'utf8').digest('hex');

/** The hash of the `length` bytes at `at` in `instance`'s memory (a body the module built and
 * keeps), hashed in place: no copy, no encoding of the body's text. */
export const hostSha256InMemory = (instance) => (at, length) => hostSha256(new Uint8Array(instance.memory.buffer, at, length));
