#include "torus/crystal/generation_metrics.hpp"

#include <cmath>
#include <limits>
#include <memory>
#include <set>

#include "torus/core/error.hpp"
#include "torus/core/progress.hpp"
#include "torus/crystal/composition.hpp"
#include "torus/crystal/compositional_validity.hpp"
#include "torus/crystal/validate.hpp"
#include "torus/crystal/wasserstein.hpp"

namespace torus::crystal {
namespace {

double distinct_elements(const Crystal& c) {
  return static_cast<double>(std::set<int>(c.numbers.begin(), c.numbers.end()).size());
}

}  // namespace

GenerationMetrics metrics_gen(const std::vector<Crystal>& generated,
                              const std::vector<Crystal>& reference,
                              const GenerationOptions& options) {
  TORUS_REQUIRE(!generated.empty(), "the generated set is empty", "generated",
                "give at least one generated crystal");
  TORUS_REQUIRE(!reference.empty(), "the reference set is empty", "reference",
                "give at least one reference crystal");
  std::unique_ptr<Progress> progress;
  if (options.progress) {
    progress = std::make_unique<Progress>(
        "crystals fingerprinted", static_cast<std::int64_t>(generated.size() + reference.size()));
  }

  GenerationMetrics m;
  m.generated = static_cast<std::int64_t>(generated.size());
  m.reference = static_cast<std::int64_t>(reference.size());
  std::vector<Fingerprints> valid_fps, reference_fps;
  std::vector<double> gen_density, gen_elements, ref_density, ref_elements;
  for (const auto& c : generated) {
    // A generated crystal may be anything a model emits; only the checks that make the
    // validity tests meaningful are errors (mismatched arrays, unknown elements).
    const bool structural = structural_validity(c, options.validity);
    const bool compositional =
        !c.numbers.empty() && compositional_validity(c.numbers, options.composition);
    m.struct_valid += structural;
    m.comp_valid += compositional;
    if (structural && compositional) {
      ++m.valid;
      valid_fps.push_back(fingerprints(c, options.rdf));
      gen_density.push_back(density(c));
      gen_elements.push_back(distinct_elements(c));
    }
    if (progress) progress->advance();
  }
  for (const auto& c : reference) {
    validate(c, "reference crystal");
    reference_fps.push_back(fingerprints(c, options.rdf));
    ref_density.push_back(density(c));
    ref_elements.push_back(distinct_elements(c));
    if (progress) progress->advance();
  }
  if (progress) progress->finish();

  const double n = static_cast<double>(m.generated);
  m.struct_validity = m.struct_valid / n;
  m.comp_validity = m.comp_valid / n;
  m.validity = m.valid / n;
  const auto cov = coverage(valid_fps, m.generated, reference_fps, options.cutoffs);
  m.cov_recall = cov.recall;
  m.cov_precision = cov.precision;
  constexpr double none = std::numeric_limits<double>::quiet_NaN();
  m.emd_density = m.valid > 0 ? wasserstein_distance(gen_density, ref_density) : none;
  m.emd_elements = m.valid > 0 ? wasserstein_distance(gen_elements, ref_elements) : none;
  return m;
}

}  // namespace torus::crystal
