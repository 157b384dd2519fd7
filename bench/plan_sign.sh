#!/usr/bin/env bash
# Planning + signing N URLs (default 1 000 000) per vendor, median of 3, with the ratio to a
# baseline measured in the same run (JSON-serialising the same list) and the peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run -q --release -p edgewarm --example plan_sign_bench -- "${1:-1000000}"
