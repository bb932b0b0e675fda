#include "torus/core/build_info.hpp"

#include <fftw3.h>
#include <hdf5.h>
#include <mpi.h>
#include <petscsys.h>
#include <spglib.h>

#include <Kokkos_Core.hpp>

#include "torus/version.hpp"

namespace torus {

std::vector<std::pair<std::string, std::string>> library_versions() {
  std::vector<std::pair<std::string, std::string>> versions;
  versions.emplace_back("torus", TORUS_VERSION_STRING);
  versions.emplace_back("Kokkos", std::to_string(KOKKOS_VERSION / 10000) + "." +
                                      std::to_string(KOKKOS_VERSION / 100 % 100) + "." +
                                      std::to_string(KOKKOS_VERSION % 100));
  versions.emplace_back("FFTW", fftw_version);

  char petsc[256] = {0};
  PetscGetVersion(petsc, sizeof petsc);
  versions.emplace_back("PETSc", petsc);

  // spglib's pkg-config file has no version: ask the library itself.
  versions.emplace_back("spglib", std::to_string(spg_get_major_version()) + "." +
                                      std::to_string(spg_get_minor_version()) + "." +
                                      std::to_string(spg_get_micro_version()));

  unsigned major = 0, minor = 0, release = 0;
  H5get_libversion(&major, &minor, &release);
  std::string hdf5 =
      std::to_string(major) + "." + std::to_string(minor) + "." + std::to_string(release);
#ifdef H5_HAVE_PARALLEL
  hdf5 += " (parallel)";
#endif
  versions.emplace_back("HDF5", hdf5);

  char mpi[MPI_MAX_LIBRARY_VERSION_STRING] = {0};
  int length = 0;
  MPI_Get_library_version(mpi, &length);
  std::string mpi_text(mpi, length);
  // Keep the first line ("Open MPI v4.1.4, package: ..." is long enough).
  if (auto end = mpi_text.find_first_of(",\n"); end != std::string::npos) mpi_text.resize(end);
  int mpi_major = 0, mpi_minor = 0;
  MPI_Get_version(&mpi_major, &mpi_minor);
  versions.emplace_back("MPI", mpi_text + " (standard " + std::to_string(mpi_major) + "." +
                                   std::to_string(mpi_minor) + ")");
  return versions;
}

std::string execution_space_name() { return Kokkos::DefaultExecutionSpace::name(); }

}  // namespace torus
