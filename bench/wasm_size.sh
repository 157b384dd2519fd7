#!/bin/sh
# Where the bytes go in the three wasm files (the package's full and call modules, the console):
# builds them (`cargo xtask pkg`, `cargo xtask console`), then sums twiggy's per-function sizes
# by part — serde's readers and writers, job engine, vendor models, signing, sources, UI,
# bindings, std — with the largest functions (bench/npm/wasm_size.mjs). Installs twiggy from
# crates.io when it is missing.
#   sh bench/wasm_size.sh [--top 12]      (from the repository root)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
command -v twiggy >/dev/null 2>&1 || cargo install twiggy --version 0.8.0 >/dev/null 2>&1
cargo xtask pkg >/dev/null 2>&1
cargo xtask console >/dev/null 2>&1
target=${CARGO_TARGET_DIR:-target}
case "$target" in /*) ;; *) target="$root/$target" ;; esac
built="$target/wasm32-unknown-unknown"
node bench/npm/wasm_size.mjs "$@" \
  "full module=$built/wasm-pkg/edgewarm_wasm.wasm:pkg/wasm/edgewarm_bg.wasm" \
  "call module=$built/wasm-call/edgewarm_wasm.wasm:pkg/wasm/edgewarm_call_bg.wasm" \
  "console=$built/wasm-release/edgewarm-console.wasm:web/dist/edgewarm_console_bg.wasm"
