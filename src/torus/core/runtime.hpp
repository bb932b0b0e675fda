#pragma once
/// \file
/// torus::Runtime: the lifetime of MPI, Kokkos and PETSc in one process.

#include <mpi.h>

namespace torus {

/// Initialises MPI, Kokkos and PETSc, in that order, and finalises in reverse order what it
/// initialised itself. Whatever is already running (MPI started by mpi4py or a host code, Kokkos
/// started by an application) is used and left running. Exactly one Runtime may be alive at a
/// time; creating a second throws torus::Error.
///
/// \code
/// int main(int argc, char** argv) {
///   torus::Runtime runtime(argc, argv);
///   ...
/// }
/// \endcode
class Runtime {
 public:
  /// For programs: passes the command line to MPI, Kokkos (--kokkos-*) and PETSc (-ts_type ...).
  Runtime(int& argc, char**& argv);
  /// For embedding (Python): no command line; PETSc options come from PETSC_OPTIONS.
  Runtime();
  ~Runtime();
  Runtime(const Runtime&) = delete;
  Runtime& operator=(const Runtime&) = delete;

  /// The communicator torus works on (a duplicate of MPI_COMM_WORLD, so user messages never mix
  /// with the library's).
  MPI_Comm comm() const { return comm_; }
  int rank() const { return rank_; }
  int size() const { return size_; }

  /// True while a Runtime is alive in this process.
  static bool active();
  /// The live Runtime; throws torus::Error when there is none.
  static Runtime& current();

 private:
  void start(int* argc, char*** argv);

  bool owns_mpi_ = false;
  bool owns_kokkos_ = false;
  bool owns_petsc_ = false;
  MPI_Comm comm_ = MPI_COMM_NULL;
  int rank_ = 0;
  int size_ = 1;
};

}  // namespace torus
