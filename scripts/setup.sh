#!/usr/bin/env bash
# Installs every Debian package that torus's build, tests and benchmarks need.
# Idempotent: when everything is present it only checks and returns (a second or so).
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake pkg-config git clang-format
  # MPI and the numerical spine
  libopenmpi-dev openmpi-bin
  libtrilinos-kokkos-dev
  libfftw3-dev libfftw3-mpi-dev
  petsc-dev
  libsymspg-dev
  libhdf5-openmpi-dev hdf5-tools
  pybind11-dev python3-dev
  # well-kept helpers (DESIGN.md, "Dependencies")
  libcli11-dev libspdlog-dev libfmt-dev nlohmann-json3-dev libpng-dev gemmi-dev
  tao-pegtl-dev  # gemmi-dev's CIF grammar includes <tao/pegtl.hpp> but Debian does not pull it in
  libgtest-dev libgmock-dev libbenchmark-dev
  # Python side: tests and independent references (never library dependencies)
  python3-numpy python3-pytest python3-h5py python3-matplotlib python3-spglib
  python3-pymatgen python3-torch
  # the BLAS torus links (libblas-dev, the reference interface) and the optimised one Debian's
  # alternatives put behind libblas.so.3 at run time; PyTorch rivals in benchmarks use it too
  libblas-dev libopenblas0-pthread
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#packages[@]} Debian packages present"
  exit 0
fi

echo "setup: installing ${#missing[@]} Debian packages: ${missing[*]}"
sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
