#!/usr/bin/env bash
# Throughput and latency of `mcre serve` on loopback (docs/performance.md, "mcre serve under
# load"): starts the server with the shipped policies and an API key on a free port, drives
# POST /v1/evaluate with JSON applications and POST /v1/evaluate/batch with NDJSON using
# wrk (Debian's package, installed by `scripts/setup.sh bench`), at several connection
# counts and --threads settings, and prints requests/s and p50/p99 latency for each.
#
#   bench/serve_load.sh                          # build/mcre, 10 s per level
#   MCRE=/tmp/b-x/mcre DURATION=5 bench/serve_load.sh
#   CONNECTIONS="1 8 64" SERVER_THREADS="2 8" bench/serve_load.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
mcre=${MCRE:-$root/build/mcre}
duration=${DURATION:-10}
connections=${CONNECTIONS:-"1 8 64"}
server_threads=${SERVER_THREADS:-"2 8"}
[ -x "$mcre" ] || { echo "serve_load: no mcre binary at $mcre (set MCRE=...)" >&2; exit 2; }
command -v wrk >/dev/null || "$root/scripts/setup.sh" bench

work=$(mktemp -d)
pid=""
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
key=bench-$(od -An -N8 -tx8 /dev/urandom | tr -d ' ')
echo "$key" >"$work/keys"

# Bodies: the shipped JSON example and 40 generated Georgian and Armenian applications
# (`mcre gen-cohort`, seed 2026), one per request in turn; for the batch endpoint the same
# 40 as one NDJSON body of 40 lines.
"$mcre" gen-cohort --size 40 --seed 2026 --jurisdiction both --format jsonl \
    >"$work/cohort.jsonl" 2>/dev/null
bodies=$root/examples/docs/app-2026-0007.json
i=0
while IFS= read -r line; do
    i=$((i + 1))
    printf '%s' "$line" >"$work/app-$i.json"
    bodies="$bodies:$work/app-$i.json"
done <"$work/cohort.jsonl"
batch=$work/cohort.jsonl
batch_items=$(grep -c . "$batch")

start_server() {  # $1 = --threads
    "$mcre" serve --port 0 --policies "$root/policies" --api-keys "$work/keys" \
        --access-log /dev/null --threads "$1" >"$work/out" 2>"$work/err" &
    pid=$!
    port=""
    for _ in $(seq 1 100); do
        port=$(sed -n 's|^mcre serve: listening on http://127.0.0.1:\([0-9]*\)$|\1|p' "$work/out")
        [ -n "$port" ] && break
        sleep 0.1
    done
    [ -n "$port" ] || { echo "serve_load: the server did not start: $(cat "$work/err")" >&2; exit 1; }
    # Every body must be decided (200) before it is timed.
    for f in ${bodies//:/ }; do
        code=$(curl -s -o /dev/null -w '%{http_code}' -H "X-API-Key: $key" \
            -H 'Content-Type: application/json' --data-binary @"$f" "http://127.0.0.1:$port/v1/evaluate")
        [ "$code" = 200 ] || { echo "serve_load: $f answered $code" >&2; exit 1; }
    done
}

stop_server() {
    kill -TERM "$pid"
    wait "$pid" || { echo "serve_load: the server did not stop cleanly" >&2; exit 1; }
    pid=""
}

run() {  # $1 = label, $2 = path, $3 = content type, $4 = bodies, $5 = connections, $6 = items
    local c=$5 t=$(( $5 < 2 ? $5 : 2 ))
    local result
    result=$(SERVE_LOAD_PATH=$2 SERVE_LOAD_TYPE=$3 SERVE_LOAD_BODIES=$4 SERVE_LOAD_KEY=$key \
        wrk -t "$t" -c "$c" -d "${duration}s" --timeout 10s -s "$root/bench/serve_load.lua" \
        "http://127.0.0.1:$port" | sed -n 's/^RESULT //p')
    read -r rps p50 p99 non2xx errors <<<"$result"
    local rss
    rss=$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status")
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n' "$1" "$threads" "$c" "$rps" \
        "$(awk -v r="$rps" -v n="$6" 'BEGIN { printf "%.0f", r * n }')" "$p50" "$p99" \
        "$non2xx/$errors" "$(( rss / 1024 ))"
}

echo "# mcre serve under load, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "# machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
echo "# load average before: $(cut -d' ' -f1-3 /proc/loadavg); mcre $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo '?'); ${duration} s per row"
echo
echo "| endpoint | --threads | connections | requests/s | applications/s | p50 ms | p99 ms | non-2xx/socket errors | RSS MiB |"
echo "|---|---|---|---|---|---|---|---|---|"
for threads in $server_threads; do
    start_server "$threads"
    for c in $connections; do
        run /v1/evaluate /v1/evaluate application/json "$bodies" "$c" 1
    done
    run "/v1/evaluate/batch ($batch_items)" /v1/evaluate/batch application/x-ndjson "$batch" 8 "$batch_items"
    stop_server
done
echo
echo "# load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
