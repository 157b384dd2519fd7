#!/bin/sh
# Build + sign a 500-URL PushUrlsCache: edgewarm in Node (node:crypto body hash, and pure wasm)
# against the official tencentcloud-sdk-nodejs-cdn with its transport stubbed, same process, and
# the native Rust core; then the sizes: tarball, gzipped .wasm, and the official Node SDKs'
# installed footprint for the three products.
#   sh bench/sign.sh          (from the repository root)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
tarball=$(sh bench/npm/install.sh)
out="$root/target/npm-bench"
cd bench/npm
node sign_bench.mjs
cd "$root"
cargo run -q --release -p edgewarm --example sign_bench
cargo run -q --release -p edgewarm --example sign_bench -- --validate

echo
echo "sizes:"
printf '  npm tarball          %s KB\n' "$(( $(wc -c < "$tarball") / 1024 ))"
printf '  .wasm                %s KB (%s KB gzipped)\n' "$(( $(wc -c < pkg/wasm/edgewarm_bg.wasm) / 1024 ))" "$(( $(gzip -9c pkg/wasm/edgewarm_bg.wasm | wc -c) / 1024 ))"
sdk="$out/official-sdks"
mkdir -p "$sdk" && cd "$sdk"
npm init -y >/dev/null 2>&1
npm install --no-audit --no-fund tencentcloud-sdk-nodejs-teo@4.1.228 tencentcloud-sdk-nodejs-cdn@4.0.948 @alicloud/esa20240910@2.43.0 >/dev/null 2>&1
printf '  official Node SDKs (teo + cdn + esa): %s in %s packages\n' "$(du -sh node_modules | cut -f1)" "$(npm ls --all --parseable 2>/dev/null | tail -n +2 | sort -u | wc -l)"
