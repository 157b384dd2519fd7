// Moving a signed request: its URL (vendor or proxy), a curl rendering without secrets, and
// a fetch-based send. No signing or parsing here; the URL and the curl text are the core's.
// `transportFor(raw)` binds them to one wasm module (the full one here, the call module in
// `call.mjs`); this file's exports are the full module's.

import { raw } from '#edgewarm-ready';
import { transportFor } from './transport-core.mjs';

export const { requestUrl, toCurl, sendRequest } = transportFor(raw);
