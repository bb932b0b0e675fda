// The 3-D Navier–Stokes system (velocity form) against independent truths:
// - N(u) of any divergence-free field is divergence-free and does no work: sum conj(u) . N = 0
//   (u . (u x omega) = 0 at every grid point, and the 2/3 truncation keeps it so);
// - N of the 3-D Taylor–Green field at t = 0 equals the closed form -(u . grad) u - grad p with
//   the known pressure p = V0^2 / 16 (cos 2x + cos 2y)(cos 2z + 2) (worked out by hand and
//   checked with sympy): N = V0^2 kappa / 8 (-sin 2x cos 2z, -sin 2y cos 2z,
//   (cos 2x + cos 2y) sin 2z), arguments scaled by kappa = 2 pi / L;
// - the 2-D Taylor–Green vortex embedded in 3-D and the ABC (Beltrami) flow have N = 0, so they
//   decay exactly as exp(-nu |k|^2 t);
// - lambda = -nu |k|^2 at every mode;
// - through the time integrator: the exact solutions decay as they should, and the Taylor-Green
//   energy budget closes, dE/dt = -eps = -nu <|omega|^2>;
// on grids whole on each rank and split over the world (transposed or not); analytic values
// make the answer the same at every rank count.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "fft/support.hpp"
#include "torus/core/error.hpp"
#include "torus/fft/plan.hpp"
#include "torus/pde/initial_velocity.hpp"
#include "torus/pde/ns3d.hpp"
#include "torus/pde/time_integrator.hpp"
#include "torus/pde/velocity_diagnostics.hpp"

namespace torus::pde {
namespace {

using testing::two_pi;
using testing::world;
using testing::world_size;

using Plan3 = fft::Plan<double, 3>;
using Real3 = fft::RealField<double, 3>;
using Spectral3 = fft::SpectralField<double, 3>;
using complex = Kokkos::complex<double>;

const fft::PlanOptions quick{fft::Planning::estimate};

// Cubes of n^3 points and side `side`: whole on each rank, split over the world both ways.
std::vector<fft::Grid<3>> cubes(int n, double side) {
  const std::array<double, 3> box{side, side, side};
  const std::array<int, 3> extents{n, n, n};
  std::vector<fft::Grid<3>> result;
  result.emplace_back(extents, MPI_COMM_SELF, fft::GridOptions{}, box);
  for (bool transposed : {false, true}) {
    result.emplace_back(extents, world(), fft::GridOptions{transposed}, box);
  }
  return result;
}

// A velocity field given by value(c, x, y, z) at every local point of every flow.
using VectorField = std::function<double(int c, double x, double y, double z)>;

void fill(const fft::Grid<3>& grid, const Real3& u, const VectorField& value) {
  std::array<double, 3> h;
  for (int a = 0; a < 3; ++a) h[a] = grid.lengths()[a] / grid.extents()[a];
  for (std::size_t b = 0; b < u.extent(0); ++b) {
    for (std::size_t c = 0; c < u.extent(1); ++c) {
      for (std::size_t i = 0; i < u.extent(2); ++i) {
        for (std::size_t j = 0; j < u.extent(3); ++j) {
          for (std::size_t l = 0; l < u.extent(4); ++l) {
            u(b, c, i, j, l) =
                value(static_cast<int>(c), (grid.local_start() + i) * h[0], j * h[1], l * h[2]);
          }
        }
      }
    }
  }
}

// The spectral velocity (Norm::backward) of value(c, x, y, z).
Spectral3 spectral(const fft::Grid<3>& grid, Ns3dSystem& system, const VectorField& value) {
  Plan3 plan(grid, system.batch(), 3, quick);
  auto u = plan.make_real("u");
  fill(grid, u, value);
  auto u_hat = system.make_state();
  system.to_spectral(u, u_hat);
  return u_hat;
}

// max over all modes and ranks of |a - b| / N: the largest difference of Fourier coefficients.
double max_difference(const fft::Grid<3>& grid, const Spectral3& a, const Spectral3& b) {
  double local = 0, total = 0;
  for (std::size_t i = 0; i < a.span(); ++i) {
    local = std::max(local, Kokkos::abs(a.data()[i] - b.data()[i]));
  }
  MPI_Allreduce(&local, &total, 1, MPI_DOUBLE, MPI_MAX, grid.comm());
  return total / static_cast<double>(grid.points());
}

double max_coefficient(const fft::Grid<3>& grid, const Spectral3& a) {
  return max_difference(
      grid, a, Spectral3("zero", a.extent(0), a.extent(1), a.extent(2), a.extent(3), a.extent(4)));
}

// The physical wave vector of local storage indices (i0, i1, i2).
std::array<double, 3> wave_vector(const fft::Grid<3>& grid, int i0, int i1, int i2) {
  const int i[3] = {i0, i1, i2};
  std::array<double, 3> k{};
  for (int s = 0; s < 3; ++s) {
    const int axis = grid.spectral_axis(s);
    const int g = i[s] + (s == 0 ? grid.local_spectral_start() : 0);
    k[axis] = two_pi * grid.frequency(axis, g) / grid.lengths()[axis];
  }
  return k;
}

// Re sum over the full spectrum of conj(a) . b / N^2 for flow 0, over all ranks (r2c modes
// count twice except on the planes f_z = 0 and f_z = n_z / 2).
double inner(const fft::Grid<3>& grid, const Spectral3& a, const Spectral3& b) {
  double local = 0, total = 0;
  const int nz = grid.extents()[2];
  for (std::size_t i0 = 0; i0 < a.extent(2); ++i0) {
    for (std::size_t i1 = 0; i1 < a.extent(3); ++i1) {
      for (std::size_t i2 = 0; i2 < a.extent(4); ++i2) {
        const double m = (i2 == 0 || 2 * static_cast<int>(i2) == nz) ? 1.0 : 2.0;
        for (int c = 0; c < 3; ++c) {
          local += m * (Kokkos::conj(a(0, c, i0, i1, i2)) * b(0, c, i0, i1, i2)).real();
        }
      }
    }
  }
  MPI_Allreduce(&local, &total, 1, MPI_DOUBLE, MPI_SUM, grid.comm());
  return total / std::pow(static_cast<double>(grid.points()), 2);
}

// In place: u_hat <- P u_hat = u_hat - k (k . u_hat) / |k|^2, a divergence-free field.
void project(const fft::Grid<3>& grid, const Spectral3& u_hat) {
  for (std::size_t b = 0; b < u_hat.extent(0); ++b) {
    for (std::size_t i0 = 0; i0 < u_hat.extent(2); ++i0) {
      for (std::size_t i1 = 0; i1 < u_hat.extent(3); ++i1) {
        for (std::size_t i2 = 0; i2 < u_hat.extent(4); ++i2) {
          const auto k = wave_vector(grid, i0, i1, i2);
          const double k2 = k[0] * k[0] + k[1] * k[1] + k[2] * k[2];
          if (k2 == 0) continue;
          complex k_dot_u = 0;
          for (int c = 0; c < 3; ++c) k_dot_u += k[c] * u_hat(b, c, i0, i1, i2);
          for (int c = 0; c < 3; ++c) u_hat(b, c, i0, i1, i2) -= k[c] * k_dot_u / k2;
        }
      }
    }
  }
}

// A smooth field with energy up to |f| = 7, beyond the 2/3 band of 16 points (|f| <= 5): waves with
// fixed amplitudes and phases, the same at every rank count.
double wavy(int c, double x, double y, double z, double side) {
  const double s = two_pi / side;
  double sum = 0;
  for (int j = 1; j <= 7; ++j) {
    const double phase = 0.7 * j + 1.3 * c;
    sum += std::cos(s * (j * x + (j % 3) * y - (c + 1) * z) + phase) / j;
    sum += 0.5 * std::sin(s * ((c - 1) * x + j * y + 2 * z) - phase) / j;
  }
  return sum;
}

TEST(Ns3d, NonlinearTermIsDivergenceFreeAndDoesNoWork) {
  for (double side : {two_pi, 3.0}) {
    for (const auto& grid : cubes(16, side)) {
      Ns3dSystem system(grid, {0.01, 1, quick});
      auto u_hat = spectral(grid, system, [&](int c, double x, double y, double z) {
        return wavy(c, x, y, z, side);
      });
      project(grid, u_hat);
      auto n_hat = system.make_state("N");
      system.nonlinear(0.0, u_hat, n_hat);

      // |N| ~ |u| |omega| ~ 1e1 here; round-off of 9 transforms of 4096 points.
      const double size = max_coefficient(grid, n_hat);
      ASSERT_GT(size, 1e-2) << grid.describe();
      EXPECT_LT(divergence_max(grid, n_hat)[0], 1e-13 * size * two_pi / side * 16)
          << grid.describe();
      const double work = inner(grid, u_hat, n_hat);
      const double scale = std::sqrt(inner(grid, u_hat, u_hat) * inner(grid, n_hat, n_hat));
      EXPECT_LT(std::abs(work), 1e-14 * scale) << grid.describe();
      EXPECT_EQ(system.evaluations(), 1);
    }
  }
}

TEST(Ns3d, NonlinearTermOfTaylorGreenIsTheClosedForm) {
  const double V0 = 1.5;
  for (double side : {two_pi, 3.0}) {
    const double kappa = two_pi / side;
    for (const auto& grid : cubes(16, side)) {
      Ns3dSystem system(grid, {0.01, 1, quick});
      Plan3 plan(grid, 1, 3, quick);
      auto u = plan.make_real("u");
      auto u_hat = system.make_state();
      taylor_green_velocity(grid, u, V0);
      system.to_spectral(u, u_hat);
      auto n_hat = system.make_state("N");
      system.nonlinear(0.0, u_hat, n_hat);

      const double a = V0 * V0 * kappa / 8;
      const auto expected = spectral(grid, system, [&](int c, double x, double y, double z) {
        const double X = 2 * kappa * x, Y = 2 * kappa * y, Z = 2 * kappa * z;
        if (c == 0) return -a * std::sin(X) * std::cos(Z);
        if (c == 1) return -a * std::sin(Y) * std::cos(Z);
        return a * (std::cos(X) + std::cos(Y)) * std::sin(Z);
      });
      EXPECT_LT(max_difference(grid, n_hat, expected), 1e-14 * a) << grid.describe();
    }
  }
}

TEST(Ns3d, TwoDimensionalTaylorGreenAndBeltramiFlowsHaveNoNonlinearTerm) {
  for (const auto& grid : cubes(16, two_pi)) {
    Ns3dSystem system(grid, {0.01, 1, quick});
    auto n_hat = system.make_state("N");

    // u = (sin x cos y, -cos x sin y, 0): u x omega = -grad(|u|^2 / 2 + p) is a gradient.
    const auto tg2 = spectral(grid, system, [](int c, double x, double y, double) {
      return c == 0 ? std::sin(x) * std::cos(y) : c == 1 ? -std::cos(x) * std::sin(y) : 0.0;
    });
    system.nonlinear(0.0, tg2, n_hat);
    EXPECT_LT(max_coefficient(grid, n_hat), 1e-15) << grid.describe();

    // ABC: curl u = u, so u x omega = 0 at every point.
    Plan3 plan(grid, 1, 3, quick);
    auto u = plan.make_real("u");
    auto abc = system.make_state("abc");
    abc_velocity(grid, u, 1.0, 0.8, 0.6);
    system.to_spectral(u, abc);
    system.nonlinear(0.0, abc, n_hat);
    EXPECT_LT(max_coefficient(grid, n_hat), 1e-15) << grid.describe();
  }
}

TEST(Ns3d, LinearPartIsViscousDiffusion) {
  const double nu = 0.03, side = 3.0;
  for (const auto& grid : cubes(8, side)) {
    Ns3dSystem system(grid, {nu, 1, quick});
    const auto lambda = system.linear_diagonal();
    ASSERT_EQ(lambda.extent(0), static_cast<std::size_t>(grid.local_spectral_points()));
    const auto& local = grid.local_spectral_extents();
    for (int i0 = 0; i0 < local[0]; ++i0) {
      for (int i1 = 0; i1 < local[1]; ++i1) {
        for (int i2 = 0; i2 < local[2]; ++i2) {
          const auto k = wave_vector(grid, i0, i1, i2);
          const double expected = -nu * (k[0] * k[0] + k[1] * k[1] + k[2] * k[2]);
          EXPECT_NEAR(lambda((i0 * local[1] + i1) * local[2] + i2), expected,
                      1e-14 * std::abs(expected));
        }
      }
    }
  }
}

TEST(Ns3d, BadOptionsAreExplained) {
  const fft::Grid<3> grid({8, 8, 8});
  EXPECT_THROW(Ns3dSystem(grid, {-1.0, 1, quick}), Error);
  EXPECT_THROW(Ns3dSystem(grid, {0.1, 0, quick}), Error);
  Ns3dSystem system(grid, {0.1, 1, quick});
  auto u_hat = system.make_state();
  EXPECT_THROW(system.nonlinear(0.0, u_hat, u_hat), Error);
  const Spectral3 wrong("wrong", 1, 2, 8, 8, 5);
  EXPECT_THROW(system.nonlinear(0.0, wrong, u_hat), Error);
}

// The largest |a - decay * b| / N over the modes of flow 0, all ranks.
double decay_error(const fft::Grid<3>& grid, const Spectral3& a, const Spectral3& b, double decay) {
  double local = 0, total = 0;
  for (std::size_t i = 0; i < a.span(); ++i) {
    local = std::max(local, Kokkos::abs(a.data()[i] - decay * b.data()[i]));
  }
  MPI_Allreduce(&local, &total, 1, MPI_DOUBLE, MPI_MAX, grid.comm());
  return total / static_cast<double>(grid.points());
}

TEST(Ns3dStepping, ExactSolutionsDecayAsTheyShould) {
  const double nu = 0.05, t_end = 0.5;
  for (const std::string scheme : {"rk:4", "arkimex:3"}) {
    for (const auto& grid : cubes(16, two_pi)) {
      Ns3dSystem system(grid, {nu, 1, quick});
      // The 2-D Taylor-Green vortex (|k|^2 = 2): exp(-2 nu t).
      const auto tg2 = spectral(grid, system, [](int c, double x, double y, double) {
        return c == 0 ? std::sin(x) * std::cos(y) : c == 1 ? -std::cos(x) * std::sin(y) : 0.0;
      });
      // The ABC flow at kappa = 1 (|k|^2 = 1): exp(-nu t).
      Plan3 plan(grid, 1, 3, quick);
      auto u = plan.make_real("u");
      auto abc = system.make_state("abc");
      abc_velocity(grid, u, 1.0, 0.8, 0.6);
      system.to_spectral(u, abc);

      for (const auto& [initial, k2] : {std::pair{tg2, 2.0}, std::pair{abc, 1.0}}) {
        auto state = system.make_state("state");
        Kokkos::deep_copy(state, initial);
        TimeIntegrator<3> integrator(system, {scheme, 0.01});
        double t = 0;
        integrator.advance(state, t, t_end);
        EXPECT_DOUBLE_EQ(t, t_end);
        // N = 0 along the way (round-off), so only the scheme's error on the linear decay
        // remains; exact for arkimex (lambda solved exactly), O((nu k2 dt)^5) for rk:4.
        EXPECT_LT(decay_error(grid, state, initial, std::exp(-nu * k2 * t_end)), 1e-12)
            << scheme << " on " << grid.describe();
      }
    }
  }
}

// Energy budget of the 3-D Taylor-Green vortex at Re = 50 on 16^3 up to t = 1: the recorded
// -dE/dt (centred differences) equals eps = nu <|omega|^2> within the time error, and
// E(T) - E(0) = -integral of eps (Simpson). The same flow on a grid whole on each rank and
// split over the world gives the same E(T).
TEST(Ns3dStepping, TaylorGreenEnergyBudget) {
  const double nu = 1.0 / 50, dt = 0.01, t_end = 1.0;
  std::vector<double> final_energy;
  for (const auto& grid : cubes(16, two_pi)) {
    Ns3dSystem system(grid, {nu, 1, quick});
    Plan3 plan(grid, 1, 3, quick);
    auto u = plan.make_real("u");
    auto u_hat = system.make_state();
    taylor_green_velocity(grid, u, 1.0);
    system.to_spectral(u, u_hat);
    std::vector<double> times{0.0}, energy{kinetic_energy(grid, u_hat)[0]},
        eps{dissipation(grid, u_hat, nu)[0]};
    EXPECT_NEAR(eps[0], 0.75 * nu, 1e-16);

    TimeIntegrator<3> integrator(system, {"rk:4", dt});
    double t = 0;
    integrator.advance(u_hat, t, t_end, [&](long, double time, const auto& state) {
      times.push_back(time);
      energy.push_back(kinetic_energy(grid, state)[0]);
      eps.push_back(dissipation(grid, state, nu)[0]);
    });
    ASSERT_EQ(times.size(), 101u);
    EXPECT_LT(divergence_max(grid, u_hat)[0], 1e-15);

    // -dE/dt by centred differences: error dt^2 / 6 E''' ~ 1e-5 eps here.
    for (std::size_t i = 1; i + 1 < times.size(); ++i) {
      const double rate = -(energy[i + 1] - energy[i - 1]) / (times[i + 1] - times[i - 1]);
      EXPECT_NEAR(rate, eps[i], 1e-4 * eps[i]) << "t = " << times[i] << " on " << grid.describe();
    }
    // E(T) - E(0) = -integral of eps dt, Simpson's rule over 100 intervals (error ~ dt^4).
    double integral = eps.front() + eps.back();
    for (std::size_t i = 1; i + 1 < times.size(); ++i) integral += (i % 2 ? 4 : 2) * eps[i];
    integral *= dt / 3;
    EXPECT_NEAR(energy.front() - energy.back(), integral, 1e-9 * integral) << grid.describe();
    final_energy.push_back(energy.back());
  }
  for (double e : final_energy) EXPECT_NEAR(e, final_energy.front(), 1e-13);
}

}  // namespace
}  // namespace torus::pde
