#!/usr/bin/env bash
# The README's second command (and CI's): installs and builds what is missing, checks the
# formatting, then runs the whole suite: GoogleTest at 1 and 2 ranks, pytest, the install check.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${TORUS_BUILD_DIR:-$root/build}
"$root/scripts/build.sh"
"$root/scripts/check-format.sh"
export OMP_NUM_THREADS=1
# PROCESSORS on the 2-rank tests keeps ctest from oversubscribing the cores.
ctest --test-dir "$build" --output-on-failure -j"$(nproc)" "$@"
