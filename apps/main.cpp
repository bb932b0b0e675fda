// torus: learning on periodic domains. One command, one subcommand per job.
#include <CLI/CLI.hpp>

#include <cstdio>
#include <iostream>
#include <map>

#include "commands.hpp"
#include "torus/core/error.hpp"
#include "torus/core/log.hpp"
#include "torus/core/runtime.hpp"
#include "torus/version.hpp"

int main(int argc, char** argv) {
  // The Runtime comes first: MPI and PETSc take their own options out of argv.
  torus::Runtime runtime(argc, argv);
  const bool speaks = runtime.rank() == 0;

  CLI::App app{"torus " TORUS_VERSION_STRING
               ": learning on periodic domains (spectral neural operators, pseudo-spectral "
               "Navier-Stokes, crystal generators).\nRun under mpirun to use several ranks.",
               "torus"};
  app.set_version_flag("--version", TORUS_VERSION_STRING);
  app.require_subcommand(1, 1);
  // PETSc's options (-ts_type ...) reach PETSc through argv; let them pass.
  app.allow_extras();

  std::map<CLI::App*, torus::apps::Command> commands;
  auto add = [&](torus::apps::Command command) {
    commands[app.get_subcommands({}).back()] = std::move(command);
  };
  add(torus::apps::add_selfcheck_command(app));
  add(torus::apps::add_info_command(app));
  add(torus::apps::add_ns2d_command(app));
  add(torus::apps::add_train_command(app));
  add(torus::apps::add_eval_command(app));
  add(torus::apps::add_crystal_command(app));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help and --version are "errors" with exit code 0; only rank 0 prints.
    if (speaks) return app.exit(e);
    return e.get_exit_code();
  }

  for (auto& [subcommand, command] : commands) {
    if (!subcommand->parsed()) continue;
    try {
      return command(runtime);
    } catch (const torus::Error& e) {
      torus::log::error("{}", e.what());
      return 1;
    } catch (const std::exception& e) {
      torus::log::error("unexpected failure: {}", e.what());
      return 2;
    }
  }
  return 0;
}
