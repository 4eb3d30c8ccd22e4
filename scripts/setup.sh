#!/usr/bin/env bash
# Installs the Debian 12 packages mcre needs to build and test; does nothing when they are present.
set -euo pipefail

packages=(
    # build-essential brings g++-12 with libstdc++-12-dev and libgcc-12-dev, whose
    # libstdc++.a and libgcc_eh.a are linked into build/mcre (cmake/StaticLink.cmake).
    build-essential cmake ninja-build pkg-config
    libboost1.81-dev   # Spirit X3 (header-only)
    libyaml-cpp-dev    # YAML applications (its libyaml-cpp.a is linked in)
    libsimdjson-dev    # JSON applications, fast (engine/application_json.cpp)
    libfmt-dev         # formatting
    libspdlog-dev      # operational logs in the cli
    nlohmann-json3-dev # JSON decisions
    libcpp-httplib-dev # mcre serve
    libsqlite3-dev     # the decision log (its libsqlite3.a is linked in)
    catch2             # tests (v2)
    # The workbench's end-to-end tests (tests/e2e, ctest -L e2e): Chromium driven over
    # WebDriver and Firefox ESR over Marionette (no geckodriver in Debian 12), both by a
    # Node script; DejaVu Sans renders Georgian and Armenian in both.
    chromium chromium-driver firefox-esr nodejs fonts-dejavu-core
)
# `scripts/setup.sh sanitize` (scripts/sanitize.sh): the sanitized build and the fuzzers.
if [ "${1:-}" = sanitize ]; then
    packages+=(
        clang-14 libclang-rt-14-dev # ASan, UBSan and libFuzzer runtimes
        llvm-14                     # llvm-symbolizer, for readable sanitizer reports
    )
fi
# `scripts/setup.sh bench` (bench/serve_load.sh): the HTTP load generator.
if [ "${1:-}" = bench ]; then
    packages+=(wrk)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing ${missing[*]}" >&2
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
