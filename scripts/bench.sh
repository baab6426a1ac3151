#!/usr/bin/env bash
# Regenerate `pallets/emission/src/weights.rs` from the pallet's benchmarks, run by the node's
# benchmarking CLI on this machine. Builds the node with `--features runtime-benchmarks` (a second,
# separate build of the node) into the shared target dir.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/emission-target}"

scripts/setup.sh
cargo build --release --locked -p emission-node --features runtime-benchmarks
"$CARGO_TARGET_DIR/release/emission-node" benchmark pallet \
	--chain dev \
	--pallet pallet_emission \
	--extrinsic '*' \
	--steps 50 \
	--repeat 20 \
	--heap-pages 4096 \
	--template scripts/weight-template.hbs \
	--output pallets/emission/src/weights.rs
