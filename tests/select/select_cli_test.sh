#!/bin/sh
# CLI tests for choosing the policy (`mcre evaluate` and `mcre batch` with several policies):
#   sh select_cli_test.sh SCENARIO MCRE SOURCE_DIR WORK_DIR
set -u
scenario=$1
mcre=$2
src=$3
work=$4
data=$src/tests/select/data
app=$data/app-xx.yaml
rm -rf "$work" && mkdir -p "$work" || exit 1
cd "$work" || exit 1

fail() {
    echo "FAIL ($scenario): $*" >&2
    echo "--- stdout" >&2
    cat out.txt >&2 2>/dev/null
    echo "--- stderr" >&2
    cat err.txt >&2 2>/dev/null
    exit 1
}

case $scenario in
evaluate_chooses_the_one_in_force)
    "$mcre" evaluate --policy "$data" "$app" >out.txt 2>err.txt || fail "exit $?, expected 0"
    grep -q "^mcre: using .*xx-law.policy: policy xx_law version 2 is the only policy for XX (the application's jurisdiction) in force on 2026-10-15 (the application date)$" err.txt ||
        fail "no note saying which policy was chosen"
    grep -q "^  xx_base version 1 (.*xx-base.policy): in force from 2020-01-01 until 2026-08-31, no longer in force on 2026-10-15$" err.txt ||
        fail "the others are not said to be out of force"
    grep -q "policy: xx_law" out.txt || grep -q "xx_law" out.txt || fail "decision not under xx_law"
    grep -q "RECOGNIZED" out.txt || fail "35 ECTS should be recognized under the law (40 ECTS)"
    # Same decision as naming the file alone.
    "$mcre" evaluate --policy "$data/xx-law.policy" "$app" >alone.txt 2>/dev/null || fail "alone"
    cmp -s out.txt alone.txt || fail "choosing from the folder decides differently from the file"
    ;;
evaluate_several_in_force_exits_1)
    "$mcre" evaluate --policy "$data" --as-of 2027-10-01 "$app" >out.txt 2>err.txt
    code=$?
    [ "$code" -eq 1 ] || fail "exit $code, expected 1"
    [ ! -s out.txt ] || fail "a decision was printed"
    grep -q "^mcre: 2 policies for XX (the application's jurisdiction) are in force on 2027-10-01 (--as-of)$" err.txt || fail "summary"
    grep -q "^  xx_draft version 3-draft (.*): in force from 2027-09-01, in force on 2027-10-01$" err.txt ||
        fail "draft not listed"
    grep -q "^  xx_law version 2 (.*): in force from 2026-09-01, in force on 2027-10-01$" err.txt ||
        fail "law not listed"
    grep -q "hint: name one with --policy-id ID" err.txt || fail "no hint"
    # Naming one settles it.
    "$mcre" evaluate --policy "$data" --as-of 2027-10-01 --policy-id xx_draft "$app" \
        >out.txt 2>err.txt || fail "--policy-id: exit $?"
    grep -q "xx_draft" out.txt || fail "--policy-id did not apply xx_draft"
    ;;
evaluate_none_in_force_exits_1)
    "$mcre" evaluate --policy "$data/xx-law.policy" --policy "$data/xx-draft.policy" \
        --as-of 2026-01-15 "$app" >out.txt 2>err.txt
    code=$?
    [ "$code" -eq 1 ] || fail "exit $code, expected 1"
    grep -q "^mcre: no policy for XX (the application's jurisdiction) is in force on 2026-01-15 (--as-of)$" err.txt || fail "summary"
    grep -q "^  xx_law version 2 (.*): in force from 2026-09-01, not yet in force on 2026-01-15$" err.txt ||
        fail "candidate and why"
    grep -q "^  loaded: XX (xx_law, xx_draft)$" err.txt || fail "loaded jurisdictions"
    ;;
evaluate_unknown_jurisdiction_exits_1)
    "$mcre" evaluate --policy "$data" --jurisdiction ZZ "$app" >out.txt 2>err.txt
    code=$?
    [ "$code" -eq 1 ] || fail "exit $code, expected 1"
    grep -q "^mcre: no policy for ZZ (--jurisdiction) is loaded$" err.txt || fail "summary"
    grep -q "^  loaded: XX (xx_base, xx_draft, xx_law), XY (xy_law)$" err.txt || fail "loaded"
    ;;
evaluate_needs_a_jurisdiction)
    grep -v '^jurisdiction:' "$app" >nojur.yaml
    "$mcre" evaluate --policy "$data" nojur.yaml >out.txt 2>err.txt
    code=$?
    [ "$code" -eq 2 ] || fail "exit $code, expected 2"
    grep -q "give --jurisdiction XX" err.txt || fail "does not ask for --jurisdiction"
    "$mcre" evaluate --policy "$data" --jurisdiction XX nojur.yaml >out.txt 2>err.txt ||
        fail "--jurisdiction: exit $?"
    grep -q "only policy for XX (--jurisdiction) in force" err.txt || fail "note does not say where XX came from"
    ;;
batch_reports_none_and_several_per_line)
    "$mcre" batch --policy "$data" <"$data/three-dates.jsonl" >out.txt 2>err.txt
    code=$?
    [ "$code" -eq 1 ] || fail "exit $code, expected 1"
    grep -q '^{"line":1,"ok":true,"decision":{.*"id":"xx_law"' out.txt || fail "line 1 not under xx_law"
    grep -q '^{"line":2,"ok":false,"errors":\[{"code":"E4007","message":"2 policies for XX are in force on 2027-10-01: xx_law version 2 (.*xx-law.policy): in force from 2026-09-01, in force on 2027-10-01; xx_draft' out.txt ||
        grep -q '^{"line":2,"ok":false,"errors":\[{"code":"E4007","message":"2 policies for XX are in force on 2027-10-01: xx_draft' out.txt ||
        fail "line 2 is not E4007 listing both"
    grep -q '^{"line":3,"ok":false,"errors":\[{"code":"E4006","message":"no policy for XX is in force on 2019-06-01: .*loaded: XX (xx_base, xx_draft, xx_law), XY (xy_law)","line":3,"column":1,"hint":"add the policy in force' out.txt ||
        fail "line 3 is not E4006 with the candidates"
    grep -qx 'batch: 3 lines, 1 decided, 2 failed (lines 2, 3)' err.txt || fail "summary"
    ;;
batch_logs_the_chain_and_verifies)
    "$mcre" batch --policy "$data" --policy-id xx_draft --decision-log log.sqlite \
        --request-id-prefix chain <"$data/three-dates.jsonl" >out.txt 2>err.txt ||
        fail "exit $?, expected 0"
    "$mcre" log show chain-1 --decision-log log.sqlite >show.txt 2>err.txt || fail "log show"
    grep -q "^extends (stored, root first): .*xx-base.policy .*xx-law.policy$" err.txt ||
        fail "log show does not name the stored chain"
    "$mcre" log verify --decision-log log.sqlite >out.txt 2>err.txt || fail "log verify: exit $?"
    grep -qx "log verify: 3 decisions, 3 same, 0 differ, 0 cannot be re-evaluated, 0 altered" out.txt ||
        fail "log verify summary"
    ;;
*)
    fail "unknown scenario"
    ;;
esac
exit 0
