#!/usr/bin/env bash
# Installs the benchmark's peer: Google OR-Tools CP-SAT for Python, in a
# virtual environment under bench-out/ (ignored by git), so the comparison in
# bench/ucsd.sh is reproducible on a fresh machine. Idempotent.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${BENCH_OUT:-$here/../bench-out}"
venv="$out/peer-venv"
# The pinned version is the one the numbers in BENCHMARKS.md were measured with.
ortools_version="${ORTOOLS_VERSION:-9.15.6755}"

if ! command -v python3 >/dev/null; then
    if command -v apt-get >/dev/null; then
        apt-get update -qq && apt-get install -y -qq python3 python3-venv
    else
        echo "setup-peer: python3 is needed" >&2
        exit 1
    fi
fi
if [ ! -x "$venv/bin/python" ]; then
    mkdir -p "$out"
    if ! python3 -m venv "$venv" 2>/dev/null; then
        apt-get update -qq && apt-get install -y -qq python3-venv
        python3 -m venv "$venv"
    fi
fi
if ! "$venv/bin/python" -c "import ortools, sys; sys.exit(ortools.__version__ != '$ortools_version')" 2>/dev/null; then
    "$venv/bin/python" -m pip install --quiet "ortools==$ortools_version"
fi
"$venv/bin/python" -c "import ortools; print('peer: OR-Tools CP-SAT', ortools.__version__)"
