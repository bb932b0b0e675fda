#include "torus/crystal/periodic_pairs.hpp"

#include <cmath>
#include <string>

#include "torus/core/error.hpp"
#include "torus/crystal/image_bounds.hpp"
#include "torus/crystal/lattice.hpp"
#include "torus/crystal/lattice_geometry.hpp"

namespace torus::crystal {
std::vector<PeriodicPair> periodic_pairs(const Crystal& crystal, double cutoff,
                                         bool distinct_atoms) {
  TORUS_REQUIRE(std::isfinite(cutoff) && cutoff > 0.0,
                "the pair cutoff " + std::to_string(cutoff) + " Å is not positive and finite",
                "cutoff", "give a cutoff > 0");
  const Lattice& L = crystal.lattice;
  const double v = volume(L);
  TORUS_REQUIRE(std::isfinite(v) && v > 0.0, "the lattice is singular", "crystal",
                "give three independent cell vectors");

  // reach_k = cutoff / h_k, h_k = V / |a_{k+1} x a_{k+2}| (crystal/image_bounds.hpp).
  double reach[3];
  double images = 1.0;
  for (int k = 0; k < 3; ++k) {
    const Vec3 normal = detail::cross(L[(k + 1) % 3], L[(k + 2) % 3]);
    reach[k] = cutoff * std::sqrt(detail::dot(normal, normal)) / v;
    images *= 2.0 * reach[k] + 2.0;
  }
  TORUS_REQUIRE(images <= 1e8,
                "the cell is too thin for a pair search to " + std::to_string(cutoff) + " Å",
                "crystal", "check the lattice: a cell height is far below the cutoff");

  const double cutoff2 = cutoff * cutoff;
  std::vector<PeriodicPair> pairs;
  const int n_atoms = crystal.size();
  for (int i = 0; i < n_atoms; ++i) {
    for (int j = 0; j < n_atoms; ++j) {
      if (distinct_atoms && i == j) continue;
      double d[3];
      for (int k = 0; k < 3; ++k) d[k] = crystal.frac_coords[j][k] - crystal.frac_coords[i][k];
      int lo[3], hi[3];
      detail::image_bounds(reach, d, lo, hi);
      for (int n0 = lo[0]; n0 <= hi[0]; ++n0) {
        for (int n1 = lo[1]; n1 <= hi[1]; ++n1) {
          for (int n2 = lo[2]; n2 <= hi[2]; ++n2) {
            if (i == j && n0 == 0 && n1 == 0 && n2 == 0) continue;
            const double x[3] = {d[0] + n0, d[1] + n1, d[2] + n2};
            double r2 = 0.0;
            for (int c = 0; c < 3; ++c) {
              const double rc = x[0] * L[0][c] + x[1] * L[1][c] + x[2] * L[2][c];
              r2 += rc * rc;
            }
            if (r2 <= cutoff2) pairs.push_back({i, j, std::sqrt(r2)});
          }
        }
      }
    }
  }
  return pairs;
}

}  // namespace torus::crystal
