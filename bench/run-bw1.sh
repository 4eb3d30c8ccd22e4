#!/usr/bin/env bash
# BW1 with mcre as one more peer of the shared benchmark (shared/bench, docs/performance.md).
#
#   bench/run-bw1.sh                 # setup, verify (must say PASS), bench; prints the tables
#   ONLY='baseline-cpp mcre-j1 mcre-j2' RUNS=3 bench/run-bw1.sh
#
# 1. The harness's own run-peers.sh, untouched, with mcre added through EXTRA_PEERS (as its
#    README says): mcre-j1 and mcre-j2 read BW1's input on stdin like every peer, through
#    bench/bw1.input-map.yaml (bench/bw1_peer.sh's command).
#    They run on N_SLOW applications unless MCRE_SIZE=full; per-second figures compare.
# 2. mcre alone on input converted beforehand, beside the baseline on the same applications,
#    with hyperfine: what the engine costs without the Python conversion in front of it.
# 3. Start-up (loading and checking bench/bw1.policy, empty input) and peak memory of mcre alone.
# 4. With valgrind: callgrind instructions per application on 200 fixed applications, mcre -j 1
#    and the baseline, figures that do not move with the machine's load.
#
# Environment: MCRE (default build/mcre), BENCH (the harness, default ../shared/bench beside
# this repository), WORK (default $TMPDIR/bw1-work), MCRE_SIZE (slow|full), and the
# harness's knobs N, N_SLOW, N_VERIFY, RUNS, STARTUP_RUNS, ONLY, SKIP_APT. STEPS='peers alone
# callgrind' chooses the parts (default: all three).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
mcre=$(cd "$(dirname "${MCRE:-$root/build/mcre}")" && pwd)/$(basename "${MCRE:-$root/build/mcre}")
bench=${BENCH:-$root/../shared/bench}
export WORK=${WORK:-${TMPDIR:-/tmp}/bw1-work}
export N=${N:-200000} N_SLOW=${N_SLOW:-20000} RUNS=${RUNS:-5}
size=${MCRE_SIZE:-slow}
steps=${STEPS:-peers alone callgrind}
[ -x "$mcre" ] || { echo "run-bw1: no mcre at $mcre (build it, or set MCRE)" >&2; exit 2; }
[ -x "$bench/run-peers.sh" ] || { echo "run-bw1: no harness at $bench (set BENCH)" >&2; exit 2; }

policy=$root/bench/bw1.policy
convert="python3 $root/bench/bw1_convert.py"
# The peer's command is bench/bw1_peer.sh's, written out: the harness starts it through
# sh -c like every peer's, and a wrapper script would add a shell of its own to mcre's
# start-up (docs/performance.md, section 2.11).
peer() {  # name, jobs
    echo "$1|$size|$mcre batch --policy $policy --input-map $root/bench/bw1.input-map.yaml --format summary -j $2"
}
export EXTRA_PEERS="$(peer mcre-j1 1);$(peer mcre-j2 2)"
res=$WORK/results
data=$WORK/data
mkdir -p "$res" "$data"
: >"$data/empty.jsonl"

if [[ " $steps " == *" peers "* ]]; then
    "$bench/run-peers.sh" setup
    "$bench/run-peers.sh" verify || { echo "run-bw1: verify FAILED; no figure counts" >&2; exit 1; }
    "$bench/run-peers.sh" bench
fi

if [[ " $steps " == *" alone "* ]]; then
    n=$N
    [ "$size" = slow ] && n=$N_SLOW
    in=$data/bw1-$n.jsonl
    [ -s "$in" ] || python3 "$bench/gen.py" "$n" >"$in"
    [ -s "$data/bw1-$n.mcre.jsonl" ] || $convert <"$in" >"$data/bw1-$n.mcre.jsonl"
    baseline=$WORK/build/baseline-cpp/bw1-baseline
    [ -x "$baseline" ] || "$bench/run-peers.sh" setup
    echo "== mcre alone on $n applications converted beforehand (hyperfine, median of $RUNS)"
    hyperfine --style basic --warmup 1 --runs "$RUNS" --export-json "$res/alone.json" \
        -n baseline-cpp "$baseline < $in > /dev/null 2>&1" \
        -n mcre-alone-j1 "$mcre batch --policy $policy --format summary -j 1 < $data/bw1-$n.mcre.jsonl > /dev/null 2>&1" \
        -n mcre-alone-j2 "$mcre batch --policy $policy --format summary -j 2 < $data/bw1-$n.mcre.jsonl > /dev/null 2>&1" |
        grep -E '^(Benchmark|  Time|  Range)' || true
    hyperfine --style none --warmup 3 --runs "${STARTUP_RUNS:-10}" --export-json "$res/alone-startup.json" \
        -n baseline-cpp "$baseline < $data/empty.jsonl > /dev/null 2>&1" \
        -n mcre-alone-j1 "$mcre batch --policy $policy --format summary -j 1 < $data/empty.jsonl > /dev/null 2>&1" \
        -n mcre-alone-j2 "$mcre batch --policy $policy --format summary -j 2 < $data/empty.jsonl > /dev/null 2>&1" \
        >/dev/null
    rss() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }
    {
        echo "baseline-cpp $(rss sh -c "exec $baseline < $in 2>/dev/null")"
        for j in 1 2; do
            echo "mcre-alone-j$j $(rss sh -c "exec $mcre batch --policy $policy --format summary -j $j < $data/bw1-$n.mcre.jsonl 2>/dev/null")"
        done
    } >"$res/alone-rss.txt"
    python3 - "$res" "$n" <<'EOF'
import json, sys
res, n = sys.argv[1], int(sys.argv[2])
runs = {r["command"]: r for r in json.load(open(res + "/alone.json"))["results"]}
start = {r["command"]: r["median"] for r in json.load(open(res + "/alone-startup.json"))["results"]}
rss = dict(line.split() for line in open(res + "/alone-rss.txt"))
base = n / runs["baseline-cpp"]["median"]
print("| run (N=%d, input already in mcre's format) | wall median s (min-max) | apps/s | x slower than baseline | startup ms | peak RSS MiB |" % n)
print("|---|---|---:|---:|---:|---:|")
for name, r in runs.items():
    aps = n / r["median"]
    print("| %s | %.3f (%.3f-%.3f) | %s | %.1f | %.1f | %.0f |" % (
        name, r["median"], r["min"], r["max"], format(int(aps), ","), base / aps,
        start[name] * 1000, int(rss.get(name, "0")) / 1024))
EOF
fi

if [[ " $steps " == *" callgrind "* ]] && command -v valgrind >/dev/null; then
    [ -x "$WORK/build/baseline-cpp/bw1-baseline" ] || "$bench/run-peers.sh" setup
    python3 "$bench/gen.py" 200 >"$data/bw1-200.jsonl"
    $convert <"$data/bw1-200.jsonl" >"$data/bw1-200.mcre.jsonl"
    count() {  # instructions of one run of a command over a file
        local in=$1
        shift
        valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" <"$in" 2>&1 >/dev/null |
            sed -n 's/.*Collected : \([0-9]*\).*/\1/p'
    }
    lean=("$mcre" batch --policy "$policy" --format summary -j 1)
    m_full=$(count "$data/bw1-200.mcre.jsonl" "${lean[@]}")
    m_empty=$(count "$data/empty.jsonl" "${lean[@]}")
    # The peer's own command: BW1's lines read through the input map, no conversion.
    mapped=("${lean[@]}" --input-map "$root/bench/bw1.input-map.yaml")
    p_full=$(count "$data/bw1-200.jsonl" "${mapped[@]}")
    p_empty=$(count "$data/empty.jsonl" "${mapped[@]}")
    b_full=$(count "$data/bw1-200.jsonl" "$WORK/build/baseline-cpp/bw1-baseline")
    b_empty=$(count "$data/empty.jsonl" "$WORK/build/baseline-cpp/bw1-baseline")
    m=$(((m_full - m_empty) / 200))
    p=$(((p_full - p_empty) / 200))
    b=$(((b_full - b_empty) / 200))
    echo "== callgrind, 200 applications of gen.py's default seed (instructions, not time: the same on a busy machine)"
    echo "mcre batch --format summary -j 1: start-up $m_empty, per application $m"
    echo "  the same with --input-map on BW1's own lines: start-up $p_empty, per application $p"
    echo "baseline-cpp:                     start-up $b_empty, per application $b"
    awk -v m="$m" -v p="$p" -v b="$b" 'BEGIN { printf "mcre executes %.0fx the baseline'"'"'s instructions per application (%.0fx through the input map)\n", m / b, p / b }'
fi
