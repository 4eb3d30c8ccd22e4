#!/bin/sh
# CLI tests for `mcre batch` and `mcre log`: sh batch_cli_test.sh SCENARIO MCRE SOURCE_DIR WORK_DIR
set -u
scenario=$1
mcre=$2
src=$3
work=$4
data=$src/tests/batch/data
policy=$src/policies/georgia.policy
rm -rf "$work" && mkdir -p "$work" || exit 1
cd "$work" || exit 1

fail() {
    echo "FAIL ($scenario): $*" >&2
    exit 1
}

# The "line" of every output record, one per line, in output order.
line_numbers() {
    sed -n 's/^{"line":\([0-9]*\),.*/\1/p' "$1"
}

case $scenario in
mixed_keeps_good_lines)
    "$mcre" batch --policy "$policy" -j 4 <"$data/mixed.jsonl" >out.jsonl 2>err.txt
    code=$?
    [ "$code" -eq 1 ] || fail "exit $code, expected 1"
    [ "$(wc -l <out.jsonl)" -eq "$(wc -l <"$data/mixed.jsonl")" ] || fail "line count differs"
    [ "$(line_numbers out.jsonl | tr '\n' ' ')" = "1 2 3 4 5 6 7 8 9 10 11 12 " ] ||
        fail "records out of order"
    [ "$(grep -c '^{"line":[0-9]*,"ok":true,"decision":{"schema":"mcre.decision/1"' out.jsonl)" -eq 6 ] ||
        fail "expected 6 decisions"
    for n in 3 5 6 8 10 12; do
        grep -q "^{\"line\":$n,\"ok\":false,\"errors\":\[{\"code\":\"E400[124]\",.*\"line\":$n," out.jsonl ||
            fail "line $n is not an error record naming line $n"
    done
    grep -q '^{"line":6,.*"unknown field '"'"'isued'"'"' in credential c1"' out.jsonl ||
        fail "line 6 does not name the unknown field"
    grep -qx 'batch: 12 lines, 6 decided, 6 failed (lines 3, 5, 6, 8, 10, 12)' err.txt ||
        fail "summary: $(cat err.txt)"
    ;;
order_with_j4)
    i=0
    while [ $i -lt 17 ]; do
        cat "$data/mixed.jsonl"
        i=$((i + 1))
    done >big.jsonl
    "$mcre" batch --policy "$policy" -j 4 <big.jsonl >j4.jsonl 2>/dev/null
    [ $? -eq 1 ] || fail "exit code"
    "$mcre" batch --policy "$policy" -j 1 <big.jsonl >j1.jsonl 2>/dev/null
    [ "$(wc -l <j4.jsonl)" -eq 204 ] || fail "expected 204 records"
    [ "$(line_numbers j4.jsonl | tr '\n' ' ')" = "$(seq 1 204 | tr '\n' ' ')" ] ||
        fail "records out of order"
    cmp -s j1.jsonl j4.jsonl || fail "-j 4 output differs from -j 1"
    ;;
all_good_exit_0)
    "$mcre" batch --policy "$policy" <"$data/good.jsonl" >out.jsonl 2>err.txt ||
        fail "exit $?, expected 0"
    [ "$(grep -c '"ok":true' out.jsonl)" -eq 9 ] || fail "expected 9 decisions"
    grep -qx 'batch: 9 lines, 9 decided, 0 failed' err.txt || fail "summary: $(cat err.txt)"
    : | "$mcre" batch --policy "$policy" >empty.jsonl 2>/dev/null || fail "empty input"
    [ ! -s empty.jsonl ] || fail "output for empty input"
    ;;
log_show_and_verify)
    "$mcre" batch --policy "$policy" -j 2 --decision-log log.sqlite --request-id-prefix run1 \
        <"$data/mixed.jsonl" >out.jsonl 2>/dev/null
    [ $? -eq 1 ] || fail "exit code"
    grep -q '^{"line":4,"ok":true,"request_id":"run1-4","decision"' out.jsonl ||
        fail "no request id in record 4"
    "$mcre" log show run1-4 --decision-log log.sqlite >shown.json 2>meta.txt || fail "log show"
    "$mcre" evaluate --policy "$policy" "$src/examples/gtu-architecture-gis.yaml" --format json \
        >expected.json 2>/dev/null
    cmp -s shown.json expected.json || fail "log show differs from evaluate --format json"
    grep -q '^policy georgia version 2026.1-S1 sha256 [0-9a-f]\{64\}$' meta.txt ||
        fail "metadata: $(cat meta.txt)"
    "$mcre" log show run1-3 --decision-log log.sqlite >/dev/null 2>&1
    [ $? -eq 1 ] || fail "a failed line must not be logged"
    "$mcre" log verify --decision-log log.sqlite >verify.txt || fail "log verify: $(cat verify.txt)"
    grep -qx 'log verify: 6 decisions, 6 same, 0 differ, 0 cannot be re-evaluated, 0 altered' \
        verify.txt || fail "verify: $(cat verify.txt)"
    # The same run again gets its own ids; a reused prefix finds run1-1 and run1-2 logged
    # for the same input (decided once, from the log), fails the lines whose ids hold
    # another input (run1-4, 7, 9) and logs the other four: 6 + 9 + 4 = 19.
    "$mcre" batch --policy "$policy" --decision-log log.sqlite <"$data/good.jsonl" >/dev/null 2>&1 ||
        fail "second run into the same log"
    "$mcre" batch --policy "$policy" --decision-log log.sqlite --request-id-prefix run1 \
        <"$data/good.jsonl" >dup.jsonl 2>/dev/null
    [ $? -eq 1 ] || fail "duplicate ids accepted"
    grep -q '^{"line":4,"ok":false,"errors":\[{"code":"E5001"' dup.jsonl || fail "duplicate: E5001"
    grep -q '^{"line":1,"ok":true,"request_id":"run1-1"' dup.jsonl || fail "same input: not decided"
    "$mcre" log verify --decision-log log.sqlite | grep -qx 'log verify: 19 decisions, 19 same, .*' ||
        fail "verify after the second run"
    ;;
summary_format)
    # The lean format: the same lines, the same statuses, no decision; with -j 2 too; and a
    # logged run still logs the whole decision.
    "$mcre" batch --policy "$policy" --format summary -j 2 <"$data/mixed.jsonl" >out.jsonl 2>err.txt
    [ $? -eq 1 ] || fail "exit code"
    "$mcre" batch --policy "$policy" <"$data/mixed.jsonl" >/dev/null 2>json-err.txt
    cmp -s err.txt json-err.txt || fail "stderr summary differs: $(cat err.txt)"
    [ "$(line_numbers out.jsonl | tr '\n' ' ')" = "1 2 3 4 5 6 7 8 9 10 11 12 " ] ||
        fail "records out of order"
    [ "$(grep -c '^{"line":[0-9]*,"ok":true,"id":"[^"]*","recognized_ects":[0-9.]*,"credentials":\[{"id":' out.jsonl)" -eq 6 ] ||
        fail "expected 6 summary records"
    ! grep -q '"decision"' out.jsonl || fail "a summary record holds the decision"
    grep -q '^{"line":6,"ok":false,"errors":\[{"code":"E4004"' out.jsonl || fail "line 6"
    grep -q '"status":"partially_recognized","reason_code":"CAP_[A-Z_]*","recognized_ects":' out.jsonl ||
        fail "no partially recognized credential naming its cap"
    "$mcre" batch --policy "$policy" --format summary --decision-log log.sqlite \
        --request-id-prefix s <"$data/good.jsonl" >logged.jsonl 2>/dev/null || fail "logged run"
    grep -q '^{"line":4,"ok":true,"request_id":"s-4","id":"' logged.jsonl || fail "request id"
    "$mcre" log show s-4 --decision-log log.sqlite >shown.json 2>/dev/null || fail "log show"
    "$mcre" evaluate --policy "$policy" "$src/examples/gtu-network-admin.yaml" --format json \
        >expected.json 2>/dev/null
    cmp -s shown.json expected.json || fail "the logged decision is not the whole decision"
    "$mcre" batch --policy "$policy" --format xml </dev/null >/dev/null 2>usage.txt
    [ $? -eq 2 ] || fail "--format xml"
    grep -q "unknown --format 'xml'" usage.txt || fail "usage: $(cat usage.txt)"
    ;;
usage_errors)
    "$mcre" batch </dev/null >/dev/null 2>&1
    [ $? -eq 2 ] || fail "batch without --policy"
    "$mcre" batch --policy "$policy" -j 0 </dev/null >/dev/null 2>&1
    [ $? -eq 2 ] || fail "-j 0"
    "$mcre" batch --policy "$policy" extra.jsonl </dev/null >/dev/null 2>&1
    [ $? -eq 2 ] || fail "positional argument"
    "$mcre" batch --policy "$policy" --decision-log /nonexistent-dir/x.sqlite </dev/null \
        >/dev/null 2>&1
    [ $? -eq 2 ] || fail "unusable decision log"
    "$mcre" batch --policy "$src/tests/cli/unknown-parameter.policy" </dev/null >/dev/null 2>&1
    [ $? -eq 1 ] || fail "bad policy"
    "$mcre" log verify --decision-log missing.sqlite >/dev/null 2>&1
    [ $? -eq 2 ] || fail "missing log"
    [ ! -e missing.sqlite ] || fail "log verify created a log"
    "$mcre" log frob --decision-log x >/dev/null 2>&1
    [ $? -eq 2 ] || fail "unknown log action"
    "$mcre" batch --help | grep -q '^usage: mcre batch' || fail "batch --help"
    "$mcre" log --help | grep -q '^usage: mcre log show' || fail "log --help"
    ;;
*)
    fail "unknown scenario"
    ;;
esac
exit 0
