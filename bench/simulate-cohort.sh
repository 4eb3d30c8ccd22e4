#!/usr/bin/env bash
# Times `mcre simulate` (a baseline and a reform) on a generated cohort and reports the
# throughput and the peak memory, for docs/simulate.md. The issue's target is 1,000,000
# applications; N sets the size.
#
#   bench/simulate-cohort.sh                 # N=1000000, all CPUs
#   N=100000 JOBS=1 bench/simulate-cohort.sh
#
# Needs a built mcre (scripts/build.sh) and GNU time (apt-get install time).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mcre=${MCRE:-$root/build/mcre}
n=${N:-1000000}
jobs=${JOBS:-$(nproc)}
work=${WORK:-${TMPDIR:-/tmp}/mcre-bench}
mkdir -p "$work"
cohort=$work/cohort-$n.jsonl
if ! command -v /usr/bin/time >/dev/null; then
    echo "bench: GNU time is missing: apt-get install time" >&2
    exit 2
fi
if [ ! -s "$cohort" ]; then
    "$mcre" gen-cohort --size "$n" --seed 2026 --jurisdiction GE -o "$cohort"
fi
/usr/bin/time -f '%e %M' -o "$work/time.txt" \
    "$mcre" simulate -j "$jobs" --baseline "$root/policies/georgia.policy" \
    --set mc_max_ects=40 --format json -o "$work/report.json" "$cohort" 2>"$work/stderr.txt"
read -r seconds peak_kib <"$work/time.txt"
awk -v n="$n" -v s="$seconds" -v kib="$peak_kib" -v j="$jobs" 'BEGIN {
    printf "simulate: %d applications, baseline and reform, %d threads: %.1f s, %.0f applications/s, peak memory %.0f MiB\n",
           n, j, s, n / s, kib / 1024 }'
