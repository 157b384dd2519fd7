#!/bin/sh
# Planning + signing 1 000 000 URLs per vendor with the npm package (wasm in Node); the native
# figures come from `cargo xtask bench plan` (bench/plan_sign.sh).
#   sh bench/plan_node.sh [URLS]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
sh "$root/bench/npm/install.sh" >/dev/null
cd "$root/bench/npm" && node --max-old-space-size=8192 plan_bench.mjs "${1:-1000000}"
