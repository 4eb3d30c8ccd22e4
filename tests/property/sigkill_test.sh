#!/bin/sh
# No decision lost (docs/robustness.md, "Decision log under SIGKILL"): a logged batch is
# killed with SIGKILL at random moments, then re-run with the same --request-id-prefix
# until it completes. After each kill the log must verify (every decision whole); at the
# end it must hold each decided line exactly once, and the output must equal that of a run
# never interrupted.
#   sigkill_test.sh MCRE SOURCE_DIR WORK_DIR [KILLS]
mcre=$1 src=$2 work=$3 kills=${4:-4}
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 2
"$mcre" gen-cohort --size 1500 --seed 4242 >in.jsonl || fail "gen-cohort"
run() {  # run LOG: the whole batch into LOG, same prefix every time
    "$mcre" batch --policy "$src/policies" -j 2 --format summary --decision-log "$1" \
        --request-id-prefix resume <in.jsonl
}
decisions() {  # decisions LOG: how many the log holds, after checking every one
    "$mcre" log verify --decision-log "$1" >verify.txt 2>&1 || fail "log verify: $(cat verify.txt)"
    sed -n 's/^log verify: \([0-9]*\) decisions, \1 same, 0 differ, 0 cannot be re-evaluated, 0 altered$/\1/p' verify.txt
}

# The reference: one run, never interrupted.
run reference.sqlite >reference.jsonl 2>/dev/null
expected=$(grep -c '"ok":true' reference.jsonl)
[ "$expected" -gt 0 ] || fail "the reference run decided nothing"

# Random delays in milliseconds, drawn once and printed so a failure can be replayed.
seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')
delays=$(awk -v seed="$seed" -v n="$kills" 'BEGIN { srand(seed); for (i = 0; i < n; i++) printf "%d ", 100 + int(rand() * 1400) }')
echo "kill delays (ms): $delays(seed $seed)"
interrupted=0
previous=0
for ms in $delays; do
    # mcre itself in the background, not `run` (a function in the background is a subshell:
    # $! would be the subshell, and kill -9 would leave mcre running on, unkilled).
    "$mcre" batch --policy "$src/policies" -j 2 --format summary --decision-log log.sqlite \
        --request-id-prefix resume <in.jsonl >/dev/null 2>&1 &
    pid=$!
    sleep "$(awk -v ms="$ms" 'BEGIN { printf "%.3f", ms / 1000 }')"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    now=$(decisions log.sqlite)
    [ -n "$now" ] || fail "the log does not verify after a kill: $(cat verify.txt)"
    echo "after a kill at $ms ms: $now decisions logged"
    [ "$now" -ge "$previous" ] || fail "decisions lost: $previous before, $now after"
    [ "$now" -le "$expected" ] || fail "$now decisions logged, only $expected lines decidable"
    [ "$now" -lt "$expected" ] && interrupted=$((interrupted + 1))
    previous=$now
done
[ "$interrupted" -gt 0 ] || echo "note: every run finished before its kill; nothing was interrupted"

# The run that completes: every line answered as the uninterrupted run answered it.
run log.sqlite >final.jsonl 2>final.err
code=$?
[ "$code" -eq 0 ] || [ "$code" -eq 1 ] || fail "final run exit $code: $(cat final.err)"
cmp -s final.jsonl reference.jsonl || fail "the resumed output differs from an uninterrupted run"
total=$(decisions log.sqlite)
[ "$total" = "$expected" ] || fail "the log holds $total decisions, $expected lines were decided"
ids=$(grep -o '"request_id":"[^"]*"' final.jsonl | sort | uniq -d | wc -l)
[ "$ids" -eq 0 ] || fail "$ids request ids answered twice"
echo "ok: $kills kills ($interrupted mid-run), $total decisions logged once each"
