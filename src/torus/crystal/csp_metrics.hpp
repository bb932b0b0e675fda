#pragma once
/// \file
/// The metrics of crystal structure prediction (CSP) and reconstruction, as CDVAE's RecEval and
/// DiffCSP define them: each reference crystal has one generated crystal; a pair counts as a
/// match when both crystals are valid (structurally and compositionally) and
/// StructureMatcher(stol=0.5, angle_tol=10, ltol=0.3) finds an RMS distance for it;
///   match rate = matched pairs / all pairs,  RMSE = mean over matched pairs of get_rms_dist's
///   RMS (normalised by (V/N)^(1/3)).
/// An invalid pair, or one the matcher refuses, is a non-match, as in both codes.

#include <cstdint>
#include <optional>
#include <vector>

#include "torus/crystal/compositional_validity.hpp"
#include "torus/crystal/crystal.hpp"
#include "torus/crystal/structure_matcher.hpp"

namespace torus::crystal {

/// The matcher tolerances of the CSP benchmarks: ltol 0.3, stol 0.5, angle_tol 10.
MatcherOptions csp_matcher_options();

/// The RMS distance of one (generated, reference) pair, nullopt when it does not count as a
/// match (file comment). `composition` selects the oxidation states of the validity test.
std::optional<double> csp_pair_rms(const Crystal& generated, const Crystal& reference,
                                   const StructureMatcher& matcher,
                                   const CompositionalValidityOptions& composition = {});

/// The CSP metrics: counts and the two rates. rmse is NaN when nothing matched.
struct CspMetrics {
  std::int64_t pairs = 0;
  std::int64_t valid = 0;  ///< pairs with both crystals valid
  std::int64_t matched = 0;
  double match_rate = 0.0;
  double rmse = 0.0;
};

/// Running sums over pairs, which add across ranks: evaluate a share of the pairs on each rank,
/// add the tallies (MPI_SUM of the four fields), then call metrics().
struct CspTally {
  std::int64_t pairs = 0;
  std::int64_t valid = 0;
  std::int64_t matched = 0;
  double rms_sum = 0.0;

  /// Adds one pair; `composition` selects the oxidation states of the validity test.
  void add(const Crystal& generated, const Crystal& reference, const StructureMatcher& matcher,
           const CompositionalValidityOptions& composition = {});
  /// The metrics of the pairs added so far. Throws torus::Error when no pair was added.
  CspMetrics metrics() const;
};

/// The CSP metrics of pairs (generated[i], reference[i]). Throws torus::Error when the sets have
/// different sizes or are empty.
CspMetrics metrics_csp(const std::vector<Crystal>& generated, const std::vector<Crystal>& reference,
                       const MatcherOptions& options = csp_matcher_options(),
                       const CompositionalValidityOptions& composition = {});

}  // namespace torus::crystal
