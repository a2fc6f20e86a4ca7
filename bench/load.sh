#!/usr/bin/env bash
# The loading benchmark (BENCHMARKS.md, "Loading"): generates a deterministic
# synthetic catalog of 100,000 credentials with stackpath-synth, then times
# `stackpath check` on it (read, parse, validate every rule, build the catalog
# with its duplicate, reference and cycle checks) against Python's json.load
# merely parsing the same files, alternating the two in one run.
# Reports the median wall time and the peak RSS of each.
#
#   bench/load.sh [CREDENTIALS] [RUNS]      (defaults: 100000 5)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$here/.."
n="${1:-100000}"
runs="${2:-5}"
out="${BENCH_OUT:-$root/bench-out}"
data="$out/synth-$n"
target="${CARGO_TARGET_DIR:-$root/target}"

cd "$root"
cargo build --release -q -p stackpath-synth
synth="$target/release/stackpath-synth"
if cargo build --release -q -p stackpath-cli; then
    check=("$target/release/stackpath" check)
    who="stackpath check"
else
    # The CLI does not build right now (another crate mid-change): measure
    # the same library call, stackpath_format::check, from a small binary.
    echo "load.sh: stackpath-cli does not build; measuring the stackpath-format example instead" >&2
    cargo build --release -q -p stackpath-format --example load
    check=(env QUIET=1 "$target/release/examples/load")
    who="stackpath_format::check (examples/load)"
fi

rm -rf "$data"
"$synth" --credentials "$n" --seed 1 --out "$data"

cat > "$out/json_load.py" <<'PY'
import glob, json, sys
for f in sorted(glob.glob(sys.argv[1] + "/*.pathway.json")):
    with open(f, encoding="utf-8") as fh:
        json.load(fh)
PY

measure() { # prints "seconds kilobytes"
    /usr/bin/time -f "%e %M" -o "$out/time.txt" "$@" >/dev/null 2>"$out/stderr.txt" || {
        status=$?
        # check exits 0 (valid, warnings allowed); anything else is a failure.
        cat "$out/stderr.txt" >&2
        exit "$status"
    }
    tail -n 1 "$out/time.txt"
}

: > "$out/stackpath.txt"
: > "$out/python.txt"
measure "${check[@]}" "$data" >/dev/null # warm the page cache
for _ in $(seq "$runs"); do
    measure "${check[@]}" "$data" >> "$out/stackpath.txt"
    measure python3 "$out/json_load.py" "$data" >> "$out/python.txt"
done

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
size=$(du -sb "$data" | cut -f1)
files=$(ls "$data"/*.pathway.json | wc -l)
echo "catalog: $n credentials, $files files, $size bytes; load average $(cut -d' ' -f1-3 /proc/loadavg)"
for f in stackpath python; do
    t=$(cut -d' ' -f1 "$out/$f.txt" | median)
    m=$(cut -d' ' -f2 "$out/$f.txt" | median)
    name=$([ "$f" = stackpath ] && echo "$who" || echo "python3 json.load")
    echo "$name: median ${t} s, peak RSS $((m / 1024)) MB (runs: $(cut -d' ' -f1 "$out/$f.txt" | tr '\n' ' '))"
done
"${check[@]}" "$data" 2>&1 >/dev/null | tail -n 1
