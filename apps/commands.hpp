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
/// `torus crystal` and its subcommands (convert, symmetry, xrd, eval); crystal_command.cpp.
Command add_crystal_command(CLI::App& app);
/// `torus crystal xrd` (crystal_xrd_command.cpp): the parser of the subcommand and its work.
std::pair<CLI::App*, std::function<int()>> add_crystal_xrd(CLI::App& group);
/// `torus crystal eval` (crystal_eval_command.cpp): the parser and its work on every rank.
std::pair<CLI::App*, Command> add_crystal_eval(CLI::App& group);
/// Runs `work` on rank 0; a torus::Error there is raised on every rank (crystal_command.cpp).
int on_rank_zero(Runtime& runtime, const std::function<int()>& work);

}  // namespace torus::apps
