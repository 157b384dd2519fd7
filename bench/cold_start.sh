#!/bin/sh
# Cold start of the edge module: call module against the full module, in fresh Node processes
# (read, compile, load JS, instantiate, first signed call) and in fresh workerd processes (first
# answer of the deployed worker against a no-wasm worker). Builds and packs the package first
# (bench/npm/install.sh).
#   sh bench/cold_start.sh [--samples 15] [--json]      (from the repository root)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
sh bench/npm/install.sh >/dev/null
cd bench/npm
node cold_start.mjs "$@"
