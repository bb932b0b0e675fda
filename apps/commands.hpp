#pragma once
// Each subcommand of `torus` registers itself on the command line parser and returns the
// function that runs it once the line is parsed.

#include <CLI/CLI.hpp>

#include <functional>
#include <utility>

#include "torus/core/runtime.hpp"

namespace torus::apps {

/// Runs a parsed subcommand; returns the process exit code.
using Command = std::function<int(Runtime&)>;

Command add_info_command(CLI::App& app);
Command add_ns2d_command(CLI::App& app);
Command add_selfcheck_command(CLI::App& app);
Command add_train_command(CLI::App& app);
Command add_eval_command(CLI::App& app);
/// `torus crystal` and its subcommands (convert, symmetry); crystal_command.cpp.
Command add_crystal_command(CLI::App& app);
/// `torus crystal xrd` (crystal_xrd_command.cpp): the parser of the subcommand and its work.
std::pair<CLI::App*, std::function<int()>> add_crystal_xrd(CLI::App& group);

}  // namespace torus::apps
