#include "torus/crystal/coverage.hpp"

#include <algorithm>
#include <limits>
#include <string>

#include "torus/core/error.hpp"

namespace torus::crystal {

Fingerprints fingerprints(const Crystal& crystal, const RdfOptions& options) {
  return {structure_fingerprint(crystal, options), composition_fingerprint(crystal.numbers)};
}

Coverage coverage(const std::vector<Fingerprints>& valid_generated, std::int64_t generated_total,
                  const std::vector<Fingerprints>& reference, const CoverageCutoffs& cutoffs) {
  TORUS_REQUIRE(!reference.empty(), "the reference set is empty", "reference",
                "give at least one reference crystal");
  TORUS_REQUIRE(
      generated_total > 0 && generated_total >= static_cast<std::int64_t>(valid_generated.size()),
      "generated_total " + std::to_string(generated_total) + " with " +
          std::to_string(valid_generated.size()) + " valid crystals",
      "generated_total", "count every generated crystal, valid or not");
  TORUS_REQUIRE(cutoffs.structure >= 0.0 && cutoffs.composition >= 0.0,
                "a coverage threshold is negative", "CoverageCutoffs", "give thresholds >= 0");

  // Nearest distances in both directions, each fingerprint kind on its own (CDVAE's cdist
  // followed by min along each axis).
  constexpr double far = std::numeric_limits<double>::infinity();
  const std::size_t ng = valid_generated.size(), nr = reference.size();
  std::vector<double> ref_s(nr, far), ref_c(nr, far), gen_s(ng, far), gen_c(ng, far);
  for (std::size_t g = 0; g < ng; ++g) {
    for (std::size_t r = 0; r < nr; ++r) {
      const double ds =
          structure_fingerprint_distance(valid_generated[g].structure, reference[r].structure);
      const double dc =
          euclidean_distance(valid_generated[g].composition, reference[r].composition);
      ref_s[r] = std::min(ref_s[r], ds);
      ref_c[r] = std::min(ref_c[r], dc);
      gen_s[g] = std::min(gen_s[g], ds);
      gen_c[g] = std::min(gen_c[g], dc);
    }
  }

  std::int64_t recalled = 0, precise = 0;
  for (std::size_t r = 0; r < nr; ++r) {
    recalled += ref_s[r] <= cutoffs.structure && ref_c[r] <= cutoffs.composition;
  }
  for (std::size_t g = 0; g < ng; ++g) {
    precise += gen_s[g] <= cutoffs.structure && gen_c[g] <= cutoffs.composition;
  }
  return {static_cast<double>(recalled) / static_cast<double>(nr),
          static_cast<double>(precise) / static_cast<double>(generated_total)};
}

}  // namespace torus::crystal
