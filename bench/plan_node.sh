#!/bin/sh
# Planning + signing N URLs (default 1 000 000) with the npm package (wasm in Node), memory
# included: the list is written to a file; per vendor one Node process reads it, plans the job
# from the one text (`Job.fromText`) and signs every batch's call one at a time
# (`job.dryRunBatch`). Prints, medians of 3: time (and its ratio to a baseline process that only
# reads the file into lines), peak RSS and its ratio to the file's size. The native figures come
# from bench/plan_sign.sh.
#   sh bench/plan_node.sh [URLS]
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
sh "$root/bench/npm/install.sh" >/dev/null
cd "$root/bench/npm" && node plan_bench.mjs "${1:-1000000}"
