#!/bin/sh
# The console at scale: a 200 000-URL Tencent CDN job (default; give another size) picked as a
# file in headless Chromium against the sandbox (bench/console_scale.toml raises the daily push
# quota), reloaded mid-job and resumed from IndexedDB. Prints the time to complete, the median
# and p95 input latency, the peak JS heap and wasm memory, the journal's size in IndexedDB, the
# resumes after a reload and the URLs submitted twice (must be 0).
#   sh bench/console_scale.sh [URLS]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cargo xtask console >/dev/null 2>&1
cargo build -q --release -p edgewarm-proxy
[ -d tests/npm/node_modules/playwright-core ] || (cd tests/npm && npm ci --no-audit --no-fund >/dev/null 2>&1)
target=${CARGO_TARGET_DIR:-target}
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$target/release/edgewarm-proxy" --sandbox --listen "127.0.0.1:$port" --config bench/console_scale.toml --static web/dist >/dev/null 2>&1 &
proxy=$!
trap 'kill $proxy 2>/dev/null' EXIT
until python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; do sleep 0.1; done
node bench/console_scale.mjs "http://127.0.0.1:$port" "${1:-200000}"
