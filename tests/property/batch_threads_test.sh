#!/bin/sh
# The same input gives byte-identical batch output on one thread and on two: generated
# Georgian and Armenian applications, each line under the policy of its jurisdiction.
#   batch_threads_test.sh MCRE SOURCE_DIR WORK_DIR
mcre=$1 src=$2 work=$3
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 2
"$mcre" gen-cohort --size 600 --seed 99 >in.jsonl || fail "gen-cohort"
# Bad lines among them, so that error records are compared too.
{ head -n 300 in.jsonl; echo '{"id": "broken"'; echo; tail -n 300 in.jsonl; } >mixed.jsonl
for format in json summary; do
    "$mcre" batch --policy "$src/policies" --format $format -j 1 <mixed.jsonl >j1.jsonl 2>j1.err
    e1=$?
    "$mcre" batch --policy "$src/policies" --format $format -j 2 <mixed.jsonl >j2.jsonl 2>j2.err
    e2=$?
    [ "$e1" = "$e2" ] || fail "$format: exit $e1 on -j 1, $e2 on -j 2"
    [ "$(wc -l <j1.jsonl)" -eq 602 ] || fail "$format: $(wc -l <j1.jsonl) records for 602 lines"
    cmp -s j1.jsonl j2.jsonl || fail "$format: -j 1 and -j 2 differ"
    cmp -s j1.err j2.err || fail "$format: the summaries differ"
    grep -q '"ok":true' j1.jsonl || fail "$format: nothing decided"
done
echo "ok: -j 1 and -j 2 byte-identical on 602 lines, json and summary"
