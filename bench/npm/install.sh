#!/bin/sh
# Builds the npm package, packs it and installs the tarball into bench/npm (with the official
# SDK the benchmarks compare against, from the lockfile). Prints the tarball's path.
set -eu
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
cargo xtask pkg >/dev/null 2>&1
out="$root/target/npm-bench"
rm -rf "$out" && mkdir -p "$out"
(cd pkg && npm pack --pack-destination "$out" >/dev/null 2>&1)
tarball=$(ls "$out"/edgewarm-*.tgz)
cd bench/npm
npm ci --no-audit --no-fund >/dev/null 2>&1
npm install --no-save --no-audit --no-fund "$tarball" >/dev/null 2>&1
echo "$tarball"
