#!/usr/bin/env bash
# Install what building and testing need, idempotently: protoc (Debian package), the
# `wasm32v1-none` target and `rust-src` (rustup), the pinned npm packages of `scripts/` and of
# `scripts/chopsticks/`, and the PAPI descriptors generated from the committed metadata.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v protoc >/dev/null 2>&1; then
	echo "setup: installing protobuf-compiler (protoc)"
	sudo_cmd=""
	if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
	$sudo_cmd apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq protobuf-compiler >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32v1-none; then
	rustup target add wasm32v1-none
fi
if ! rustup component list --installed | grep -q '^rust-src'; then
	rustup component add rust-src
fi

# `npm ci` only when the installed tree does not match the lock file.
if ! cmp -s scripts/package-lock.json scripts/node_modules/.package-lock-ci.json 2>/dev/null; then
	(cd scripts && npm ci --no-audit --no-fund --loglevel=error)
	cp scripts/package-lock.json scripts/node_modules/.package-lock-ci.json
fi
# chopsticks, in a package of its own (about 330 MB with its own polkadot.js copies).
if ! cmp -s scripts/chopsticks/package-lock.json scripts/chopsticks/node_modules/.package-lock-ci.json 2>/dev/null; then
	(cd scripts/chopsticks && npm ci --no-audit --no-fund --loglevel=error)
	cp scripts/chopsticks/package-lock.json scripts/chopsticks/node_modules/.package-lock-ci.json
fi
# The typed PAPI client's descriptors, generated from the committed metadata (`.papi/metadata/`)
# with the `papi` CLI: offline, and about a second when they are up to date already.
(cd scripts && npx --no-install papi generate >/dev/null)
