#include "torus/core/runtime.hpp"

#include <petscsys.h>

#include <Kokkos_Core.hpp>

#include <cstring>
#include <vector>

#include "torus/core/error.hpp"
#include "torus/core/log.hpp"

namespace torus {
namespace {
Runtime* g_current = nullptr;
}

Runtime::Runtime(int& argc, char**& argv) { start(&argc, &argv); }

Runtime::Runtime() { start(nullptr, nullptr); }

void Runtime::start(int* argc, char*** argv) {
  TORUS_REQUIRE(g_current == nullptr, "a torus::Runtime is already alive in this process",
                "torus::Runtime", "create one Runtime per process and pass it around");

  // 1. MPI. FUNNELED: only the thread that made the Runtime calls MPI.
  int mpi_ready = 0;
  MPI_Initialized(&mpi_ready);
  if (!mpi_ready) {
    int provided = 0;
    MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided);
    owns_mpi_ = true;
  }
  MPI_Comm_dup(MPI_COMM_WORLD, &comm_);
  MPI_Comm_rank(comm_, &rank_);
  MPI_Comm_size(comm_, &size_);
  log::configure(rank_);

  // 2. Kokkos. It also answers un-prefixed options such as --help and --threads, which belong
  // to the program, so it sees only the --kokkos-* ones, and those are taken out of argv.
  if (!Kokkos::is_initialized()) {
    std::vector<char*> kokkos_args;
    if (argc != nullptr && *argc > 0) {
      kokkos_args.push_back((*argv)[0]);
      int kept = 1;
      for (int i = 1; i < *argc; ++i) {
        if (std::strncmp((*argv)[i], "--kokkos-", 9) == 0) {
          kokkos_args.push_back((*argv)[i]);
        } else {
          (*argv)[kept++] = (*argv)[i];
        }
      }
      *argc = kept;
    }
    int kokkos_argc = static_cast<int>(kokkos_args.size());
    kokkos_args.push_back(nullptr);
    if (kokkos_argc > 0) {
      char** kokkos_argv = kokkos_args.data();
      Kokkos::initialize(kokkos_argc, kokkos_argv);
    } else {
      Kokkos::initialize();
    }
    owns_kokkos_ = true;
  }

  // 3. PETSc, on the world communicator MPI already gave us.
  PetscBool petsc_ready = PETSC_FALSE;
  PetscInitialized(&petsc_ready);
  if (!petsc_ready) {
    PetscErrorCode status = argc != nullptr ? PetscInitialize(argc, argv, nullptr, nullptr)
                                            : PetscInitializeNoArguments();
    TORUS_REQUIRE(status == 0, "PETSc failed to initialise (code " + std::to_string(status) + ")",
                  "PETSC_OPTIONS", "check the PETSc options given on the command line");
    owns_petsc_ = true;
    // PETSc's signal handler turns a closed pipe (`torus info | head`) into MPI_Abort; torus
    // wants the default behaviour. PETSc's own -on_error_* options still work.
    PetscPopSignalHandler();
  }

  g_current = this;
  log::debug("runtime: {} rank(s), Kokkos {} (started here: {}), PETSc started here: {}", size_,
             Kokkos::DefaultExecutionSpace::name(), owns_kokkos_, owns_petsc_);
}

Runtime::~Runtime() {
  g_current = nullptr;
  if (owns_petsc_) PetscFinalize();
  if (owns_kokkos_) Kokkos::finalize();
  int mpi_finalized = 0;
  MPI_Finalized(&mpi_finalized);
  if (!mpi_finalized && comm_ != MPI_COMM_NULL) MPI_Comm_free(&comm_);
  if (owns_mpi_ && !mpi_finalized) MPI_Finalize();
}

bool Runtime::active() { return g_current != nullptr; }

Runtime& Runtime::current() {
  TORUS_REQUIRE(g_current != nullptr, "no torus::Runtime is alive", "torus::Runtime::current()",
                "create a torus::Runtime at the start of main (Python does this on import)");
  return *g_current;
}

}  // namespace torus
