#!/usr/bin/env bash
# Runs the libFuzzer targets of fuzz/ (docs/robustness.md), each for SECONDS on its seed
# corpus and its regressions, after a build with the 'sanitize' preset.
#   scripts/fuzz.sh [SECONDS] [TARGET...]      TARGET: policy application evaluate http
#   FUZZ_TIMEOUT=120 scripts/fuzz.sh ...       seconds one input may take (default 20)
# New inputs that add coverage go to build-sanitize/fuzz-corpus/TARGET (not the repo);
# a crash, leak, sanitizer report or broken invariant is saved as
# build-sanitize/fuzz-artifacts/TARGET-crash-... and fails the run. Each run logs to
# build-sanitize/fuzz-artifacts/TARGET.PID.log, so runs of the same target at the same time
# (a long run in the background, scripts/sanitize.sh's short one) keep their own logs.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-30}"
shift || true
targets=("$@")
[ ${#targets[@]} -eq 0 ] && targets=(policy application evaluate http)
dir="${MCRE_FUZZ_BUILD:-build-sanitize}"
[ -x /usr/bin/llvm-symbolizer-14 ] && export ASAN_SYMBOLIZER_PATH=/usr/bin/llvm-symbolizer-14
mkdir -p "$dir/fuzz-artifacts"
status=0
for t in "${targets[@]}"; do
    exe="$dir/fuzz/fuzz_$t"
    [ -x "$exe" ] || { echo "fuzz.sh: $exe is missing: build with cmake --preset sanitize" >&2; exit 2; }
    work="$dir/fuzz-corpus/$t"
    mkdir -p "$work"
    seeds=(fuzz/corpus/"$t")
    [ -d fuzz/regressions/"$t" ] && seeds+=(fuzz/regressions/"$t")
    log="$dir/fuzz-artifacts/$t.$$.log"
    echo "fuzz.sh: $t for ${seconds}s (log: $log)" >&2
    # -rss_limit_mb and -timeout turn runaway memory and hangs into findings as well. On a
    # loaded machine a long run at a low priority can be starved for longer than 20 s: raise
    # FUZZ_TIMEOUT then, and replay a timeout-* input alone before believing it.
    if ! "$exe" -max_total_time="$seconds" -timeout="${FUZZ_TIMEOUT:-20}" -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$dir/fuzz-artifacts/$t-" \
        "$work" "${seeds[@]}" 2>"$log"; then
        tail -n 60 "$log" >&2
        echo "fuzz.sh: $t FAILED; the input is in $dir/fuzz-artifacts/" >&2
        status=1
    else
        grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" "$log" | \
            sed "s/^/fuzz.sh: $t /" >&2 || true
    fi
done
exit $status
