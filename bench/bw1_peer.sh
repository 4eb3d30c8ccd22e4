#!/bin/sh
# mcre as a peer of the shared BW1 benchmark: BW1's input lines on stdin, one summary line per
# application on stdout in BW1's reason codes (bench/run-bw1.sh, docs/performance.md).
#   bench/bw1_peer.sh MCRE [batch options, e.g. -j 2] < bw1.jsonl > decisions.jsonl
# BW1's lines are read as they are: bench/bw1.input-map.yaml says which of BW1's keys holds
# each field of mcre's application (docs/input-format.md, "Input maps"), and bw1.policy's caps
# give BW1's reason codes themselves (`code CAP`, `code CAP_VOCATIONAL`).
# The shell replaces itself with mcre (exec) and finds this directory without a subshell:
# each process fewer is a millisecond of start-up here (docs/performance.md, section 2.11).
case $0 in
*/*) here=${0%/*} ;;
*) here=. ;;
esac
mcre=$1
shift
exec "$mcre" batch --policy "$here/bw1.policy" --input-map "$here/bw1.input-map.yaml" \
    --format summary "$@" 2>/dev/null
