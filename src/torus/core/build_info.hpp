#pragma once
/// \file
/// The versions of torus and of the libraries it runs on, read at run time where the library
/// offers it (so the report describes the shared libraries actually loaded).

#include <string>
#include <utility>
#include <vector>

namespace torus {

/// (name, version) pairs: torus, Kokkos, FFTW, PETSc, spglib, HDF5, MPI, in that order.
std::vector<std::pair<std::string, std::string>> library_versions();

/// The Kokkos execution space torus kernels run in ("Serial", "OpenMP", "Cuda", ...).
std::string execution_space_name();

}  // namespace torus
