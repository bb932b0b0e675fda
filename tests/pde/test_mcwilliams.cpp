// The McWilliams initial field against independent truths:
// - its shell energy spectrum, averaged over many samples, matches the sum of the formula's
//   per-mode energies over the shell (computed here from S(kappa) = (1 + (kappa/k0)^4)^-1 and
//   Parseval), within standard errors of the exponential |h|^2;
// - every sample has exactly the requested energy (or enstrophy) and zero mean;
// - sample s is the same on one rank and split over the ranks (transposed layout).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "fft/support.hpp"
#include "torus/fft/plan.hpp"
#include "torus/pde/diagnostics.hpp"
#include "torus/pde/mcwilliams.hpp"

namespace torus::pde {
namespace {

using testing::global_max;
using testing::global_sum;
using testing::world;

TEST(McWilliams, ShellSpectrumFollowsTheFormula) {
  const int n = 32, samples = 200;
  const double peak = 6.0;
  const fft::Grid<2> grid({n, n}, world(), {.transposed_spectral = true});
  fft::Plan<double, 2> plan(grid, samples, 1);
  auto h_hat = plan.make_spectral("h_hat");
  mcwilliams_coefficients(grid, h_hat, 5, 0, {peak});
  const auto spectrum = energy_spectrum(grid, h_hat);

  // Expected shell energy: sum over every frequency f of the full grid with round(|f|) = j of
  // 1/2 E|c_f|^2 / |k|^2 = 1/2 S(|f|) / N^2 / (4 pi^2 |f|^2) (c = h / N, k = 2 pi f).
  const int shells = static_cast<int>(spectrum[0].size());
  std::vector<double> expected(shells, 0.0), modes(shells, 0.0);
  const double points = double(n) * n;
  for (int g0 = 0; g0 < n; ++g0) {
    for (int g1 = 0; g1 < n; ++g1) {
      const int f0 = g0 < n / 2 ? g0 : g0 - n, f1 = g1 < n / 2 ? g1 : g1 - n;
      const double f = std::sqrt(double(f0) * f0 + double(f1) * f1);
      if (f == 0) continue;
      const int j = static_cast<int>(std::lround(f));
      const double s = 1.0 / (1.0 + std::pow(f / peak, 4));
      expected[j] += 0.5 * s / (points * points) / (4 * M_PI * M_PI * f * f);
      modes[j] += 1;
    }
  }
  for (int j = 1; j < n / 2; ++j) {
    double mean = 0;
    for (int b = 0; b < samples; ++b) mean += spectrum[b][j];
    mean /= samples;
    // |h_f|^2 is exponential (relative sd 1) over about modes/2 independent pairs (f, -f).
    const double tolerance = 5.0 / std::sqrt(0.5 * modes[j] * samples);
    EXPECT_NEAR(mean / expected[j], 1.0, tolerance) << "shell " << j;
  }
  EXPECT_EQ(spectrum[0][0], 0.0);
}

TEST(McWilliams, NormalisedWithZeroMean) {
  const fft::Grid<2> grid({32, 32}, world(), {.transposed_spectral = true});
  fft::Plan<double, 2> plan(grid, 3, 1);
  auto omega = plan.make_real("omega");
  auto omega_hat = plan.make_spectral("omega_hat");
  for (auto norm : {McWilliamsNorm::energy, McWilliamsNorm::enstrophy}) {
    const McWilliamsOptions options{4.0, norm, 2.5};
    mcwilliams_vorticity(grid, plan, omega, 11, 3, options);
    plan.forward(omega, omega_hat);
    const auto value = norm == McWilliamsNorm::energy ? kinetic_energy(grid, omega_hat)
                                                      : enstrophy(grid, omega_hat);
    for (int b = 0; b < 3; ++b) {
      EXPECT_NEAR(value[b], 2.5, 1e-12 * 2.5) << "sample " << b;
      double sum = 0, largest = 0;
      for (std::size_t x = 0; x < omega.extent(2); ++x) {
        for (std::size_t y = 0; y < omega.extent(3); ++y) {
          sum += omega(b, 0, x, y);
          largest = std::max(largest, std::abs(omega(b, 0, x, y)));
        }
      }
      const double mean = global_sum(sum, grid.comm()) / grid.points();
      EXPECT_LE(std::abs(mean), 1e-14 * global_max(largest, grid.comm())) << "sample " << b;
    }
  }
}

TEST(McWilliams, SameSampleOnAnyRankCount) {
  const fft::Grid<2> split({32, 32}, world(), {.transposed_spectral = true});
  const fft::Grid<2> whole({32, 32});
  fft::Plan<double, 2> plan(split, 2, 1), whole_plan(whole, 3, 1);
  auto u = plan.make_real("u");
  auto w = whole_plan.make_real("w");
  mcwilliams_vorticity(split, plan, u, 21, 4);        // samples 4, 5
  mcwilliams_vorticity(whole, whole_plan, w, 21, 3);  // samples 3, 4, 5
  double worst = 0, largest = 0;
  for (int b = 0; b < 2; ++b) {
    for (std::size_t x = 0; x < u.extent(2); ++x) {
      for (std::size_t y = 0; y < u.extent(3); ++y) {
        const double expected = w(b + 1, 0, x + split.local_start(), y);
        largest = std::max(largest, std::abs(expected));
        worst = std::max(worst, std::abs(expected - u(b, 0, x, y)));
      }
    }
  }
  // Same coefficients; the transforms and the energy sums differ in round-off only.
  EXPECT_LE(global_max(worst, world()), 1e-12 * global_max(largest, world()));
}

TEST(McWilliams, BadOptionsThrow) {
  EXPECT_THROW(validate(McWilliamsOptions{0.0}), Error);
  EXPECT_THROW(validate(McWilliamsOptions{6.0, McWilliamsNorm::energy, -1.0}), Error);
}

}  // namespace
}  // namespace torus::pde
