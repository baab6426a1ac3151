#!/usr/bin/env bash
# The long call-sequence run on the dev runtime (runtime/src/harness.rs): CALLS random calls of both
# pallets (default 100,000), try_state and conservation after every block, an unchanged storage
# root after every failed call. `scripts/test.sh` runs the fixed-seed default of 6,000 calls.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/emission-target}"
export SKIP_WASM_BUILD=1
export EMISSION_HARNESS_CALLS="${CALLS:-100000}"
export EMISSION_HARNESS_SEED="${SEED:-$(date +%s)}"
# The same build as `scripts/test.sh`'s unit tests (debug, same features), so nothing is rebuilt.
cargo test --locked -p emission-runtime --features runtime-benchmarks,try-runtime harness -- --nocapture
