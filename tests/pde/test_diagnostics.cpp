// Diagnostics of the 2-D vorticity solver against independent truths:
// - the Taylor-Green vortex u = U sin(kx) cos(ky), v = -U cos(kx) sin(ky), omega =
//   2 U k sin(kx) sin(ky): E = 1/2 <u^2 + v^2> = U^2 / 4, Z = 1/2 <omega^2> = U^2 k^2 / 2,
//   P = 1/2 <|grad omega|^2> = U^2 k^4 (each squared sine or cosine averages 1/2, each product
//   of two 1/4), all of its energy in the shell round(m sqrt 2), in every normalisation;
// - Parseval: the spectrum sums to the energy;
// - physical space: Z from omega, E from the velocity of velocity_from_vorticity, P from the
//   gradient of omega, each averaged over the grid points after a backward transform;
// - the CFL number of Taylor-Green by hand;
// on grids whole on each rank and split over the world (transposed or not), L = 1 and 2 pi.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include "fft/support.hpp"
#include "torus/core/error.hpp"
#include "torus/fft/derivatives.hpp"
#include "torus/fft/plan.hpp"
#include "torus/pde/diagnostics.hpp"
#include "torus/pde/initial_fields.hpp"

namespace torus::pde {
namespace {

using testing::two_pi;
using testing::world;
using testing::world_size;

using Plan2 = fft::Plan<double, 2>;
using complex = Kokkos::complex<double>;

const fft::PlanOptions quick{fft::Planning::estimate};

// Square grids for Taylor-Green: whole on each rank, and split over the world both ways.
std::vector<fft::Grid<2>> square_grids() {
  std::vector<fft::Grid<2>> result;
  for (double side : {1.0, two_pi}) {
    const std::array<double, 2> box{side, side};
    result.emplace_back(std::array<int, 2>{32, 32}, MPI_COMM_SELF, fft::GridOptions{}, box);
    for (bool transposed : {false, true}) {
      result.emplace_back(std::array<int, 2>{32, 32}, world(), fft::GridOptions{transposed}, box);
    }
  }
  return result;
}

// Any grids for random fields: odd and even extents, a non-square box.
std::vector<fft::Grid<2>> any_grids() {
  const int p = world_size();
  std::vector<fft::Grid<2>> result = square_grids();
  const std::array<double, 2> box{1.5, 0.75};
  result.emplace_back(std::array<int, 2>{9, 11}, MPI_COMM_SELF, fft::GridOptions{}, box);
  for (bool transposed : {false, true}) {
    result.emplace_back(std::array<int, 2>{12 * p, 18}, world(), fft::GridOptions{transposed}, box);
  }
  return result;
}

// The domain mean over all ranks of f(b, x, y) for every local point of sample b.
template <class F>
double mean(const fft::Grid<2>& grid, F f) {
  double local = 0, total = 0;
  for (int x = 0; x < grid.local_extents()[0]; ++x) {
    for (int y = 0; y < grid.local_extents()[1]; ++y) local += f(x, y);
  }
  MPI_Allreduce(&local, &total, 1, MPI_DOUBLE, MPI_SUM, grid.comm());
  return total / static_cast<double>(grid.points());
}

// Sets to 0 the modes at the Nyquist frequency of either axis (even extents only), which have
// no derivative on the grid (see fft::WavenumberOptions).
void drop_nyquist(const fft::Grid<2>& grid, const fft::SpectralField<double, 2>& x_hat) {
  for (std::size_t i0 = 0; i0 < x_hat.extent(2); ++i0) {
    for (std::size_t i1 = 0; i1 < x_hat.extent(3); ++i1) {
      const int i[2] = {static_cast<int>(i0), static_cast<int>(i1)};
      bool nyquist = false;
      for (int s = 0; s < 2; ++s) {
        const int axis = grid.spectral_axis(s);
        const int f = grid.frequency(axis, i[s] + (s == 0 ? grid.local_spectral_start() : 0));
        nyquist = nyquist || 2 * std::abs(f) == grid.extents()[axis];
      }
      if (!nyquist) continue;
      for (std::size_t b = 0; b < x_hat.extent(0); ++b) x_hat(b, 0, i0, i1) = complex(0, 0);
    }
  }
}

TEST(Diagnostics, TaylorGreenClosedFormsInEveryNormalisation) {
  const double U = 1.3;
  const int m = 2;
  for (const auto& grid : square_grids()) {
    const double kappa = taylor_green_wavenumber(grid, m);
    Plan2 plan(grid, 2, 1, quick);
    auto omega = plan.make_real("omega");
    auto omega_hat = plan.make_spectral("omega_hat");
    taylor_green_vorticity(grid, omega, U, m);

    const double E = U * U / 4, Z = U * U * kappa * kappa / 2, P = U * U * std::pow(kappa, 4);
    const int shell = static_cast<int>(std::lround(m * std::sqrt(2.0)));  // |f| = m sqrt 2
    for (fft::Norm norm : {fft::Norm::backward, fft::Norm::ortho, fft::Norm::forward}) {
      plan.forward(omega, omega_hat, norm);
      const auto e = kinetic_energy(grid, omega_hat, norm);
      const auto z = enstrophy(grid, omega_hat, norm);
      const auto p = palinstrophy(grid, omega_hat, norm);
      const auto spectrum = energy_spectrum(grid, omega_hat, norm);
      ASSERT_EQ(e.size(), 2u);
      ASSERT_EQ(spectrum.size(), 2u);
      for (int b = 0; b < 2; ++b) {
        // One transform of 1024 points: round-off of a few eps log2(N).
        EXPECT_NEAR(e[b], E, 1e-13 * E) << grid.describe() << " " << to_string(norm);
        EXPECT_NEAR(z[b], Z, 1e-13 * Z) << grid.describe() << " " << to_string(norm);
        EXPECT_NEAR(p[b], P, 1e-13 * P) << grid.describe() << " " << to_string(norm);
        ASSERT_EQ(spectrum[b].size(), static_cast<std::size_t>(spectrum_shells(grid)));
        for (int j = 0; j < spectrum_shells(grid); ++j) {
          EXPECT_NEAR(spectrum[b][j], j == shell ? E : 0.0, 1e-13 * E)
              << "shell " << j << " on " << grid.describe();
        }
      }
    }
  }
}

TEST(Diagnostics, ShellsOfTheBox) {
  const fft::Grid<2> unit({32, 32});
  EXPECT_NEAR(spectrum_shell_width(unit), two_pi, 1e-15);
  EXPECT_EQ(spectrum_shells(unit), 24);  // corner |f| = 16 sqrt 2 = 22.6 -> shell 23
  const fft::Grid<2> wide({16, 8}, MPI_COMM_SELF, {}, {2.0, 0.5});
  EXPECT_NEAR(spectrum_shell_width(wide), M_PI, 1e-15);
  // corner k = 2 pi (8/2, 4/0.5) = pi (8, 16), |k| / pi = 17.9 -> shell 18
  EXPECT_EQ(spectrum_shells(wide), 19);
}

TEST(Diagnostics, SpectrumSumsToTheEnergy) {
  for (const auto& grid : any_grids()) {
    Plan2 plan(grid, 3, 1, quick);
    auto omega = plan.make_real("omega");
    auto omega_hat = plan.make_spectral("omega_hat");
    gaussian_random_field(grid, plan, omega, 11, 0);
    plan.forward(omega, omega_hat);
    const auto e = kinetic_energy(grid, omega_hat);
    const auto spectrum = energy_spectrum(grid, omega_hat);
    for (int b = 0; b < 3; ++b) {
      double sum = 0;
      for (double value : spectrum[b]) {
        EXPECT_GE(value, 0.0);
        sum += value;
      }
      EXPECT_GT(e[b], 0.0);
      EXPECT_EQ(spectrum[b][0], 0.0) << grid.describe();
      // The same terms summed in another order: round-off of the sum only.
      EXPECT_NEAR(sum, e[b], 1e-13 * e[b]) << grid.describe();
    }
  }
}

// Z, E and P from their spectral formulas equal the grid means of omega^2, u^2 + v^2 and
// |grad omega|^2 after backward transforms (Nyquist modes dropped first, since the velocity and
// gradient drop them; for Z the field is taken as it is).
TEST(Diagnostics, AgreeWithPhysicalSpaceMeans) {
  for (const auto& grid : any_grids()) {
    Plan2 plan(grid, 2, 1, quick);
    Plan2 pair_plan(grid, 2, 2, quick);
    auto omega = plan.make_real("omega");
    auto omega_hat = plan.make_spectral("omega_hat");
    auto u = pair_plan.make_real("u");
    auto u_hat = pair_plan.make_spectral("u_hat");
    gaussian_random_field(grid, plan, omega, 3, 5);
    plan.forward(omega, omega_hat);

    const auto z = enstrophy(grid, omega_hat);
    for (int b = 0; b < 2; ++b) {
      const double expected =
          0.5 * mean(grid, [&](int x, int y) { return omega(b, 0, x, y) * omega(b, 0, x, y); });
      EXPECT_NEAR(z[b], expected, 1e-12 * expected) << grid.describe();
    }

    drop_nyquist(grid, omega_hat);
    const auto e = kinetic_energy(grid, omega_hat);
    const auto p = palinstrophy(grid, omega_hat);
    velocity_from_vorticity(grid, omega_hat, u_hat);
    pair_plan.backward(u_hat, u);
    for (int b = 0; b < 2; ++b) {
      const double expected =
          0.5 * mean(grid, [&](int x, int y) {
            return u(b, 0, x, y) * u(b, 0, x, y) + u(b, 1, x, y) * u(b, 1, x, y);
          });
      EXPECT_NEAR(e[b], expected, 1e-12 * expected) << grid.describe();
    }
    fft::gradient(grid, omega_hat, u_hat);
    pair_plan.backward(u_hat, u);
    for (int b = 0; b < 2; ++b) {
      const double expected =
          0.5 * mean(grid, [&](int x, int y) {
            return u(b, 0, x, y) * u(b, 0, x, y) + u(b, 1, x, y) * u(b, 1, x, y);
          });
      EXPECT_NEAR(p[b], expected, 1e-12 * expected) << grid.describe();
    }
  }
}

// The velocity of the Taylor-Green vorticity is pde::taylor_green_velocity, and its CFL number
// is the hand-computed max |u| dt/dx + |v| dt/dy: with n a multiple of 4 m, the point
// (L / (4 m), 0) has |u| = U, v = 0, and |sin a cos b| + |cos a sin b| <= 1 elsewhere, so
// CFL = U dt / dx.
TEST(Diagnostics, TaylorGreenVelocityAndCfl) {
  const double U = 0.7, dt = 1e-3;
  const int m = 2;
  for (const auto& grid : square_grids()) {
    Plan2 plan(grid, 2, 1, quick);
    Plan2 pair_plan(grid, 2, 2, quick);
    auto omega = plan.make_real("omega");
    auto omega_hat = plan.make_spectral("omega_hat");
    auto u = pair_plan.make_real("u");
    auto u_exact = pair_plan.make_real("u_exact");
    auto u_hat = pair_plan.make_spectral("u_hat");
    taylor_green_vorticity(grid, omega, U, m);
    taylor_green_velocity(grid, u_exact, U, m);
    plan.forward(omega, omega_hat, fft::Norm::ortho);
    velocity_from_vorticity(grid, omega_hat, u_hat);
    pair_plan.backward(u_hat, u, fft::Norm::ortho);

    double worst = 0, total = 0;
    for (std::size_t i = 0; i < u.span(); ++i) {
      worst = std::max(worst, std::abs(u.data()[i] - u_exact.data()[i]));
    }
    MPI_Allreduce(&worst, &total, 1, MPI_DOUBLE, MPI_MAX, grid.comm());
    EXPECT_LE(total, 1e-13 * U) << grid.describe();

    const double dx = grid.lengths()[0] / grid.extents()[0];
    const double hand = U * dt / dx;
    for (const auto& velocity : {u, u_exact}) {
      const auto courant = cfl(grid, velocity, dt);
      ASSERT_EQ(courant.size(), 2u);
      for (double c : courant) EXPECT_NEAR(c, hand, 1e-13 * hand) << grid.describe();
    }
  }
}

TEST(Diagnostics, BadInputThrows) {
  const fft::Grid<2> grid({16, 16}, world());
  const fft::Grid<2> other({16, 12}, world());
  Plan2 two_channels(grid, 1, 2, quick);
  Plan2 one_channel(grid, 1, 1, quick);
  Plan2 elsewhere(other, 1, 1, quick);
  auto pair_hat = two_channels.make_spectral("pair_hat");
  auto omega_hat = one_channel.make_spectral("omega_hat");
  auto wrong_hat = elsewhere.make_spectral("wrong_hat");
  auto u = two_channels.make_real("u");
  auto omega = one_channel.make_real("omega");

  EXPECT_THROW(kinetic_energy(grid, pair_hat), Error);
  EXPECT_THROW(enstrophy(grid, wrong_hat), Error);
  EXPECT_THROW(palinstrophy(grid, pair_hat), Error);
  EXPECT_THROW(energy_spectrum(grid, wrong_hat), Error);
  EXPECT_THROW(velocity_from_vorticity(grid, omega_hat, omega_hat), Error);
  EXPECT_THROW(velocity_from_vorticity(grid, pair_hat, pair_hat), Error);
  EXPECT_THROW(velocity_from_vorticity(grid, wrong_hat, pair_hat), Error);
  EXPECT_THROW(cfl(grid, u, 0.0), Error);
  EXPECT_THROW(cfl(grid, u, -1.0), Error);
  EXPECT_THROW(cfl(grid, u, std::numeric_limits<double>::quiet_NaN()), Error);
  EXPECT_THROW(cfl(grid, omega, 0.1), Error);
  EXPECT_NO_THROW(cfl(grid, u, 0.1));
  EXPECT_NO_THROW(velocity_from_vorticity(grid, omega_hat, pair_hat));
}

}  // namespace
}  // namespace torus::pde
