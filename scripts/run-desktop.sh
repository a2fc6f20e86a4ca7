#!/usr/bin/env bash
# Builds the desktop app and opens it on the bundled catalog. The first start
# creates the database (in $STACKPATH_DATA_DIR, or the OS data folder such as
# ~/.local/share/stackpath/) with the sample learner, so a real plan shows
# at once.
#
#   scripts/run-desktop.sh            debug build (faster to build)
#   scripts/run-desktop.sh --release  release build (faster to run)
#
# The build goes to $CARGO_TARGET_DIR when set (developers sharing a machine
# use a target folder of their own), else to target/ as in CI.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
profile=debug
args=(--debug)
if [[ "${1:-}" == "--release" ]]; then
  profile=release
  args=()
fi

if [[ ! -x ui/node_modules/.bin/tauri ]]; then
  STACKPATH_SKIP_E2E_TOOLS=1 bash scripts/setup.sh
fi
# `tauri build` (not `cargo build`) embeds the built UI in the binary; it must
# run from the repository root to find src-tauri/.
ui/node_modules/.bin/tauri build "${args[@]}" --no-bundle
binary="${CARGO_TARGET_DIR:-$root/target}/$profile/stackpath-desktop"
echo "run-desktop: starting $binary"
exec "$binary"
