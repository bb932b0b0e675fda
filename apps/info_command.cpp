// `torus info`: what this build of torus runs on.
#include <cstdio>

#include "commands.hpp"
#include "torus/core/build_info.hpp"

namespace torus::apps {

Command add_info_command(CLI::App& app) {
  app.add_subcommand("info",
                     "Print the versions of torus, Kokkos, FFTW, PETSc, spglib, HDF5 and MPI, "
                     "the execution space and the number of ranks");
  return [](Runtime& runtime) {
    if (runtime.rank() != 0) return 0;
    for (const auto& [name, version] : library_versions()) {
      std::printf("%-16s %s\n", name.c_str(), version.c_str());
    }
    std::printf("%-16s %s\n", "execution space", execution_space_name().c_str());
    std::printf("%-16s %d\n", "ranks", runtime.size());
    return 0;
  };
}

}  // namespace torus::apps
