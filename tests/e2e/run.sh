#!/usr/bin/env bash
# Runs the desktop end-to-end tests (tests/e2e/*.test.mjs) against the REAL
# built app: builds it with `tauri build --debug --no-bundle` (which embeds the
# UI), builds the `stackpath` command line the tests compare against, starts
# Xvfb and tauri-driver (WebKitWebDriver) on free ports, and runs
# `node --test`. Every process it starts is stopped by PID on exit, and the
# app's data lives in a temporary STACKPATH_DATA_DIR.
#
#   tests/e2e/run.sh                  build, then test
#   STACKPATH_E2E_SKIP_BUILD=1 ...    test the binaries already built
#   STACKPATH_E2E_PROFILE=release ... test (and time) a release build
#   STACKPATH_E2E_TESTS="FILE..."    run only these test files
#   STACKPATH_E2E_SCREENSHOTS=DIR ... save screenshots of the main views there
#                                     (docs/screenshots to refresh the docs)
#
# Builds go to $CARGO_TARGET_DIR when set, else target/ (as in CI).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
target="${CARGO_TARGET_DIR:-$root/target}"
profile="${STACKPATH_E2E_PROFILE:-debug}"

if [[ "${STACKPATH_E2E_SKIP_BUILD:-}" != 1 ]]; then
  flags=(--no-bundle)
  cargo_flags=()
  if [[ "$profile" == debug ]]; then flags+=(--debug); else cargo_flags+=(--release); fi
  ui/node_modules/.bin/tauri build "${flags[@]}"
  cargo build -q "${cargo_flags[@]}" -p stackpath-cli
fi
app="$target/$profile/stackpath-desktop"
cli="$target/$profile/stackpath"
for f in "$app" "$cli"; do
  [[ -x "$f" ]] || { echo "e2e: $f is missing; build it first" >&2; exit 1; }
done

driver="$(command -v tauri-driver || echo "$HOME/.cargo/bin/tauri-driver")"
[[ -x "$driver" ]] || { echo "e2e: tauri-driver is missing: run scripts/setup.sh" >&2; exit 1; }
command -v Xvfb >/dev/null || { echo "e2e: Xvfb is missing: run scripts/setup.sh" >&2; exit 1; }
command -v WebKitWebDriver >/dev/null || { echo "e2e: WebKitWebDriver is missing: run scripts/setup.sh" >&2; exit 1; }

work="$(mktemp -d -t stackpath-e2e.XXXXXX)"
pids=()
cleanup() {
  local status=$?
  # Each helper runs in its own process group (setsid), so its children
  # (WebKitWebDriver, the app) stop with it.
  for pid in "${pids[@]}"; do
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$pid" 2>/dev/null || true
  done
  if [[ $status -ne 0 ]]; then
    echo "e2e: failed; tauri-driver log:" >&2
    tail -n 40 "$work/driver.log" >&2 2>/dev/null || true
  fi
  rm -rf "$work"
  exit $status
}
trap cleanup EXIT INT TERM

free_port() {
  node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'
}

# Xvfb picks a free display itself and writes its number to fd 1.
setsid Xvfb -displayfd 1 -screen 0 1280x820x24 -nolisten tcp >"$work/display" 2>"$work/xvfb.log" &
pids+=($!)
for _ in $(seq 100); do [[ -s "$work/display" ]] && break; sleep 0.1; done
[[ -s "$work/display" ]] || { echo "e2e: Xvfb did not start" >&2; cat "$work/xvfb.log" >&2; exit 1; }
export DISPLAY=":$(head -n1 "$work/display")"

port="$(free_port)"
native="$(free_port)"
while [[ "$native" == "$port" ]]; do native="$(free_port)"; done
export STACKPATH_DATA_DIR="$work/data"
mkdir -p "$STACKPATH_DATA_DIR"
setsid "$driver" --port "$port" --native-port "$native" >"$work/driver.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  curl -fsS "http://127.0.0.1:$port/status" >/dev/null 2>&1 && break
  sleep 0.1
done

export STACKPATH_E2E_WEBDRIVER="http://127.0.0.1:$port"
export STACKPATH_E2E_APP="$app"
export STACKPATH_E2E_CLI="$cli"
export STACKPATH_E2E_WORK="$work"
echo "e2e: app $app, display $DISPLAY, tauri-driver :$port (native :$native)"
# STACKPATH_E2E_TESTS picks test files (default: all of them).
# shellcheck disable=SC2086
node --test --test-concurrency=1 ${STACKPATH_E2E_TESTS:-tests/e2e/*.test.mjs}
