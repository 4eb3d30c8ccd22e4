#!/bin/sh
# CLI tests for `mcre gen-cohort`: sh gen_cohort_cli_test.sh SCENARIO MCRE SOURCE_DIR WORK_DIR
set -u
scenario=$1
mcre=$2
work=$4
rm -rf "$work" && mkdir -p "$work" || exit 1
cd "$work" || exit 1

fail() {
    echo "FAIL ($scenario): $*" >&2
    exit 1
}

case $scenario in
same_seed_same_bytes)
    "$mcre" gen-cohort --size 300 --seed 11 >a.jsonl 2>err.txt || fail "exit $?"
    "$mcre" gen-cohort --size 300 --seed 11 -o b.jsonl 2>/dev/null || fail "exit $? with -o"
    "$mcre" gen-cohort --size 300 --seed 12 >c.jsonl 2>/dev/null || fail "exit $? seed 12"
    cmp -s a.jsonl b.jsonl || fail "the same seed gave different bytes"
    cmp -s a.jsonl c.jsonl && fail "another seed gave the same bytes"
    [ "$(wc -l <a.jsonl)" -eq 300 ] || fail "expected 300 lines"
    grep -q '^gen-cohort: 300 applications, [0-9]* credentials$' err.txt ||
        fail "summary: $(cat err.txt)"
    ;;
format_from_extension)
    "$mcre" gen-cohort --size 20 --seed 3 --jurisdiction AM -o c.csv 2>/dev/null || fail "exit $?"
    head -1 c.csv | grep -q '^application_id,date,jurisdiction,learner_id,' || fail "no CSV header"
    grep -q '^GE-' c.csv && fail "GE application in an AM cohort"
    "$mcre" gen-cohort --size 20 --seed 3 --jurisdiction AM --format csv >d.csv 2>/dev/null
    cmp -s c.csv d.csv || fail "-o x.csv and --format csv differ"
    "$mcre" gen-cohort --size 20 --seed 3 --jurisdiction GE --format jsonl -o e.csv 2>/dev/null
    head -c 1 e.csv | grep -q '{' || fail "--format jsonl did not win over the extension"
    ;;
usage_errors)
    for args in "--seed 1" "--size 10" "--size ten --seed 1" "--size 10 --seed 1 --jurisdiction FR" \
        "--size 10 --seed 1 --format xml" "--size 10 --seed 1 --colour" "--size"; do
        # shellcheck disable=SC2086
        "$mcre" gen-cohort $args >out.txt 2>err.txt
        code=$?
        [ "$code" -eq 2 ] || fail "'$args': exit $code, expected 2"
        [ -s out.txt ] && fail "'$args': wrote to stdout"
        grep -q 'usage: mcre gen-cohort' err.txt || fail "'$args': no usage on stderr"
    done
    "$mcre" gen-cohort --size 10 --seed 1 -o /nonexistent/dir/c.jsonl 2>err.txt
    [ $? -eq 1 ] || fail "unwritable output: expected exit 1"
    grep -q 'cannot write /nonexistent/dir/c.jsonl' err.txt || fail "no message: $(cat err.txt)"
    ;;
help)
    "$mcre" gen-cohort --help | grep -q 'usage: mcre gen-cohort' || fail "--help"
    "$mcre" help gen-cohort | grep -q -- '--jurisdiction J' || fail "help gen-cohort"
    "$mcre" --help | grep -q 'gen-cohort --size N --seed S' || fail "main help lists gen-cohort"
    ;;
*)
    fail "unknown scenario"
    ;;
esac
echo "ok ($scenario)"
