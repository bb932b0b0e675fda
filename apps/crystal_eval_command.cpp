// `torus crystal eval GENERATED REFERENCE --task csp|gen`: the metrics of generated crystals
// against a reference set (docs/crystal_metrics.md), printed as a table and optionally written
// as JSON. Unlike the other crystal subcommands, csp runs on every rank: each matches a
// contiguous share of the pairs and rank 0 adds the tallies.
#include <mpi.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "commands.hpp"
#include "torus/core/collective_error.hpp"
#include "torus/core/progress.hpp"
#include "torus/crystal/cdvae_csv.hpp"
#include "torus/crystal/crystal_set.hpp"
#include "torus/crystal/csp_metrics.hpp"
#include "torus/crystal/generation_metrics.hpp"
#include "torus/io/text_file.hpp"

namespace torus::apps {
namespace {

// The crystals of a crystal set (HDF5) or of a CDVAE CSV (by the extension .csv). A CSV row
// that fails is an error here: dropping it would shift the pairing of a CSP evaluation.
std::vector<crystal::Crystal> load_crystals(const std::string& path) {
  const bool csv = path.size() >= 4 && path.compare(path.size() - 4, 4, ".csv") == 0;
  if (!csv) return crystal::read_crystal_set(path).crystals;
  auto result = crystal::read_cdvae_csv(path);
  if (!result.failures.empty()) {
    const auto& f = result.failures.front();
    TORUS_THROW(std::to_string(result.failures.size()) + " rows are not crystals (first: line " +
                    std::to_string(f.line) + ", " + f.id + ": " + f.reason + ")",
                path, "fix or remove those rows; every row must be a crystal to be evaluated");
  }
  return std::move(result.set.crystals);
}

struct EvalOptions {
  std::string generated, reference, task, json;
  std::string oxidation_states = "all";  // of the compositional-validity test: all or common
  double struct_cutoff = crystal::CoverageCutoffs{}.structure;
  double comp_cutoff = crystal::CoverageCutoffs{}.composition;
};

// Generation metrics, on rank 0 (fingerprints and pairwise distances of a few thousand crystals).
int eval_gen(const EvalOptions& o) {
  const auto generated = load_crystals(o.generated);
  const auto reference = load_crystals(o.reference);
  crystal::GenerationOptions options;
  options.cutoffs = {o.struct_cutoff, o.comp_cutoff};
  options.composition.oxidation_states =
      crystal::parse_oxidation_states(o.oxidation_states, "--oxidation-states");
  options.progress = true;
  const auto m = crystal::metrics_gen(generated, reference, options);
  std::printf("generation metrics: %lld generated (%s), %lld reference (%s)\n",
              static_cast<long long>(m.generated), o.generated.c_str(),
              static_cast<long long>(m.reference), o.reference.c_str());
  std::printf("  %-26s %10.4f %%  (%lld)\n", "validity structural", 100 * m.struct_validity,
              static_cast<long long>(m.struct_valid));
  std::printf("  %-26s %10.4f %%  (%lld, %s oxidation states)\n", "validity compositional",
              100 * m.comp_validity, static_cast<long long>(m.comp_valid),
              o.oxidation_states.c_str());
  std::printf("  %-26s %10.4f %%  (%lld)\n", "validity overall", 100 * m.validity,
              static_cast<long long>(m.valid));
  std::printf("  %-26s %10.4f %%  (thresholds %g / %g)\n", "COV-R", 100 * m.cov_recall,
              o.struct_cutoff, o.comp_cutoff);
  std::printf("  %-26s %10.4f %%\n", "COV-P", 100 * m.cov_precision);
  std::printf("  %-26s %10.4f g/cm3\n", "EMD density", m.emd_density);
  std::printf("  %-26s %10.4f\n", "EMD #elements", m.emd_elements);
  if (!o.json.empty()) {
    // nlohmann writes NaN (no valid crystal) as null.
    const nlohmann::json j = {{"task", "gen"},
                              {"generated_path", o.generated},
                              {"reference_path", o.reference},
                              {"generated", m.generated},
                              {"reference", m.reference},
                              {"struct_valid", m.struct_valid},
                              {"comp_valid", m.comp_valid},
                              {"valid", m.valid},
                              {"struct_validity", m.struct_validity},
                              {"comp_validity", m.comp_validity},
                              {"oxidation_states", o.oxidation_states},
                              {"validity", m.validity},
                              {"cov_recall", m.cov_recall},
                              {"cov_precision", m.cov_precision},
                              {"struct_cutoff", o.struct_cutoff},
                              {"comp_cutoff", o.comp_cutoff},
                              {"emd_density", m.emd_density},
                              {"emd_elements", m.emd_elements}};
    io::write_text_file(o.json, j.dump(2) + "\n");
  }
  return 0;
}

// CSP metrics: every rank matches a contiguous share of the pairs, rank 0 adds the tallies.
int eval_csp(Runtime& runtime, const EvalOptions& o) {
  struct Loaded {
    std::vector<crystal::Crystal> generated, reference;
  };
  const auto sets = collective(runtime.comm(), [&] {
    Loaded l{load_crystals(o.generated), load_crystals(o.reference)};
    TORUS_REQUIRE(l.generated.size() == l.reference.size(),
                  std::to_string(l.generated.size()) + " generated crystals for " +
                      std::to_string(l.reference.size()) + " references",
                  o.generated,
                  "--task csp pairs crystals by index: give one generated crystal per reference");
    return l;
  });
  const auto total = static_cast<std::int64_t>(sets.reference.size());
  const std::int64_t begin = total * runtime.rank() / runtime.size();
  const std::int64_t end = total * (runtime.rank() + 1) / runtime.size();

  const auto local = collective(runtime.comm(), [&] {
    const crystal::StructureMatcher matcher(crystal::csp_matcher_options());
    crystal::CompositionalValidityOptions composition;
    composition.oxidation_states =
        crystal::parse_oxidation_states(o.oxidation_states, "--oxidation-states");
    crystal::CspTally tally;
    Progress progress("pairs matched on rank 0", end - begin);
    for (std::int64_t i = begin; i < end; ++i) {
      tally.add(sets.generated[i], sets.reference[i], matcher, composition);
      progress.advance();
    }
    progress.finish();
    return tally;
  });
  std::int64_t counts[3] = {local.pairs, local.valid, local.matched}, summed[3] = {0, 0, 0};
  double rms_sum = 0.0;
  MPI_Reduce(counts, summed, 3, MPI_INT64_T, MPI_SUM, 0, runtime.comm());
  MPI_Reduce(&local.rms_sum, &rms_sum, 1, MPI_DOUBLE, MPI_SUM, 0, runtime.comm());

  return on_rank_zero(runtime, [&] {
    const crystal::CspTally all{summed[0], summed[1], summed[2], rms_sum};
    const auto m = all.metrics();
    std::printf("structure prediction metrics: %lld pairs (%s against %s), %d ranks\n",
                static_cast<long long>(m.pairs), o.generated.c_str(), o.reference.c_str(),
                runtime.size());
    std::printf("  %-14s %10.4f %%  (%lld matched)\n", "match rate", 100 * m.match_rate,
                static_cast<long long>(m.matched));
    std::printf("  %-14s %10.4f\n", "RMSE", m.rmse);
    std::printf("  %-14s %10lld  (%s oxidation states)\n", "valid pairs",
                static_cast<long long>(m.valid), o.oxidation_states.c_str());
    if (!o.json.empty()) {
      const nlohmann::json j = {{"task", "csp"},
                                {"generated_path", o.generated},
                                {"reference_path", o.reference},
                                {"pairs", m.pairs},
                                {"valid", m.valid},
                                {"oxidation_states", o.oxidation_states},
                                {"matched", m.matched},
                                {"match_rate", m.match_rate},
                                {"rmse", m.rmse}};
      io::write_text_file(o.json, j.dump(2) + "\n");
    }
    return 0;
  });
}

}  // namespace

std::pair<CLI::App*, Command> add_crystal_eval(CLI::App& group) {
  auto options = std::make_shared<EvalOptions>();
  CLI::App* sub = group.add_subcommand(
      "eval", "Metrics of generated crystals against a reference set (docs/crystal_metrics.md)");
  sub->add_option("generated", options->generated, "generated crystals: crystal set or CDVAE CSV")
      ->required();
  sub->add_option("reference", options->reference, "reference crystals: crystal set or CDVAE CSV")
      ->required();
  sub->add_option("--task", options->task,
                  "csp: match rate and RMSE of pairs by index; gen: validity, coverage, EMDs")
      ->required()
      ->check(CLI::IsMember({"csp", "gen"}));
  sub->add_option("--json", options->json, "also write the metrics to this JSON file");
  sub->add_option("--oxidation-states", options->oxidation_states,
                  "compositional validity: 'all' known oxidation states (as SMACT, comparable "
                  "with published rates) or only the 'common' ones")
      ->capture_default_str()
      ->check(CLI::IsMember({"all", "common"}));
  sub->add_option("--struct-cutoff", options->struct_cutoff,
                  "gen: coverage threshold on the structure-fingerprint distance")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  sub->add_option("--comp-cutoff", options->comp_cutoff,
                  "gen: coverage threshold on the composition-fingerprint distance")
      ->capture_default_str()
      ->check(CLI::NonNegativeNumber);
  return {sub, [options](Runtime& runtime) {
            if (options->task == "csp") return eval_csp(runtime, *options);
            return on_rank_zero(runtime, [&] { return eval_gen(*options); });
          }};
}

}  // namespace torus::apps
