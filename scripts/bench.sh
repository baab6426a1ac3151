#!/usr/bin/env bash
# Regenerate `pallets/*/src/weights.rs` from the pallets' benchmarks, run by the node's
# benchmarking CLI on this machine. Builds the node with `--features runtime-benchmarks` (a second,
# separate build of the node) into the shared target dir. Both analyses are least squares: the
# median-slopes proof-size analysis (the CLI's default) took gigabytes of memory per benchmark
# here and was killed by the OOM killer on this 24 GiB machine.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/emission-target}"

scripts/setup.sh
cargo build --release --locked -p emission-node --features runtime-benchmarks
for pallet in emission subnets; do
	"$CARGO_TARGET_DIR/release/emission-node" benchmark pallet \
		--chain dev \
		--pallet "pallet_$pallet" \
		--extrinsic '*' \
		--steps 50 \
		--repeat 20 \
		--no-median-slopes \
		--output-pov-analysis min-squares \
		--template scripts/weight-template.hbs \
		--output "pallets/$pallet/src/weights.rs"
done
# The transaction extensions' weights (frame_system's `ExtensionsWeightInfo`), with the CLI's own
# template: it implements `frame_system::ExtensionsWeightInfo` for the runtime.
"$CARGO_TARGET_DIR/release/emission-node" benchmark pallet \
	--chain dev \
	--pallet frame_system_extensions \
	--extrinsic '*' \
	--steps 50 \
	--repeat 20 \
	--no-median-slopes \
	--output runtime/src/weights/frame_system_extensions.rs
