// Powder X-ray patterns and electron densities against independent truths: Bragg's law on a
// simple cubic cell, the systematic absences of BCC and FCC lattices, the multiplicity of {100},
// the density's integral (F(000)) and the density against a direct real-space sum of the
// form factors' Gaussian pairs, at 1 and 2 ranks (the density grid is split over the ranks).
#include <gtest/gtest.h>
#include <mpi.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <string>
#include <vector>

#include "support.hpp"
#include "torus/core/error.hpp"
#include "torus/crystal/electron_density.hpp"
#include "torus/crystal/form_factors.hpp"
#include "torus/crystal/lattice.hpp"
#include "torus/crystal/xrd.hpp"
#include "torus/crystal/xrd_similarity.hpp"
#include "torus/fft/grid.hpp"

namespace torus::crystal {
namespace {

constexpr double pi = 3.141592653589793;
constexpr double degree = pi / 180;

Crystal cubic(double a, const std::vector<Vec3>& sites, int z) {
  Crystal c;
  c.lattice = lattice_from_parameters({a, a, a, 90, 90, 90});
  c.frac_coords = sites;
  c.numbers.assign(sites.size(), z);
  return c;
}

TEST(Xrd, SimpleCubicPeaksSitAtBraggAngles) {
  const double a = 3.1, lambda = cu_k_alpha;
  const auto pattern = xrd_pattern(cubic(a, {{0, 0, 0}}, 29));
  // d = a / sqrt(N), N = h^2 + k^2 + l^2: every N that is a sum of three squares, once.
  std::set<int> sums;
  for (int h = 0; h < 10; ++h) {
    for (int k = 0; k < 10; ++k) {
      for (int l = 0; l < 10; ++l) {
        const int n = h * h + k * k + l * l;
        if (n > 0 && lambda * std::sqrt(n) / (2 * a) <= std::sin(45 * degree)) sums.insert(n);
      }
    }
  }
  ASSERT_EQ(pattern.peaks.size(), sums.size());
  auto peak = pattern.peaks.begin();
  for (int n : sums) {
    const double bragg = 2 * std::asin(lambda * std::sqrt(n) / (2 * a)) / degree;
    EXPECT_NEAR(peak->two_theta, bragg, 1e-9) << "N = " << n;
    EXPECT_NEAR(peak->d_spacing, a / std::sqrt(n), 1e-12);
    ++peak;
  }
  // The first peak is {100}: the six reflections (+-1 0 0), (0 +-1 0), (0 0 +-1).
  ASSERT_EQ(pattern.peaks[0].families.size(), 1u);
  EXPECT_EQ(pattern.peaks[0].families[0].multiplicity, 6);
  EXPECT_EQ(pattern.peaks[0].families[0].hkl, (std::array<int, 3>{1, 0, 0}));
  EXPECT_EQ(pattern.peaks[1].families[0].multiplicity, 12);  // {110}
  EXPECT_EQ(pattern.peaks[2].families[0].multiplicity, 8);   // {111}
}

int sum_of(const std::array<int, 3>& h) { return h[0] + h[1] + h[2]; }

TEST(Xrd, BodyCentredCubicLacksOddReflections) {
  const auto pattern = xrd_pattern(cubic(3.3, {{0, 0, 0}, {0.5, 0.5, 0.5}}, 26));
  ASSERT_FALSE(pattern.peaks.empty());
  for (const auto& p : pattern.peaks) {
    for (const auto& f : p.families) EXPECT_EQ(sum_of(f.hkl) % 2, 0) << p.two_theta;
  }
  EXPECT_EQ(pattern.peaks[0].families[0].hkl, (std::array<int, 3>{1, 1, 0}));
}

TEST(Xrd, FaceCentredCubicLacksMixedParity) {
  const auto pattern =
      xrd_pattern(cubic(4.05, {{0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0}}, 13));
  ASSERT_GE(pattern.peaks.size(), 2u);
  for (const auto& p : pattern.peaks) {
    for (const auto& f : p.families) {
      const int odd = (f.hkl[0] & 1) + (f.hkl[1] & 1) + (f.hkl[2] & 1);
      EXPECT_TRUE(odd == 0 || odd == 3) << f.hkl[0] << f.hkl[1] << f.hkl[2];
    }
  }
  EXPECT_EQ(pattern.peaks[0].families[0].hkl, (std::array<int, 3>{1, 1, 1}));
  EXPECT_EQ(pattern.peaks[1].families[0].hkl, (std::array<int, 3>{2, 0, 0}));
}

TEST(Xrd, SimilarityIsOneForTheSameCrystalAndLowerForAnother) {
  const auto fcc = cubic(4.05, {{0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0}}, 13);
  EXPECT_NEAR(xrd_similarity(fcc, fcc), 1.0, 1e-12);
  const double s = xrd_similarity(fcc, testing::rock_salt());
  EXPECT_LT(s, 0.5);
  EXPECT_NEAR(s, xrd_similarity(testing::rock_salt(), fcc), 1e-12);
}

TEST(Xrd, BadInputIsAnError) {
  const auto c = cubic(3.0, {{0, 0, 0}}, 29);
  XrdOptions bad;
  bad.wavelength = 0;
  EXPECT_THROW(xrd_pattern(c, bad), Error);
  bad.wavelength = -1.5;
  EXPECT_THROW(xrd_pattern(c, bad), Error);
  XrdOptions range;
  range.two_theta_min = 50;
  range.two_theta_max = 40;
  EXPECT_THROW(xrd_pattern(c, range), Error);
  EXPECT_THROW(xrd_pattern(cubic(3.0, {{0, 0, 0}}, 99), {}), Error);  // Es: not in the table
  EXPECT_THROW(xray_wavelength("CuKz"), Error);
  EXPECT_THROW(electron_density(c, fft::Grid<3>({1, 8, 8})), Error);
}

// ---- the electron density ------------------------------------------------------------------

// A triclinic cell with carbon and silicon, whose Gaussians are all wide enough (b >= 0.56 Å^2)
// for a 64^3 grid to resolve.
Crystal skewed_pair() {
  Crystal c;
  c.lattice = lattice_from_parameters({4.0, 4.2, 4.4, 80, 95, 100});
  // On points of the sampled subgrid (multiples of 8/64), so that the comparison sees the peaks.
  c.frac_coords = {{0.125, 0.25, 0.375}, {0.625, 0.5, 0.75}};
  c.numbers = {6, 14};
  return c;
}

fft::Grid<3> grid_on_world(int n) { return fft::Grid<3>({n, n, n}, MPI_COMM_WORLD); }

double sum_over_ranks(double local) {
  double total = 0;
  MPI_Allreduce(&local, &total, 1, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
  return total;
}

TEST(ElectronDensity, IntegralIsTheZeroModeAndNearTheElectronCount) {
  // (V/N) sum_x rho(x) = F(000) = sum_j f_j(0) exactly; the Cromer-Mann fits give
  // f_j(0) = sum a_i + c within 0.06 electrons of Z for every element of the table.
  const auto c = testing::rock_salt();
  const auto grid = grid_on_world(32);
  const auto rho = electron_density(c, grid);
  double local = 0;
  for (double v : rho) local += v;
  const double integral = sum_over_ranks(local) * volume(c.lattice) / grid.points();
  double f0 = 0, electrons = 0;
  for (int z : c.numbers) {
    f0 += form_factor_table_cromer_mann()(z, 0.0);
    electrons += z;
  }
  EXPECT_NEAR(integral, f0, 1e-9 * f0);
  EXPECT_NEAR(integral, electrons, 0.06 * c.size());
}

TEST(ElectronDensity, GaussianPartMatchesTheRealSpaceSum) {
  const auto c = skewed_pair();
  const int n = 64;
  const auto grid = grid_on_world(n);
  StructureFactorOptions gaussians;
  gaussians.gaussian_part_only = true;
  const auto rho = electron_density(c, grid, gaussians);
  const auto& table = form_factor_table_cromer_mann();
  const Lattice rec = reciprocal_lattice(c.lattice);
  const double v = volume(c.lattice);

  // The bound on truncation: |rho_grid - rho| <= (1/V) sum over the left-out h of
  // sum_j sum_i a_i exp(-b_i s^2), every a_i > 0 here; beyond |h_a| = 80 the terms are below
  // exp(-0.56 * 8^2), nothing in double precision.
  double omitted = 0;
  for (int h = -80; h <= 80; ++h) {
    for (int k = -80; k <= 80; ++k) {
      for (int l = -80; l <= 80; ++l) {
        if (2 * std::abs(h) < n && 2 * std::abs(k) < n && 2 * std::abs(l) < n) continue;
        double s2 = 0;
        for (int j = 0; j < 3; ++j) {
          const double g = h * rec[0][j] + k * rec[1][j] + l * rec[2][j];
          s2 += g * g / 4;
        }
        for (int z : c.numbers) {
          const auto& f = table.gaussians(z);
          for (std::size_t i = 0; i < f.a.size(); ++i) omitted += f.a[i] * std::exp(-f.b[i] * s2);
        }
      }
    }
  }
  const double bound = omitted / v;

  // rho(r) = sum_images sum_j sum_i a_i (4 pi / b_i)^(3/2) exp(-4 pi^2 |r - r_j - t|^2 / b_i),
  // at every 8th grid point of this rank's slab.
  double worst = 0, peak = 0;
  const int nx = grid.local_extents()[0];
  for (int i = 0; i < nx; i += 8) {
    for (int j = 0; j < n; j += 8) {
      for (int k = 0; k < n; k += 8) {
        const Vec3 x{double(grid.local_start() + i) / n, double(j) / n, double(k) / n};
        double direct = 0;
        for (int a = 0; a < c.size(); ++a) {
          const auto& f = table.gaussians(c.numbers[a]);
          for (int t0 = -4; t0 <= 4; ++t0) {
            for (int t1 = -4; t1 <= 4; ++t1) {
              for (int t2 = -4; t2 <= 4; ++t2) {
                const Vec3 d{x[0] - c.frac_coords[a][0] - t0, x[1] - c.frac_coords[a][1] - t1,
                             x[2] - c.frac_coords[a][2] - t2};
                const Vec3 r = to_cartesian(c.lattice, d);
                const double r2 = r[0] * r[0] + r[1] * r[1] + r[2] * r[2];
                for (std::size_t g = 0; g < f.a.size(); ++g) {
                  direct += f.a[g] * std::pow(4 * pi / f.b[g], 1.5) *
                            std::exp(-4 * pi * pi * r2 / f.b[g]);
                }
              }
            }
          }
        }
        const double fft = rho[(static_cast<std::size_t>(i) * n + j) * n + k];
        worst = std::max(worst, std::abs(fft - direct));
        peak = std::max(peak, direct);
      }
    }
  }
  double total_worst = 0, total_peak = 0;
  MPI_Allreduce(&worst, &total_worst, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  MPI_Allreduce(&peak, &total_peak, 1, MPI_DOUBLE, MPI_MAX, MPI_COMM_WORLD);
  // Rounding of sums of ~10^5 terms of size <= peak adds ~1e-12 relative.
  EXPECT_LE(total_worst, bound + 1e-10 * total_peak)
      << "truncation bound " << bound << ", largest density sampled " << total_peak;
  // The comparison means something: the bound is small against the densities compared.
  EXPECT_LT(bound, 1e-3 * total_peak) << total_peak;
  EXPECT_GT(total_peak, 1.0);
  RecordProperty("max_difference", std::to_string(total_worst));
  RecordProperty("truncation_bound", std::to_string(bound));
  RecordProperty("largest_density", std::to_string(total_peak));
}

}  // namespace
}  // namespace torus::crystal
