#!/usr/bin/env bash
# Builds torus in build/ (Release) after making sure every Debian package is present, and makes
# `import torus` work for Debian's /usr/bin/python3 without an install step.
#   TORUS_BUILD_DIR   build directory (default: <repo>/build)
#   TORUS_JOBS        parallel build jobs (default: number of cores)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${TORUS_BUILD_DIR:-$root/build}

"$root/scripts/setup.sh"

if [ ! -f "$build/CMakeCache.txt" ]; then
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release \
        -DTORUS_MPIEXEC_FLAGS="$("$root/scripts/mpi-flags.sh")"
fi
cmake --build "$build" -j"${TORUS_JOBS:-$(nproc)}"

# A .pth file in the user's site-packages puts <build>/python on Debian Python's path.
/usr/bin/python3 - "$build/python" <<'PY'
import os, site, sys
target = os.path.abspath(sys.argv[1])
folder = site.getusersitepackages()
os.makedirs(folder, exist_ok=True)
path = os.path.join(folder, "torus-build.pth")
if not os.path.exists(path) or open(path).read().strip() != target:
    with open(path, "w") as f:
        f.write(target + "\n")
    print(f"build: /usr/bin/python3 now imports torus from {target}")
PY
