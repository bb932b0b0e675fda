// `torus selfcheck`: the main job until the solver lands.
#include "commands.hpp"

namespace torus::apps {

Command add_selfcheck_command(CLI::App& app) {
  app.add_subcommand("selfcheck", "placeholder");
  return [](Runtime&) { return 0; };
}

}  // namespace torus::apps
