// `torus crystal`: crystal data sets. One function per subcommand; add a subcommand by writing
// its add_* function and listing it in add_crystal_command. The work happens on rank 0 (these
// are file conversions of a few thousand small crystals); the other ranks wait for its verdict.
// `eval` (crystal_eval_command.cpp) is the exception: it matches pairs on every rank.
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "commands.hpp"
#include "torus/core/collective_error.hpp"
#include "torus/core/log.hpp"
#include "torus/crystal/cdvae_csv.hpp"
#include "torus/crystal/crystal_set.hpp"
#include "torus/crystal/symmetry_statistics.hpp"

namespace torus::apps {

int on_rank_zero(Runtime& runtime, const std::function<int()>& work) {
  return collective(runtime.comm(), [&] { return runtime.rank() == 0 ? work() : 0; });
}

namespace {

using Subcommand = std::pair<CLI::App*, std::function<int()>>;

Subcommand add_convert(CLI::App& group) {
  struct Options {
    std::string csv, out;
  };
  auto options = std::make_shared<Options>();
  CLI::App* sub = group.add_subcommand(
      "convert", "Convert a CDVAE CSV (a P1 CIF per row) into an HDF5 crystal set");
  sub->add_option("csv", options->csv, "CDVAE CSV file (columns material_id, cif, ...)")
      ->required();
  sub->add_option("out", options->out, "HDF5 crystal set to write (docs/hdf5.md)")->required();
  return {sub, [options] {
            const auto result = crystal::read_cdvae_csv(options->csv);
            const auto kept = result.set.size();
            if (kept > 0) crystal::write_crystal_set(options->out, result.set, options->csv);
            log::info("{}: {} rows, {} crystals written to {}, {} rows failed", options->csv,
                      result.rows, kept, kept > 0 ? options->out : "(nothing)",
                      result.failures.size());
            for (const auto& f : result.failures) {
              std::printf("failed  line %d  %s  %s\n", f.line, f.id.c_str(), f.reason.c_str());
            }
            return kept > 0 ? 0 : 1;
          }};
}

Subcommand add_symmetry(CLI::App& group) {
  struct Options {
    std::string set, refined;
    double symprec = 0.1;
    double angle_tolerance = -1.0;
  };
  auto options = std::make_shared<Options>();
  CLI::App* sub = group.add_subcommand(
      "symmetry", "Space groups of a crystal set (spglib); optionally write the refined cells");
  sub->add_option("set", options->set, "HDF5 crystal set (from `torus crystal convert`)")
      ->required();
  sub->add_option("--symprec", options->symprec, "spglib's distance tolerance in Å")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  sub->add_option("--angle-tolerance", options->angle_tolerance,
                  "spglib's angle tolerance in degrees (negative: spglib's default)")
      ->capture_default_str();
  sub->add_option("--refined", options->refined,
                  "write the refined (symmetrised conventional) cells as a new crystal set");
  return {sub, [options] {
            const auto set = crystal::read_crystal_set(options->set);
            crystal::CrystalSet refined;
            const crystal::SymmetryOptions tolerances{options->symprec, options->angle_tolerance};
            const auto stats = crystal::space_group_statistics(
                set, tolerances, options->refined.empty() ? nullptr : &refined);
            std::printf("%s: %lld crystals, symprec %g\n", options->set.c_str(),
                        static_cast<long long>(set.size()), options->symprec);
            std::printf("%12s  %-12s %8s\n", "space group", "symbol", "crystals");
            for (const auto& [number, count] : stats.counts) {
              std::printf("%12d  %-12s %8lld\n", number, stats.symbols.at(number).c_str(),
                          static_cast<long long>(count));
            }
            std::printf("%12s  %-12s %8zu\n", "failed", "", stats.failures.size());
            for (const auto& f : stats.failures) {
              std::printf("failed  %lld  %s  %s\n", static_cast<long long>(f.index), f.id.c_str(),
                          f.reason.c_str());
            }
            if (!options->refined.empty()) {
              if (refined.size() == 0) {
                log::warn("no crystal has a space group at symprec {}; {} not written",
                          options->symprec, options->refined);
              } else {
                crystal::write_crystal_set(options->refined, refined, options->set);
                log::info("refined cells of {} crystals written to {}", refined.size(),
                          options->refined);
              }
            }
            return 0;
          }};
}

}  // namespace

Command add_crystal_command(CLI::App& app) {
  CLI::App* group =
      app.add_subcommand("crystal", "Crystal data sets: convert, symmetry, xrd, eval");
  group->require_subcommand(1, 1);
  std::vector<Subcommand> subcommands{add_convert(*group), add_symmetry(*group),
                                      add_crystal_xrd(*group)};
  const auto eval = add_crystal_eval(*group);  // runs on every rank
  return [subcommands, eval](Runtime& runtime) {
    if (eval.first->parsed()) return eval.second(runtime);
    for (const auto& [sub, run] : subcommands) {
      if (sub->parsed()) return on_rank_zero(runtime, run);
    }
    return 0;
  };
}

}  // namespace torus::apps
