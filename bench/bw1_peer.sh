#!/bin/sh
# mcre as a peer of the shared BW1 benchmark: BW1's input lines on stdin, one summary line per
# application on stdout in BW1's reason codes (bench/run-bw1.sh, docs/performance.md).
#   bench/bw1_peer.sh MCRE [batch options, e.g. -j 2] < bw1.jsonl > decisions.jsonl
# BW1's lines are read as they are: bench/bw1.input-map.yaml says which of BW1's keys holds
# each field of mcre's application (docs/input-format.md, "Input maps"), and bw1.policy's caps
# give BW1's reason codes themselves (`code CAP`, `code CAP_VOCATIONAL`).
here=$(cd "$(dirname "$0")" && pwd)
mcre=$1
shift
"$mcre" batch --policy "$here/bw1.policy" --input-map "$here/bw1.input-map.yaml" \
    --format summary "$@" 2>/dev/null
