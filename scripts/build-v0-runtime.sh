#!/usr/bin/env bash
# Rebuild `scripts/fixtures/emission-runtime-v0.compact.compressed.wasm`: the runtime of commit
# 70a00dc, the last one before the emission pallet's v0 → v1 migration (storage version 0: the
# schedule's factor a Perbill; spec_version 100). `scripts/test/upgrade.test.js` starts a chain on it
# and upgrades it to this build's runtime. The fixture is shipped so that the test suite does not
# build a second runtime; this script shows where it comes from and rebuilds it (about 10 minutes
# warm: the v0 wasm is a project of its own in the shared target dir).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/emission-target}"
V0_COMMIT=70a00dc
repo=$(pwd)
fixtures="$repo/scripts/fixtures"

scripts/setup.sh
work=$(mktemp -d)
worktree="$work/v0"
git worktree add --detach "$worktree" "$V0_COMMIT"
trap 'git -C "$repo" worktree remove --force "$worktree"; rm -rf "$work"' EXIT

# The v0 runtime's package is renamed (its code is unchanged) so that its wasm is built in a
# `wbuild/` project of its own: under the same name it would overwrite this build's wasm, which the
# node embeds. The node is left out of that workspace (it depends on the old name).
sed -i 's/^name = "emission-runtime"$/name = "emission-runtime-v0"/' "$worktree/runtime/Cargo.toml"
sed -i -e 's/^members = \["node", /members = [/' -e '/^emission-runtime = { path/d' "$worktree/Cargo.toml"
(cd "$worktree" && cargo build --release -p emission-runtime-v0)

wasm="$CARGO_TARGET_DIR/release/wbuild/emission-runtime-v0/emission_runtime_v0.compact.compressed.wasm"
mkdir -p "$fixtures"
cp "$wasm" "$fixtures/emission-runtime-v0.compact.compressed.wasm"
(cd "$fixtures" && sha256sum emission-runtime-v0.compact.compressed.wasm > emission-runtime-v0.sha256)
cat "$fixtures/emission-runtime-v0.sha256"
