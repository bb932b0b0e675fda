// A host code that started MPI itself creates and destroys a torus::Runtime: torus must use the
// running MPI, leave it running, and still bring Kokkos and PETSc up.
#include <mpi.h>
#include <petscsys.h>

#include <Kokkos_Core.hpp>
#include <cstdio>

#include "torus/core/runtime.hpp"

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int failures = 0;
  auto expect = [&](bool condition, const char* what) {
    if (!condition) {
      std::fprintf(stderr, "FAILED: %s\n", what);
      ++failures;
    }
  };
  {
    torus::Runtime runtime;
    expect(torus::Runtime::active(), "runtime active");
    expect(Kokkos::is_initialized(), "Kokkos initialised");
    PetscBool petsc = PETSC_FALSE;
    PetscInitialized(&petsc);
    expect(petsc == PETSC_TRUE, "PETSc initialised");
  }
  int finalized = 1;
  MPI_Finalized(&finalized);
  expect(!finalized, "MPI still running after the Runtime");
  expect(!torus::Runtime::active(), "no runtime after destruction");
  int rank = 0;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Finalize();
  if (rank == 0 && failures == 0)
    std::printf("runtime reused the running MPI and left it running\n");
  return failures == 0 ? 0 : 1;
}
