#!/usr/bin/env bash
# Planning + signing N URLs (default 1 000 000) natively, memory included: the list is written to
# a file; per vendor one process reads it, plans the job and signs every batch's call one at a
# time. Prints, medians of 3: time (and its ratio to a baseline process that only reads the file
# into lines), peak RSS and its ratio to the file's size.
#   bash bench/plan_sign.sh [URLS]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run -q --release -p edgewarm --example plan_sign_bench -- "${1:-1000000}"
