// Diagnostics of 3-D velocity fields and the initial velocities, against independent truths:
// - the 3-D Taylor–Green vortex u = V0 (sin x cos y cos z, -cos x sin y cos z, 0) (arguments
//   scaled by kappa = 2 pi / L) has E = V0^2 / 8 (two terms of mean 1/8, halved) and
//   omega = V0 kappa (-cos x sin y sin z, -sin x cos y sin z, 2 sin x sin y cos z), so
//   <|omega|^2> = V0^2 kappa^2 (1/8 + 1/8 + 4/8) = 3/4 V0^2 kappa^2 and eps = nu <|omega|^2>
//   (with kappa_z != kappa on a box with L2 != L0: V0^2 (kappa_z^2 / 4 + kappa^2 / 2));
// - the ABC flow has E = (A^2 + B^2 + C^2) / 2 and, being Beltrami (omega = kappa u),
//   <|omega|^2> = kappa^2 <|u|^2>;
// - the spectral E of a general field equals the grid mean of |u|^2 / 2 after a transform;
// - both initial fields are divergence-free;
// on grids whole on each rank and split over the world (transposed or not).
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <vector>

#include "fft/support.hpp"
#include "torus/core/error.hpp"
#include "torus/core/random.hpp"
#include "torus/fft/plan.hpp"
#include "torus/pde/initial_velocity.hpp"
#include "torus/pde/velocity_diagnostics.hpp"

namespace torus::pde {
namespace {

using testing::two_pi;
using testing::world;

using Plan3 = fft::Plan<double, 3>;

const fft::PlanOptions quick{fft::Planning::estimate};

std::vector<fft::Grid<3>> boxes(const std::array<int, 3>& n, const std::array<double, 3>& box) {
  std::vector<fft::Grid<3>> result;
  result.emplace_back(n, MPI_COMM_SELF, fft::GridOptions{}, box);
  for (bool transposed : {false, true}) {
    result.emplace_back(n, world(), fft::GridOptions{transposed}, box);
  }
  return result;
}

TEST(VelocityDiagnostics, TaylorGreenClosedForms) {
  const double V0 = 1.3, nu = 1.0 / 1600;
  for (double side : {two_pi, 2.0}) {
    // L2 = L0 / 2: the field stays divergence-free, and omega_x, omega_y carry kappa_z.
    const double kappa = two_pi / side, kappa_z = 2 * kappa;
    for (const auto& grid : boxes({16, 16, 8}, {side, side, side / 2})) {
      Plan3 plan(grid, 2, 3, quick);
      auto u = plan.make_real("u");
      auto u_hat = plan.make_spectral("u_hat");
      taylor_green_velocity(grid, u, V0);
      for (fft::Norm norm : {fft::Norm::backward, fft::Norm::ortho}) {
        plan.forward(u, u_hat, norm);
        const auto E = kinetic_energy(grid, u_hat, norm);
        const auto Z = enstrophy(grid, u_hat, norm);
        const auto eps = dissipation(grid, u_hat, nu, norm);
        const auto div = divergence_max(grid, u_hat, norm);
        ASSERT_EQ(E.size(), 2u);
        const double omega2 = V0 * V0 * (kappa_z * kappa_z / 4 + kappa * kappa / 2);
        for (int b = 0; b < 2; ++b) {
          EXPECT_NEAR(E[b], V0 * V0 / 8, 1e-14) << grid.describe();
          EXPECT_NEAR(Z[b], omega2 / 2, 1e-14 * omega2) << grid.describe();
          EXPECT_NEAR(eps[b], nu * omega2, 1e-14 * nu * omega2) << grid.describe();
          EXPECT_LT(div[b], 1e-15 * V0 * kappa) << grid.describe();
        }
      }
    }
  }
  // On [0, 2 pi)^3 with V0 = 1: eps(0) = 3 nu / 4, the benchmark's starting value.
  const fft::Grid<3> grid({8, 8, 8}, MPI_COMM_SELF, {}, {two_pi, two_pi, two_pi});
  Plan3 plan(grid, 1, 3, quick);
  auto u = plan.make_real("u");
  auto u_hat = plan.make_spectral("u_hat");
  taylor_green_velocity(grid, u, 1.0);
  plan.forward(u, u_hat);
  EXPECT_NEAR(dissipation(grid, u_hat, nu)[0], 0.75 * nu, 1e-16);
}

TEST(VelocityDiagnostics, BeltramiFlowClosedForms) {
  const double A = 1.0, B = 0.8, C = 0.6;
  for (const auto& grid : boxes({16, 16, 16}, {3.0, 3.0, 3.0})) {
    const double kappa = 2 * two_pi / 3.0;  // m = 2
    Plan3 plan(grid, 1, 3, quick);
    auto u = plan.make_real("u");
    auto u_hat = plan.make_spectral("u_hat");
    abc_velocity(grid, u, A, B, C, 2);
    plan.forward(u, u_hat);
    const double E = (A * A + B * B + C * C) / 2;
    EXPECT_NEAR(kinetic_energy(grid, u_hat)[0], E, 1e-14 * E);
    EXPECT_NEAR(enstrophy(grid, u_hat)[0], kappa * kappa * E, 1e-13 * kappa * kappa * E);
    EXPECT_LT(divergence_max(grid, u_hat)[0], 1e-14 * kappa);
  }
}

TEST(VelocityDiagnostics, EnergyIsTheGridMean) {
  for (const auto& grid : boxes({8, 10, 9}, {1.5, 1.0, 2.0})) {
    Plan3 plan(grid, 2, 3, quick);
    auto u = plan.make_real("u");
    auto u_hat = plan.make_spectral("u_hat");
    // White noise, different on each rank: the identity holds for any field.
    fill_normal(u, rank_stream(7, grid.rank()));
    plan.forward(u, u_hat);
    const auto E = kinetic_energy(grid, u_hat);
    for (int b = 0; b < 2; ++b) {
      double local = 0, total = 0;
      for (std::size_t c = 0; c < 3; ++c) {
        for (std::size_t i = 0; i < u.extent(2); ++i) {
          for (std::size_t j = 0; j < u.extent(3); ++j) {
            for (std::size_t l = 0; l < u.extent(4); ++l) local += std::pow(u(b, c, i, j, l), 2);
          }
        }
      }
      MPI_Allreduce(&local, &total, 1, MPI_DOUBLE, MPI_SUM, grid.comm());
      const double expected = 0.5 * total / static_cast<double>(grid.points());
      EXPECT_NEAR(E[b], expected, 1e-13 * expected) << grid.describe();
    }
  }
}

TEST(VelocityDiagnostics, BadInputsAreExplained) {
  const fft::Grid<3> grid({8, 8, 8});
  Plan3 plan(grid, 1, 2, quick);
  auto two = plan.make_spectral("two channels");
  EXPECT_THROW(kinetic_energy(grid, two), Error);
  Plan3 plan3(grid, 1, 3, quick);
  auto u_hat = plan3.make_spectral("u_hat");
  EXPECT_THROW(dissipation(grid, u_hat, -1.0), Error);
  auto u = plan3.make_real("u");
  const fft::Grid<3> flat({8, 8, 8}, MPI_COMM_SELF, {}, {1.0, 2.0, 1.0});
  EXPECT_THROW(taylor_green_velocity(flat, u, 1.0), Error);
  EXPECT_THROW(abc_velocity(flat, u, 1, 1, 1), Error);
  EXPECT_THROW(taylor_green_velocity(grid, u, 1.0, 4), Error);  // m = n/2 is not resolved
}

}  // namespace
}  // namespace torus::pde
