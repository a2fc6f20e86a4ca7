#!/usr/bin/env bash
# Fails when the committed TypeScript bindings (ui/src/bindings/) are not
# exactly what ts-rs generates from the Rust transport types today: a field
# renamed in Rust and not in the UI's types would otherwise only show up at
# run time. Regenerates into a temporary folder and compares, so stale files
# are caught too. To refresh the committed files: `cargo test -p stackpath-app`.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
fresh="$(mktemp -d)"
trap 'rm -rf "$fresh"' EXIT
TS_RS_EXPORT_DIR="$fresh" cargo test -q -p stackpath-app --lib export_bindings >/dev/null
if ! diff -ru "$fresh" ui/src/bindings; then
  echo "check-bindings: ui/src/bindings is out of date; run: cargo test -p stackpath-app, and commit ui/src/bindings" >&2
  exit 1
fi
echo "check-bindings: ui/src/bindings matches the Rust types ($(ls "$fresh" | wc -l) files)"
