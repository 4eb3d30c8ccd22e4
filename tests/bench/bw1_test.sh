#!/bin/sh
# BW1 (bench/bw1.policy) decides as the shared benchmark's oracle does: 500 applications from
# shared/bench/gen.py (default seed) and reference.py's output for them, in data/. Runs the
# very command the benchmark times (bench/bw1_peer.sh).
#   sh bw1_test.sh MCRE SOURCE_DIR
set -u
mcre=$1
src=$2
data=$src/tests/bench/data
sh "$src/bench/bw1_peer.sh" "$mcre" -j 2 <"$data/bw1-500.jsonl" |
    python3 "$src/bench/bw1_compare.py" "$data/bw1-500.reference.jsonl"
