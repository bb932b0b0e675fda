#!/usr/bin/env bash
# The README's first command: installs and builds what is missing, then runs torus's main job
# on its small built-in default, on 2 MPI ranks. Extra arguments go to `torus selfcheck`.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${TORUS_BUILD_DIR:-$root/build}
"$root/scripts/build.sh"
export OMP_NUM_THREADS=1
# The field goes into the build directory unless the caller says where (--out FILE).
out=(--out "$build/torus-selfcheck.h5")
for arg in "$@"; do [ "$arg" = "--out" ] || [[ "$arg" == --out=* ]] && out=(); done
# shellcheck disable=SC2046
exec mpirun $("$root/scripts/mpi-flags.sh") -n "${TORUS_RANKS:-2}" "$build/bin/torus" selfcheck \
  "${out[@]}" "$@"
