#!/bin/sh
# Console figures (gzipped wasm, time to interactive in headless Chromium on localhost): builds
# web/dist, serves it with the sandbox proxy on a free port, runs bench/console.mjs.
#   sh bench/console.sh [N]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cargo xtask console >/dev/null 2>&1
cargo build -q --release -p edgewarm-proxy
[ -d tests/npm/node_modules/playwright-core ] || (cd tests/npm && npm ci --no-audit --no-fund >/dev/null 2>&1)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
target/release/edgewarm-proxy --sandbox --listen "127.0.0.1:$port" --static web/dist >/dev/null 2>&1 &
proxy=$!
trap 'kill $proxy 2>/dev/null' EXIT
until python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)" 2>/dev/null; do sleep 0.1; done
node bench/console.mjs "http://127.0.0.1:$port" "${1:-15}"
