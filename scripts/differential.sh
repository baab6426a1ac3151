#!/usr/bin/env bash
# The long differential run: the pallet's pure maths against the exact reference
# (pallets/emission/tests/reference), CASES cases per property (default 10⁶), in release.
# `scripts/test.sh` runs the same tests with the fixed-seed default of 2,000 cases.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/emission-target}"
export EMISSION_DIFF_CASES="${CASES:-1000000}"
export EMISSION_DIFF_SEED="${SEED:-$(date +%s)}"
echo "differential: $EMISSION_DIFF_CASES cases per property, seed $EMISSION_DIFF_SEED"
cargo test --release -p pallet-emission --test differential -- --nocapture --test-threads "${THREADS:-2}"
