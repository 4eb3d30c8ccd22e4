#!/bin/sh
# mcre as a peer of the shared BW1 benchmark: BW1's input lines on stdin, one summary line per
# application on stdout in BW1's reason codes (bench/run-bw1.sh, docs/performance.md).
#   bench/bw1_peer.sh MCRE [batch options, e.g. -j 2] < bw1.jsonl > decisions.jsonl
here=$(cd "$(dirname "$0")" && pwd)
mcre=$1
shift
python3 "$here/bw1_convert.py" |
    "$mcre" batch --policy "$here/bw1.policy" --format summary "$@" 2>/dev/null |
    sed -f "$here/bw1_codes.sed"
