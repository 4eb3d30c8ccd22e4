#!/usr/bin/env bash
# Installs what is missing, builds everything, and runs the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh -DMCRE_BUILD_TESTS=ON -DMCRE_WARNINGS_AS_ERRORS=ON
ctest --test-dir build --output-on-failure -j "$(nproc)"
# The tests written inside the shipped policies (docs/policy-tests.md).
build/mcre test policies/
