#include "torus/crystal/structural_validity.hpp"

#include <cmath>
#include <limits>

#include "torus/core/error.hpp"
#include "torus/crystal/lattice.hpp"
#include "torus/crystal/periodic_pairs.hpp"

namespace torus::crystal {

double shortest_distance(const Crystal& crystal, double search_radius) {
  double shortest = std::numeric_limits<double>::infinity();
  for (const auto& p : periodic_pairs(crystal, search_radius, /*distinct_atoms=*/true)) {
    shortest = std::min(shortest, p.distance);
  }
  return shortest;
}

bool structural_validity(const Crystal& crystal, const StructuralValidityOptions& options) {
  TORUS_REQUIRE(options.min_distance > 0.0 && options.min_volume > 0.0,
                "the validity thresholds must be positive", "StructuralValidityOptions",
                "give min_distance > 0 Å and min_volume > 0 Å³");
  TORUS_REQUIRE(crystal.frac_coords.size() == crystal.numbers.size(),
                std::to_string(crystal.frac_coords.size()) + " positions but " +
                    std::to_string(crystal.numbers.size()) + " atomic numbers",
                "crystal", "give one atomic number per atom");
  // The volume test comes first: it also keeps the image search below away from the
  // near-singular cells where it would have to visit very many images.
  const double v = volume(crystal.lattice);
  if (!(v >= options.min_volume)) return false;
  for (const auto& f : crystal.frac_coords) {
    for (double x : f) {
      if (!std::isfinite(x)) return false;
    }
  }
  // Only distances below min_distance decide, so the search stops there.
  return !(shortest_distance(crystal, options.min_distance) < options.min_distance);
}

}  // namespace torus::crystal
