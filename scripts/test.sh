#!/usr/bin/env bash
# Runs every test of Stackpath on this machine, installing what a fresh
# machine lacks first (scripts/setup.sh):
#   1. formatting and lints (cargo fmt, cargo clippy -D warnings),
#   2. the UI's type check and the check that the TypeScript bindings
#      generated from Rust are up to date,
#   3. every crate's unit, property, snapshot and integration tests,
#   4. the bundled catalog checked by the real CLI,
#   5. the end-to-end tests of the real desktop app under Xvfb.
# Benchmarks are not tests: see BENCHMARKS.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
step() { printf '\n=== %s\n' "$*"; }

step "setup"
bash scripts/setup.sh

step "cargo fmt"
cargo fmt --all -- --check

step "cargo clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test"
cargo test --workspace --locked

step "TypeScript bindings are up to date"
if ! git diff --quiet -- ui/src/bindings; then
  git --no-pager diff --stat -- ui/src/bindings
  echo "ui/src/bindings changed when the tests regenerated them: run 'cargo test -p stackpath-app' and commit them" >&2
  exit 1
fi

step "UI type check"
(cd ui && npx --no-install tsc --noEmit)

step "the bundled catalog checks clean"
cargo run --quiet --locked -p stackpath-cli -- check pathways

step "end-to-end tests of the desktop app"
bash tests/e2e/run.sh
