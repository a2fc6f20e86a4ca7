#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks to build, run and test
# Stackpath's desktop app. Idempotent: each step is skipped when already done.
#
#   - system packages (WebKitGTK and friends for Tauri, Xvfb and
#     WebKitWebDriver for the end-to-end tests, ImageMagick for screenshots),
#     through apt-get, with sudo only when not root;
#   - the UI's npm packages (`npm ci` in ui/, from package-lock.json; this
#     also brings the `tauri` command line, ui/node_modules/.bin/tauri);
#   - tauri-driver (`cargo install tauri-driver --locked`).
#
# Set STACKPATH_SKIP_E2E_TOOLS=1 to skip Xvfb, WebKitWebDriver and
# tauri-driver when only building and running the app.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { printf 'setup: %s\n' "$*"; }

packages=(
  libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev
  libayatana-appindicator3-dev librsvg2-dev pkg-config
)
if [[ "${STACKPATH_SKIP_E2E_TOOLS:-}" != 1 ]]; then
  packages+=(xvfb xauth webkit2gtk-driver imagemagick)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  sudo=""
  if [[ "$(id -u)" != 0 ]]; then sudo="sudo"; fi
  say "installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  say "system packages present"
fi

if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "setup: node and npm are needed (Node.js 20 or later)" >&2
  exit 1
fi

# npm ci is skipped when node_modules already matches the lock file.
lock="$root/ui/package-lock.json"
stamp="$root/ui/node_modules/.package-lock.json"
if [[ ! -f "$stamp" || "$lock" -nt "$stamp" || ! -x "$root/ui/node_modules/.bin/tauri" ]]; then
  say "npm ci in ui/"
  (cd "$root/ui" && npm ci --no-audit --no-fund)
else
  say "ui/node_modules up to date"
fi

if [[ "${STACKPATH_SKIP_E2E_TOOLS:-}" != 1 ]]; then
  if ! command -v tauri-driver >/dev/null && [[ ! -x "$HOME/.cargo/bin/tauri-driver" ]]; then
    say "cargo install tauri-driver --locked"
    cargo install tauri-driver --locked
  else
    say "tauri-driver present"
  fi
fi
say "done"
