#!/bin/sh
# Cold start of the edge module: call module against the full module, in fresh Node processes
# (read, compile, load JS, instantiate, first signed call) and in fresh workerd processes (the
# module's load, its instantiate + first signed call, and the deployed worker's first answer,
# each against a worker with no wasm). Builds and packs the package first (bench/npm/install.sh).
#   sh bench/cold_start.sh [--samples 25] [--json]      (from the repository root)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
sh bench/npm/install.sh >/dev/null
cd bench/npm
node cold_start.mjs "$@"
