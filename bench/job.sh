#!/usr/bin/env bash
# Job engine end to end: N URLs (default 100 000) over the three vendors against an in-process
# sandbox on loopback at the documented 20 req/s. Last line: rate ratio R, throttled T, lost L,
# duplicated D (R = achieved / allowed submit rate, the allowed rate measured by the sandbox's
# own limiter in the same run). Usage: bench/job.sh [URLS] [--sandbox-rate N]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo run -q --release -p edgewarm-driver --example job_bench -- --urls "${1:-100000}" "${@:2}"
