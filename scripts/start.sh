#!/usr/bin/env bash
# The first command on a fresh machine: installs whatever is missing
# (system packages, the UI's npm packages) and opens the Stackpath desktop
# app on the bundled catalog and the sample learner.
#
# Without a display (no $DISPLAY or $WAYLAND_DISPLAY), it runs the command
# line instead: checks the bundled catalog and plans the sample learner's
# target, so the main job still runs on a headless machine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

if [[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]]; then
  STACKPATH_SKIP_E2E_TOOLS=1 bash scripts/setup.sh
  exec bash scripts/run-desktop.sh "$@"
fi

echo "start: no display; running the command line on the bundled catalog"
cargo build --quiet --release -p stackpath-cli
stackpath="${CARGO_TARGET_DIR:-$root/target}/release/stackpath"
"$stackpath" check pathways
"$stackpath" list
"$stackpath" plan --learner pathways/learners/sample.learner.json
