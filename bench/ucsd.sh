#!/usr/bin/env bash
# The speed benchmark of issue 3, item 8, end to end:
#   1. builds `stackpath` and the benchmark harness in release mode;
#   2. converts the UC San Diego catalog into bench-out/ucsd/ (never committed);
#   3. installs the CP-SAT peer (bench/setup-peer.sh) and checks it against
#      brute force on random tiny catalogs (bench/test_peer.py);
#   4. UCSD: in-process plan stages and audits, then `stackpath plan` against
#      the peer, whole process against whole process, same optimum checked;
#   5. the 100,000-credential synthetic catalog: plans after loading.
# Prints the tables and keeps them, with JSON results, in bench-out/.
#
# Environment: CARGO_TARGET_DIR (default target), UCSD_JSON (the source file),
# RUNS (in-process runs, default 21), PROCESS_RUNS (default 5),
# SYNTH_CREDENTIALS (default 100000), SKIP_SYNTH=1, SKIP_UCSD=1.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

target_dir="${CARGO_TARGET_DIR:-target}"
out="bench-out"
ucsd_json="${UCSD_JSON:-../shared/data/catalogs/ucsd-course-grapher/ucsd_courses.json}"
runs="${RUNS:-21}"
process_runs="${PROCESS_RUNS:-5}"
python="$out/peer-venv/bin/python"
status=0

echo "== building (release)" >&2
cargo build --release -p stackpath-cli -p stackpath-bench >&2 || exit 1
bin="$target_dir/release"
mkdir -p "$out"
report="$out/report.md"
: > "$report"
{
    echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) at $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- crates || echo ' (with uncommitted changes)')"
    echo "on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), load average $(cut -d' ' -f1-3 /proc/loadavg)."
    echo
} >> "$report"

if [ "${SKIP_UCSD:-0}" != 1 ]; then
    echo "== converting $ucsd_json" >&2
    "$bin/ucsd-to-pathway" --input "$ucsd_json" --out "$out/ucsd" || exit 1
    echo "== the peer" >&2
    bash bench/setup-peer.sh >&2 || exit 1
    "$python" bench/test_peer.py --cases 300 >&2 || exit 1
    echo "== UCSD benchmark" >&2
    {
        echo "## Planning on real data (UCSD)"
        echo
        "$bin/stackpath-bench" ucsd --catalog "$out/ucsd" --runs "$runs" --time-limit 10 \
            --process-runs "$process_runs" --cli "$bin/stackpath" --python "$python" \
            --peer bench/peer_cpsat.py --results "$out/ucsd-results.json"
    } | tee -a "$report"
    [ "${PIPESTATUS[0]}" = 0 ] || status=1
fi

if [ "${SKIP_SYNTH:-0}" != 1 ]; then
    echo "== synthetic catalog" >&2
    {
        echo "## Synthetic ${SYNTH_CREDENTIALS:-100000} credentials"
        echo
        "$bin/stackpath-bench" synth --credentials "${SYNTH_CREDENTIALS:-100000}" \
            --out "$out/synth" --runs "$runs" --targets 6 --time-limit 10 \
            --process-runs 2 --process-timeout 30 \
            --cli "$bin/stackpath" --results "$out/synth-results.json"
    } | tee -a "$report"
    [ "${PIPESTATUS[0]}" = 0 ] || status=1
fi

echo "== report in $report" >&2
exit "$status"
