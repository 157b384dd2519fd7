#!/bin/sh
# The edge worker's figures: its bundle gzipped (esbuild for workerd, minified, JS + wasm) and
# the cold start in Node (import + first signed call), full module against the call module,
# ratios from the same run. Builds and packs the package first (bench/npm/install.sh).
#   sh bench/edge.sh [--samples 15] [--json]      (from the repository root)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
sh bench/npm/install.sh >/dev/null
cd bench/npm
node edge_bench.mjs "$@"
