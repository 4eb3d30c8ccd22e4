#!/bin/sh
# mcre batch --input-map (docs/input-format.md, "Input maps"), run as a user runs it.
#   sh input_map_cli_test.sh SCENARIO MCRE SOURCE_DIR WORK_DIR
set -u
scenario=$1
mcre=$2
src=$3
work=$4
mkdir -p "$work"
cd "$work" || exit 1
fail() { echo "FAIL: $*"; exit 1; }
case $scenario in
campus)
    # The example of the docs: one line decided through the map, one with a mistake reported
    # at the export's own text; exit 1 because a line failed.
    "$mcre" batch --policy "$src/policies/georgia.policy" \
        --input-map "$src/examples/input-map/campus.input-map.yaml" --format summary \
        <"$src/examples/input-map/campus-export.jsonl" >out.jsonl 2>err.txt
    [ $? -eq 1 ] || fail "exit code"
    diff "$src/tests/input/data/campus.expected" out.jsonl || fail "output"
    ;;
bad_map)
    # A broken map is reported at its lines and columns, and nothing is read.
    echo '{"id":"x"}' | "$mcre" batch --policy "$src/policies/georgia.policy" \
        --input-map "$src/tests/input/data/bad.input-map.yaml" >out.jsonl 2>err.txt
    [ $? -eq 1 ] || fail "exit code"
    [ ! -s out.jsonl ] || fail "lines were read"
    grep -q "bad.input-map.yaml:3:3: error: unknown field 'dat' in section 'application' of the input map \[E4004\]" err.txt || fail "E4004: $(cat err.txt)"
    grep -q "bad.input-map.yaml:5:37: error: 'kind' in section 'credential' is read both from key 'category' and from a constant \[E4060\]" err.txt || fail "E4060: $(cat err.txt)"
    ;;
evaluate)
    # evaluate takes the same map, for one application file.
    head -n 1 "$src/examples/input-map/campus-export.jsonl" >application.json
    "$mcre" evaluate --policy "$src/policies/georgia.policy" --format json \
        --input-map "$src/examples/input-map/campus.input-map.yaml" application.json \
        >out.json 2>err.txt || fail "exit code: $(cat err.txt)"
    grep -q '"id": "2026-0107"' out.json || fail "decision: $(head -c 600 out.json)"
    grep -q '"status": "recognized"' out.json || fail "ECTS: $(head -c 600 out.json)"
    ;;
missing_map)
    echo '{"id":"x"}' | "$mcre" batch --policy "$src/policies/georgia.policy" \
        --input-map no-such.yaml >out.jsonl 2>err.txt
    [ $? -eq 1 ] || fail "exit code"
    grep -q "no-such.yaml" err.txt || fail "message: $(cat err.txt)"
    ;;
*)
    fail "unknown scenario $scenario"
    ;;
esac
echo "ok $scenario"
