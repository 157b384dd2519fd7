#!/bin/sh
# Lower bounds for the size goals only a redesign can reach (issue 18): what the console's
# first-load wasm would weigh without the core or its secondary pages, and what the package's
# full module would weigh without its call exports or its job engine (bench/npm/wasm_bound.mjs,
# binaryen from npm). Builds the modules first (`cargo xtask pkg`, `cargo xtask console`).
#   sh bench/wasm_bound.sh      (from the repository root)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
cargo xtask pkg >/dev/null 2>&1
cargo xtask console >/dev/null 2>&1
(cd bench/npm && npm ci --no-audit --no-fund >/dev/null 2>&1)
target=${CARGO_TARGET_DIR:-target}
case "$target" in /*) ;; *) target="$root/$target" ;; esac
built="$target/wasm32-unknown-unknown"
node bench/npm/wasm_bound.mjs \
  "console=$built/wasm-release/edgewarm-console.wasm:web/dist/edgewarm_console_bg.wasm" \
  "full module=$built/wasm-pkg/edgewarm_wasm.wasm:pkg/wasm/edgewarm_bg.wasm"
