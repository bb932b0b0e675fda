#!/usr/bin/env bash
# The README's first command: installs and builds what is missing, then runs torus's main job,
# `torus ns2d`, on its small built-in default (4 FNO Gaussian-random-field samples on 64^2, FNO
# forcing, nu = 1e-3, to t = 1) on 2 MPI ranks. It writes build/ns2d.h5 and a picture of each
# sample's final vorticity into build/ns2d-pictures/. Extra arguments go to `torus ns2d`.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${TORUS_BUILD_DIR:-$root/build}
"$root/scripts/build.sh"
export OMP_NUM_THREADS=1
# Outputs go into the build directory unless the caller says where.
defaults=(--batch 4 --output "$build/ns2d.h5" --png "$build/ns2d-pictures")
for arg in "$@"; do
  case "$arg" in --output | --output=* | --png | --png=* | --batch | --batch=*) defaults=() ;; esac
done
# shellcheck disable=SC2046
exec mpirun $("$root/scripts/mpi-flags.sh") -n "${TORUS_RANKS:-2}" "$build/bin/torus" ns2d \
  "${defaults[@]}" "$@"
