#!/usr/bin/env bash
# Build the runtime's wasm with the metadata hash (feature `metadata-hash`: `CheckMetadataHash` in
# mode Enabled checks a signer's hash against it) and copy it to
# `$CARGO_TARGET_DIR/metadata-hash/emission_runtime.compact.compressed.wasm`, where
# `scripts/test/metadata-hash.test.js` starts a dev chain on it.
#
# `cargo check` runs the runtime's build script, which builds the wasm (the wasm builder compiles
# it twice: once to read the metadata, once with its hash), without building the native runtime;
# its wasm project lives under the target dir's `debug/` profile, which the node's release build
# never reads and which clippy and the tests skip (`SKIP_WASM_BUILD`).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/emission-target}"
unset SKIP_WASM_BUILD
WASM_BUILD_TYPE=release cargo check --locked -p emission-runtime --features metadata-hash
out="$CARGO_TARGET_DIR/metadata-hash"
mkdir -p "$out"
cp "$CARGO_TARGET_DIR/debug/wbuild/emission-runtime/emission_runtime.compact.compressed.wasm" "$out/"
echo "metadata-hash runtime: $out/emission_runtime.compact.compressed.wasm ($(stat -c %s "$out/emission_runtime.compact.compressed.wasm") bytes)"
