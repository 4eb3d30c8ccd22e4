#!/usr/bin/env bash
# Installs what is missing, builds, and evaluates the shipped example under the Georgian policy.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh >&2
exec build/mcre evaluate --policy policies/georgia.policy "${1:-examples/gtu-network-admin.yaml}"
