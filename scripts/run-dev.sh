#!/usr/bin/env bash
# Build the node (release) and start a one-validator dev chain: Alice authors and finalizes,
# Alice is sudo, state is temporary (`--dev` implies `--tmp`). RPC: ws://127.0.0.1:9944.
# Extra arguments go to the node, e.g. `scripts/run-dev.sh --rpc-port 9955`.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/emission-target}"

scripts/setup.sh
cargo build --release --locked -p emission-node
exec "$CARGO_TARGET_DIR/release/emission-node" --dev "$@"
