#!/bin/sh
# One million URLs through the CLI: a sitemap index over 20 gzipped children of 50 000 URLs
# (the protocol's cap) served over loopback, `edgewarm push --journal` against the sandbox
# (bench/sandbox.million.toml raises Tencent CDN's daily push quota), killed with SIGKILL at 40 %,
# `edgewarm resume` to the end. Prints the list's size, each run's peak RSS and its ratio to
# the list, the journal's size and shape at the kill, and checks that each URL reached the
# sandbox once.
#   sh bench/cli_million.sh [URLS]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
sh bench/npm/install.sh >/dev/null
cargo build -q --release -p edgewarm-proxy
port=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
target/release/edgewarm-proxy --sandbox --listen "127.0.0.1:$port" --config bench/sandbox.million.toml >/dev/null 2>&1 &
proxy=$!
trap 'kill $proxy 2>/dev/null' EXIT
sleep 1
cd bench/npm && node --max-old-space-size=8192 cli_million.mjs "http://127.0.0.1:$port" "${1:-1000000}"
