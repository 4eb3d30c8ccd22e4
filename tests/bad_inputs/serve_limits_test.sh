#!/bin/sh
# mcre serve applies the input limits it is given (docs/robustness.md, "Limits"): with
# --max-credentials 2, an application of three credentials is a 422 naming E4051 and the
# option, and one of two is decided.
#   serve_limits_test.sh MCRE SOURCE_DIR WORK_DIR
mcre=$1 src=$2 work=$3
fail() { echo "FAIL: $*"; [ -n "$pid" ] && kill "$pid" 2>/dev/null; exit 1; }
rm -rf "$work" && mkdir -p "$work" && cd "$work" || exit 2
line=$(sed -n 1p "$src/tests/bad_inputs/batch/bad-records.jsonl")
# The first line's one credential, three times under other ids; then twice.
three=$(printf '%s' "$line" | sed 's/"credentials":\[\({.*}\)\]/"credentials":[\1,\1,\1]/' |
    awk '{ n = 0; while (sub(/"id":"c1"/, "\"id\":\"x" ++n "\"")) ; print }')
two=$(printf '%s' "$line" | sed 's/"credentials":\[\({.*}\)\]/"credentials":[\1,\1]/' |
    awk '{ n = 0; while (sub(/"id":"c1"/, "\"id\":\"x" ++n "\"")) ; print }')
"$mcre" serve --policies "$src/policies" --port 0 --max-credentials 2 >out.txt 2>err.txt &
pid=$!
for i in $(seq 1 100); do
    port=$(sed -n 's|^mcre serve: listening on http://127.0.0.1:\([0-9]*\)$|\1|p' out.txt)
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || fail "the server did not start: $(cat err.txt)"
code=$(printf '%s' "$three" | curl -s -o three.json -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary @- "http://127.0.0.1:$port/v1/evaluate")
[ "$code" = 422 ] || fail "three credentials: HTTP $code, $(cat three.json)"
grep -q 'E4051' three.json || fail "no E4051: $(cat three.json)"
grep -q -- '--max-credentials' three.json || fail "the option is not named: $(cat three.json)"
code=$(printf '%s' "$two" | curl -s -o two.json -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary @- "http://127.0.0.1:$port/v1/evaluate")
[ "$code" = 200 ] || fail "two credentials: HTTP $code, $(cat two.json)"
kill "$pid"
wait "$pid"
echo "ok: 422 E4051 over --max-credentials 2, 200 at 2"
