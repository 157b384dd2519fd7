// Shared by the npm tests: the sandbox's well-known credentials and the proxy the test command
// started (`cargo xtask test` sets EDGEWARM_PROXY to a `edgewarm-proxy --sandbox` on loopback).
import { readFileSync } from 'node:fs';

export const TENCENT = { id: 'AKIDSANDBOX0000000000000000000000000', secret: 'sandbox-tencent-secret' };
export const ALIBABA = { id: 'LTAISANDBOX0000000000000', secret: 'sandbox-alibaba-secret' };
export const credentialsFor = (service) => (service === 'esa' ? ALIBABA : TENCENT);

export const VALID_CALLS = JSON.parse(readFileSync(new URL('./fixtures/valid_calls.json', import.meta.url), 'utf8'));

/** The proxy in sandbox mode; the tests need it and say so plainly when it is missing. */
export function proxyBase() {
  const base = process.env.EDGEWARM_PROXY;
  if (!base) throw new Error('EDGEWARM_PROXY is not set: run these tests through `cargo xtask test` (it starts `edgewarm-proxy --sandbox`)');
  return base;
}

/** A unique path prefix per run, so that sandbox state from other runs never mixes in. */
export const RUN = `run-${process.pid}-${Date.now().toString(36)}`;
