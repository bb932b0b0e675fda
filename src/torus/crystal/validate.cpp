#include "torus/crystal/validate.hpp"

#include <cmath>
#include <string>

#include "torus/core/error.hpp"
#include "torus/crystal/elements.hpp"
#include "torus/crystal/lattice.hpp"

namespace torus::crystal {

void validate(const Crystal& crystal, const std::string& input) {
  TORUS_REQUIRE(!crystal.numbers.empty(), "the crystal has no atoms", input,
                "give at least one atom");
  TORUS_REQUIRE(crystal.frac_coords.size() == crystal.numbers.size(),
                "the crystal has " + std::to_string(crystal.frac_coords.size()) +
                    " coordinates but " + std::to_string(crystal.numbers.size()) +
                    " atomic numbers",
                input, "give one row of fractional coordinates per atom");
  for (const auto& row : crystal.lattice) {
    for (double x : row) {
      TORUS_REQUIRE(std::isfinite(x), "the lattice has a non-finite entry", input,
                    "give a finite lattice");
    }
  }
  // A cell is singular when its volume is negligible against a*b*c (flat or degenerate).
  double product = 1.0;
  for (const auto& row : crystal.lattice) {
    product *= std::sqrt(row[0] * row[0] + row[1] * row[1] + row[2] * row[2]);
  }
  TORUS_REQUIRE(
      product > 0.0 && volume(crystal.lattice) > 1e-8 * product,
      "the lattice is singular (volume " + std::to_string(volume(crystal.lattice)) + " Å³)", input,
      "give three linearly independent cell vectors");
  for (int i = 0; i < crystal.size(); ++i) {
    const auto& f = crystal.frac_coords[i];
    TORUS_REQUIRE(std::isfinite(f[0]) && std::isfinite(f[1]) && std::isfinite(f[2]),
                  "atom " + std::to_string(i) + " has a non-finite coordinate", input,
                  "give finite fractional coordinates");
    const int z = crystal.numbers[i];
    TORUS_REQUIRE(z >= 1 && z <= max_atomic_number,
                  "atom " + std::to_string(i) + " has atomic number " + std::to_string(z) +
                      ", outside 1 ... 100",
                  input, "use elements H (1) to Fm (100)");
  }
}

Crystal make_crystal(const Lattice& lattice, std::vector<Vec3> frac_coords,
                     std::vector<int> numbers, const std::string& input) {
  Crystal c;
  c.lattice = lattice;
  c.frac_coords = std::move(frac_coords);
  c.numbers = std::move(numbers);
  validate(c, input);
  for (auto& f : c.frac_coords) f = wrap_fractional(f);
  return c;
}

}  // namespace torus::crystal
