#!/usr/bin/env bash
# Installs what is missing, builds everything, and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh -DMCRE_BUILD_TESTS=ON -DMCRE_WARNINGS_AS_ERRORS=ON
ctest --test-dir build --output-on-failure -j "$(nproc)"
# The tests written inside the shipped policies (docs/policy-tests.md).
build/mcre test policies/
# Then the same suite under ASan+UBSan (clang 14, build-sanitize/), and each fuzzer for 30 s
# (docs/robustness.md). MCRE_SANITIZE=0 skips it, for a quick run on your own machine;
# .ci/run runs it.
if [ "${MCRE_SANITIZE:-1}" != 0 ]; then
    scripts/sanitize.sh
fi
