#!/usr/bin/env bash
# Run every test: the static checks (formatting, feature propagation), clippy, the pallet and runtime
# unit tests (with the benchmark tests), then the polkadot.js end-to-end tests against the real
# release node.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/emission-target}"

step() { printf '\n==> %s (%s)\n' "$1" "$(date +%T)"; }

step "setup"
scripts/setup.sh

step "static checks: rustfmt, taplo, zepter"
scripts/check.sh

step "build the node (release)"
cargo build --release --locked -p emission-node

step "build the runtime's wasm with the metadata hash (feature metadata-hash)"
scripts/build-metadata-hash-runtime.sh

# The runtime's unit tests are native: the wasm is built once, for the node, above.
export SKIP_WASM_BUILD=1

crates=(-p pallet-emission -p pallet-emission-runtime-api -p pallet-subnets -p emission-runtime)

step "clippy: pallets and runtime, all targets and features, warnings denied"
cargo clippy --locked "${crates[@]}" --all-targets --features runtime-benchmarks,try-runtime -- -D warnings

step "unit and benchmark tests: pallets and runtime"
cargo test --locked "${crates[@]}" --features runtime-benchmarks,try-runtime

unset SKIP_WASM_BUILD

step "polkadot.js end-to-end tests"
(cd scripts && EMISSION_NODE="$CARGO_TARGET_DIR/release/emission-node" npm test)

step "all tests passed"
