#include "torus/crystal/periodic_pairs.hpp"

#include <cmath>
#include <string>

#include "torus/core/error.hpp"
#include "torus/crystal/lattice.hpp"

namespace torus::crystal {
namespace {

Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
}

double norm(const Vec3& v) { return std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]); }

}  // namespace

std::vector<PeriodicPair> periodic_pairs(const Crystal& crystal, double cutoff,
                                         bool distinct_atoms) {
  TORUS_REQUIRE(std::isfinite(cutoff) && cutoff > 0.0,
                "the pair cutoff " + std::to_string(cutoff) + " Å is not positive and finite",
                "cutoff", "give a cutoff > 0");
  const Lattice& L = crystal.lattice;
  const double v = volume(L);
  TORUS_REQUIRE(std::isfinite(v) && v > 0.0, "the lattice is singular", "crystal",
                "give three independent cell vectors");

  // A vector r = x L has |x_k| = |r · (a_{k+1} x a_{k+2})| / V <= |r| / h_k with the height
  // h_k = V / |a_{k+1} x a_{k+2}|, so |r| <= cutoff needs |x_k| <= cutoff / h_k = reach_k.
  Vec3 reach{};
  double images = 1.0;
  for (int k = 0; k < 3; ++k) {
    reach[k] = cutoff * norm(cross(L[(k + 1) % 3], L[(k + 2) % 3])) / v;
    images *= 2.0 * reach[k] + 2.0;
  }
  TORUS_REQUIRE(images <= 1e8,
                "the cell is too thin for a pair search to " + std::to_string(cutoff) + " Å",
                "crystal", "check the lattice: a cell height is far below the cutoff");

  constexpr double slack = 1e-9;
  const double cutoff2 = cutoff * cutoff;
  std::vector<PeriodicPair> pairs;
  const int n_atoms = crystal.size();
  for (int i = 0; i < n_atoms; ++i) {
    for (int j = 0; j < n_atoms; ++j) {
      if (distinct_atoms && i == j) continue;
      Vec3 d{};
      for (int k = 0; k < 3; ++k) d[k] = crystal.frac_coords[j][k] - crystal.frac_coords[i][k];
      // n_k in [ceil(-reach_k - d_k), floor(reach_k - d_k)]: every image with |d_k + n_k| <=
      // reach_k.
      int lo[3], hi[3];
      for (int k = 0; k < 3; ++k) {
        lo[k] = static_cast<int>(std::ceil(-reach[k] - d[k] - slack));
        hi[k] = static_cast<int>(std::floor(reach[k] - d[k] + slack));
      }
      for (int n0 = lo[0]; n0 <= hi[0]; ++n0) {
        for (int n1 = lo[1]; n1 <= hi[1]; ++n1) {
          for (int n2 = lo[2]; n2 <= hi[2]; ++n2) {
            if (i == j && n0 == 0 && n1 == 0 && n2 == 0) continue;
            const Vec3 x{d[0] + n0, d[1] + n1, d[2] + n2};
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
