#!/usr/bin/env bash
# Proxy overhead: 200 clients for 20 s straight at the sandbox, then 20 s through the proxy, in
# the same process and run (the direct run is the baseline). Prints req/s, p50/p99 and the
# added latency. Usage: bench/proxy_load.sh [SECONDS] [CLIENTS] [SANDBOX_RATE]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run -q --release -p edgewarm-proxy --example load -- \
  --seconds "${1:-20}" --clients "${2:-200}" --rate "${3:-1000000}"
