// `torus selfcheck`: the main job until the solver lands. Prints what it verified.
#include <cstdio>

#include "commands.hpp"
#include "torus/selfcheck.hpp"

namespace torus::apps {

Command add_selfcheck_command(CLI::App& app) {
  auto options = std::make_shared<SelfcheckOptions>();
  auto* command = app.add_subcommand(
      "selfcheck",
      "Transform, differentiate and write analytic fields split over the ranks, and check each "
      "step against an independent truth (the main job until the solver lands)");
  command->add_option("--n", options->n, "points per side of the 2-D grid (3-D uses n/2)")
      ->check(CLI::Range(4, 1 << 14))
      ->capture_default_str();
  command->add_option("--batch", options->batch, "fields transformed at once")
      ->check(CLI::Range(1, 4096))
      ->capture_default_str();
  command->add_option("--out", options->output, "HDF5 file written and read back")
      ->capture_default_str();
  return [options](Runtime& runtime) {
    const auto results = run_selfcheck(runtime, *options);
    bool all = true;
    if (runtime.rank() == 0) {
      std::printf("%-48s %12s %12s  %s\n", "check", "error", "tolerance", "result");
      for (const auto& r : results) {
        std::printf("%-48s %12.3e %12.3e  %s\n", r.check.c_str(), r.error, r.tolerance,
                    r.passed() ? "ok" : "FAILED");
      }
    }
    for (const auto& r : results) all = all && r.passed();
    if (runtime.rank() == 0) {
      std::printf("%s: %zu checks on %d rank(s); field written to %s\n",
                  all ? "selfcheck passed" : "selfcheck FAILED", results.size(), runtime.size(),
                  options->output.c_str());
    }
    return all ? 0 : 1;
  };
}

}  // namespace torus::apps
