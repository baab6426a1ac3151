#!/usr/bin/env bash
# Regenerate the committed dev chain spec, `chain-specs/dev.json`, from the built release node
# (`export-chain-spec`, not the deprecated `build-spec`): the runtime's wasm and its `development`
# preset. `scripts/test/chain-spec.test.js` fails when the committed file no longer matches.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/emission-target}"
node="${EMISSION_NODE:-$CARGO_TARGET_DIR/release/emission-node}"
[ -x "$node" ] || { echo "no node binary at $node: build it with cargo build --release -p emission-node" >&2; exit 2; }
mkdir -p chain-specs
"$node" export-chain-spec --chain dev --output chain-specs/dev.json
echo "chain-specs/dev.json: $(stat -c %s chain-specs/dev.json) bytes"
