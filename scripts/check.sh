#!/usr/bin/env bash
# Static checks of the workspace: Rust formatting (nightly rustfmt, `.rustfmt.toml`), TOML formatting
# of the manifests (taplo, `.config/taplo.toml`) and feature propagation (zepter,
# `.config/zepter.yaml`). `scripts/check.sh --fix` repairs what the tools can repair.
# zepter is installed with `cargo install` when missing (once per machine, about two minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/emission-target}"

ZEPTER_VERSION=1.88.2
fix=0
if [ "${1:-}" = "--fix" ]; then fix=1; fi

# Several of `.rustfmt.toml`'s options exist only in nightly rustfmt; stable rustfmt would format
# differently, so formatting is checked only where a nightly toolchain is installed.
if rustup run nightly rustfmt --version >/dev/null 2>&1; then
	if [ $fix = 1 ]; then cargo +nightly fmt --all; else cargo +nightly fmt --all --check; fi
	echo "check: rustfmt ok"
else
	echo "check: no nightly toolchain, Rust formatting not checked (rustup toolchain install nightly)"
fi

taplo=scripts/node_modules/.bin/taplo
if [ ! -x "$taplo" ]; then bash scripts/setup.sh; fi
taplo_args=(fmt --config .config/taplo.toml)
if [ $fix = 0 ]; then taplo_args+=(--check); fi
if ! out=$("$taplo" "${taplo_args[@]}" 2>&1); then
	echo "$out" | grep -v ' INFO ' >&2
	echo "check: manifests not formatted (scripts/check.sh --fix formats them)" >&2
	exit 1
fi
echo "check: taplo ok"

if ! zepter --version 2>/dev/null | grep -q " $ZEPTER_VERSION"; then
	echo "check: installing zepter $ZEPTER_VERSION"
	cargo install zepter --version "$ZEPTER_VERSION" --locked --quiet
fi
if [ $fix = 1 ]; then zepter run fix; else zepter run check; fi
echo "check: zepter ok"
