#!/usr/bin/env bash
# The whole test suite under AddressSanitizer and UndefinedBehaviorSanitizer (clang 14),
# then each libFuzzer target for a short bounded time (docs/robustness.md).
#   scripts/sanitize.sh              build build-sanitize/, run ctest, fuzz 30 s per target
#   FUZZ_SECONDS=0 scripts/sanitize.sh   skip the fuzzing
#   MCRE_USE_CCACHE=ON scripts/sanitize.sh   compile through ccache
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh sanitize
dir=build-sanitize
cmake --preset sanitize -B "$dir" -DMCRE_USE_CCACHE="${MCRE_USE_CCACHE:-OFF}" >/dev/null
cmake --build "$dir" -j "$(nproc)"
# Findings stop the test that hit them (-fno-sanitize-recover=all); leaks are findings too.
# Exit code 86, not 1: a test expecting mcre's exit 1 (rejected input) must not pass on a
# sanitizer report. The same settings as the preset's (CMakePresets.json, testPresets).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1:check_initialization_order=1:exitcode=86}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1:exitcode=86}"
[ -x /usr/bin/llvm-symbolizer-14 ] && export ASAN_SYMBOLIZER_PATH=/usr/bin/llvm-symbolizer-14
ctest --test-dir "$dir" --output-on-failure -j "$(nproc)"
"$dir"/mcre test policies/ >/dev/null
seconds="${FUZZ_SECONDS:-30}"
if [ "$seconds" -gt 0 ]; then
    scripts/fuzz.sh "$seconds"
fi
