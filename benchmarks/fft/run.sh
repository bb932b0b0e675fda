#!/usr/bin/env bash
# Runs the FFT benchmark on 2 ranks (the one-rank rows run on rank 0 inside the same run) and
# puts its table into benchmarks/RESULTS.md between the fft markers.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
build=${TORUS_BUILD_DIR:-$root/build}
"$root/scripts/build.sh"
table=$(mktemp)
export OMP_NUM_THREADS=1
command="benchmarks/fft/run.sh (mpirun -n 2 build/benchmarks/bench_fft)"
# shellcheck disable=SC2046
mpirun $("$root/scripts/mpi-flags.sh") -n 2 "$build/benchmarks/bench_fft" --out "$table" \
  --command "$command" "$@"
"$root/benchmarks/update-results.sh" fft "$table"
rm -f "$table"
