#!/usr/bin/env bash
# Builds and runs the in-process micro-benchmarks (bench/evaluate_benchmark.cpp) in a
# release build of its own; installs Debian's Google Benchmark when it is missing.
#
#   bench/micro.sh                       # all benchmarks
#   bench/micro.sh --benchmark_filter=lean
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$root/build-bench}
"$root/scripts/setup.sh"
if ! dpkg-query -W -f='${Status}' libbenchmark-dev 2>/dev/null | grep -q "ok installed"; then
    sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends libbenchmark-dev
fi
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DMCRE_BUILD_TESTS=OFF \
    -DMCRE_BUILD_BENCH=ON >/dev/null
cmake --build "$build" --target mcre_micro_bench
exec "$build/bench/mcre_micro_bench" "$@"
