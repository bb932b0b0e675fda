#include "torus/crystal/csp_metrics.hpp"

#include <limits>
#include <string>

#include "torus/core/error.hpp"
#include "torus/crystal/compositional_validity.hpp"
#include "torus/crystal/structural_validity.hpp"

namespace torus::crystal {
namespace {

bool usable(const Crystal& c, const CompositionalValidityOptions& composition) {
  return !c.numbers.empty() && structural_validity(c) &&
         compositional_validity(c.numbers, composition);
}

}  // namespace

MatcherOptions csp_matcher_options() {
  MatcherOptions o;
  o.ltol = 0.3;
  o.stol = 0.5;
  o.angle_tol = 10.0;
  return o;
}

std::optional<double> csp_pair_rms(const Crystal& generated, const Crystal& reference,
                                   const StructureMatcher& matcher,
                                   const CompositionalValidityOptions& composition) {
  if (!usable(generated, composition) || !usable(reference, composition)) return std::nullopt;
  const auto d = matcher.get_rms_dist(generated, reference);
  if (!d) return std::nullopt;
  return d->rms;
}

void CspTally::add(const Crystal& generated, const Crystal& reference,
                   const StructureMatcher& matcher,
                   const CompositionalValidityOptions& composition) {
  ++pairs;
  if (!usable(generated, composition) || !usable(reference, composition)) return;
  ++valid;
  if (const auto d = matcher.get_rms_dist(generated, reference)) {
    ++matched;
    rms_sum += d->rms;
  }
}

CspMetrics CspTally::metrics() const {
  TORUS_REQUIRE(pairs > 0, "no pair was evaluated", "CSP metrics",
                "give at least one (generated, reference) pair");
  CspMetrics m;
  m.pairs = pairs;
  m.valid = valid;
  m.matched = matched;
  m.match_rate = static_cast<double>(matched) / static_cast<double>(pairs);
  m.rmse = matched > 0 ? rms_sum / static_cast<double>(matched)
                       : std::numeric_limits<double>::quiet_NaN();
  return m;
}

CspMetrics metrics_csp(const std::vector<Crystal>& generated, const std::vector<Crystal>& reference,
                       const MatcherOptions& options,
                       const CompositionalValidityOptions& composition) {
  TORUS_REQUIRE(generated.size() == reference.size(),
                std::to_string(generated.size()) + " generated crystals for " +
                    std::to_string(reference.size()) + " references",
                "generated", "give one generated crystal per reference crystal, in its order");
  const StructureMatcher matcher(options);
  CspTally tally;
  for (std::size_t i = 0; i < generated.size(); ++i) {
    tally.add(generated[i], reference[i], matcher, composition);
  }
  return tally.metrics();
}

}  // namespace torus::crystal
