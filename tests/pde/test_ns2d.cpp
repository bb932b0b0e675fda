// The 2-D Navier–Stokes solver against independent truths:
// - the Taylor–Green vortex decays as exp(-2 nu kappa^2 t) (its advection vanishes);
// - a forcing that depends on one direction only drives a shear flow whose advection vanishes,
//   so omega(t) = q / (nu |k|^2 + mu) (1 - exp(-(nu |k|^2 + mu) t)) from rest (FNO and
//   Kolmogorov forcings, with drag);
// - every scheme's observed order of convergence is within 0.1 of its theory;
// - the energy budget dE/dt = -2 nu Z - 2 mu E + <psi q> holds within the time error (the
//   dealiased nonlinear term conserves energy exactly);
// - a distributed grid gives the one-rank result to round-off;
// - bad input throws, and a blow-up rolls back and names a stable step.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <cstdio>
#include <string>
#include <vector>

#include "fft/support.hpp"
#include "torus/fft/dealias.hpp"
#include "torus/fft/derivatives.hpp"
#include "torus/fft/gather.hpp"
#include "torus/pde/diagnostics.hpp"
#include "torus/pde/initial_fields.hpp"
#include "torus/pde/ns2d_solver.hpp"

namespace torus::pde {
namespace {

using testing::two_pi;
using testing::world;
using testing::world_size;

using RealHost = fft::RealField<double, 2>::HostMirror;

Ns2dOptions options_for(const std::string& scheme, double dt, double nu, ForcingOptions forcing,
                        int check_every = 1000) {
  Ns2dOptions options;
  options.parameters.nu = nu;
  options.parameters.forcing = forcing;
  options.scheme = scheme;
  options.dt = dt;
  options.check_every = check_every;
  options.petsc_prefix = "";
  return options;
}

// omega(b, 0, x, y) = value(b, x, y) on this rank's slab.
template <class Function>
void fill(const fft::Grid<2>& grid, const fft::RealField<double, 2>& omega, Function value) {
  auto host = Kokkos::create_mirror_view(omega);
  const double dx = grid.lengths()[0] / grid.extents()[0];
  const double dy = grid.lengths()[1] / grid.extents()[1];
  for (std::size_t b = 0; b < host.extent(0); ++b)
    for (std::size_t i = 0; i < host.extent(2); ++i)
      for (std::size_t j = 0; j < host.extent(3); ++j)
        host(b, 0, i, j) = value(int(b), (grid.local_start() + i) * dx, j * dy);
  Kokkos::deep_copy(omega, host);
}

// max |omega - value| and max |value| over every rank.
template <class Function>
std::pair<double, double> deviation(const fft::Grid<2>& grid,
                                    const fft::RealField<double, 2>& omega, Function value) {
  auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), omega);
  const double dx = grid.lengths()[0] / grid.extents()[0];
  const double dy = grid.lengths()[1] / grid.extents()[1];
  double error = 0, size = 0;
  for (std::size_t b = 0; b < host.extent(0); ++b)
    for (std::size_t i = 0; i < host.extent(2); ++i)
      for (std::size_t j = 0; j < host.extent(3); ++j) {
        const double want = value(int(b), (grid.local_start() + i) * dx, j * dy);
        error = std::max(error, std::abs(host(b, 0, i, j) - want));
        size = std::max(size, std::abs(want));
      }
  MPI_Allreduce(MPI_IN_PLACE, &error, 1, MPI_DOUBLE, MPI_MAX, grid.comm());
  MPI_Allreduce(MPI_IN_PLACE, &size, 1, MPI_DOUBLE, MPI_MAX, grid.comm());
  return {error, size};
}

// The standard convention computes u . grad omega as d_x d_y (v^2 - u^2) + (d_x^2 - d_y^2)(u v)
// with 4 transforms. Against the advective form u omega_x + v omega_y built independently from
// fft::dealias, fft::inverse_laplacian and fft::derivative (5 transforms), on a field with
// content on every mode: equal to round-off on every mode, including the dropped ones (0).
TEST(Ns2d, DivergenceFreeFormEqualsTheAdvectiveForm) {
  for (const bool transposed : {false, true}) {
    fft::Grid<2> grid({32, 24}, world(), {transposed}, {1.0, 0.75});
    const int batch = 2;
    Ns2dParameters parameters{0.01, {ForcingKind::none, 4, 1.0, 0.0}, Ns2dConvention::standard};
    Ns2dSystem system(grid, batch, parameters);
    fft::Plan<double, 2> plan(grid, batch, 1), four(grid, batch, 4);
    auto omega = plan.make_real("omega");
    gaussian_random_field(grid, plan, omega, 21, 0);
    auto omega_hat = plan.make_spectral("omega_hat");
    plan.forward(omega, omega_hat);
    auto n_hat = plan.make_spectral("n_hat");
    system.nonlinear(0.0, omega_hat, n_hat);

    // Independent: dealiased omega, psi = -lap^-1 omega, u = psi_y, v = -psi_x.
    auto w = plan.make_spectral("w");
    Kokkos::deep_copy(w, omega_hat);
    fft::dealias(grid, w);
    auto psi = plan.make_spectral("psi");
    fft::inverse_laplacian(grid, w, psi);  // lap psi' = w, so psi = -psi'
    auto fields_hat = four.make_spectral("fields_hat");
    const auto channel = [&](int c) {
      return Kokkos::subview(fields_hat, Kokkos::ALL, std::make_pair(c, c + 1), Kokkos::ALL,
                             Kokkos::ALL);
    };
    auto tmp = plan.make_spectral("tmp");
    fft::derivative(grid, 1, psi, tmp);  // -u
    Kokkos::deep_copy(channel(0), tmp);
    fft::derivative(grid, 0, psi, tmp);  // v
    Kokkos::deep_copy(channel(1), tmp);
    fft::derivative(grid, 0, w, tmp);
    Kokkos::deep_copy(channel(2), tmp);
    fft::derivative(grid, 1, w, tmp);
    Kokkos::deep_copy(channel(3), tmp);
    auto fields = four.make_real("fields");
    four.backward(fields_hat, fields);
    auto host_fields = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), fields);
    auto advection = Kokkos::create_mirror_view(omega);
    for (int b = 0; b < batch; ++b)
      for (std::size_t i = 0; i < advection.extent(2); ++i)
        for (std::size_t j = 0; j < advection.extent(3); ++j)
          advection(b, 0, i, j) = -host_fields(b, 0, i, j) * host_fields(b, 2, i, j) +
                                  host_fields(b, 1, i, j) * host_fields(b, 3, i, j);
    Kokkos::deep_copy(omega, advection);
    auto want = plan.make_spectral("want");
    plan.forward(omega, want);
    fft::dealias(grid, want);

    auto got = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), n_hat);
    auto expected = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), want);
    double error = 0, size = 0;
    for (std::size_t e = 0; e < got.size(); ++e) {
      error = std::max(error, Kokkos::abs(got.data()[e] + expected.data()[e]));  // N = -a
      size = std::max(size, Kokkos::abs(expected.data()[e]));
    }
    MPI_Allreduce(MPI_IN_PLACE, &error, 1, MPI_DOUBLE, MPI_MAX, grid.comm());
    MPI_Allreduce(MPI_IN_PLACE, &size, 1, MPI_DOUBLE, MPI_MAX, grid.comm());
    EXPECT_GT(size, 1.0);
    EXPECT_LT(error, 1e-12 * size) << (transposed ? "transposed" : "x slabs");
    EXPECT_EQ(system.transforms_per_sample(), 4);
  }
}

TEST(Ns2d, TaylorGreenDecaysAsTheExactSolution) {
  fft::Grid<2> grid({32, 32}, world(), {true});
  const double nu = 0.01, kappa = two_pi, t_end = 0.2;
  for (const std::string scheme : {"fno-cn", "arkimex:3", "rk:4"}) {
    Ns2dSolver solver(grid, 2, options_for(scheme, 1e-3, nu, {}));
    auto omega = solver.plan().make_real("omega");
    // omega = 2 U kappa sin(kappa x) sin(kappa y), U = 1 + b
    const auto tg = [&](int b, double x, double y) {
      return 2 * (1.0 + b) * kappa * std::sin(kappa * x) * std::sin(kappa * y);
    };
    fill(grid, omega, tg);
    solver.set_vorticity(omega);
    solver.advance_to(t_end);
    EXPECT_EQ(solver.time(), t_end);
    solver.vorticity(omega);
    const double decay = taylor_green_decay(nu, kappa, t_end);
    const auto [error, size] =
        deviation(grid, omega, [&](int b, double x, double y) { return decay * tg(b, x, y); });
    // Time errors: CN's |lambda|^3 dt^2 t / 12 ~ 1e-8, ARK3 and RK4 far smaller.
    EXPECT_LT(error, 1e-7 * size) << scheme;
  }
}

TEST(Ns2d, ForcingsDriveTheirShearFlowFromRest) {
  fft::Grid<2> grid({32, 32}, world());
  const double nu = 0.02, t_end = 0.5;
  struct Case {
    ForcingOptions forcing;
    std::string scheme;
  };
  const std::vector<Case> cases = {
      {{ForcingKind::fno, 4, 1.0, 0.0}, "fno-cn"},
      {{ForcingKind::fno, 4, 1.0, 0.3}, "arkimex:4"},
      {{ForcingKind::kolmogorov, 2, 1.5, 0.1}, "arkimex:4"},
      {{ForcingKind::kolmogorov, 3, 0.5, 0.0}, "rk:4"},
  };
  for (const auto& c : cases) {
    const double dt = c.scheme == "fno-cn" ? 1e-3 : 5e-3;
    Ns2dSolver solver(grid, 1, options_for(c.scheme, dt, nu, c.forcing));
    auto omega = solver.plan().make_real("omega");
    Kokkos::deep_copy(omega, 0.0);
    solver.set_vorticity(omega);
    solver.advance_to(t_end);
    solver.vorticity(omega);
    const double mu = c.forcing.drag;
    const auto exact = [&](int, double x, double y) {
      double q = 0, k2 = 0;
      if (c.forcing.kind == ForcingKind::fno) {
        q = 0.1 * (std::sin(two_pi * (x + y)) + std::cos(two_pi * (x + y)));
        k2 = 2 * two_pi * two_pi;
      } else {
        const double kappa = two_pi * c.forcing.wavenumber;
        q = -c.forcing.amplitude * kappa * std::cos(kappa * y);
        k2 = kappa * kappa;
      }
      const double rate = nu * k2 + mu;
      return q / rate * (1 - std::exp(-rate * t_end));
    };
    const auto [error, size] = deviation(grid, omega, exact);
    EXPECT_GT(size, 1e-3);
    // fno-cn is first order in the explicit forcing: dt |rate| t ~ 1e-3 relative.
    EXPECT_LT(error, (c.scheme == "fno-cn" ? 2e-3 : 1e-8) * size)
        << to_string(c.forcing.kind) << " with " << c.scheme;
  }
}

// |a - b| over every entry and rank, for two runs of the same grid.
double difference(const fft::Grid<2>& grid, const fft::RealField<double, 2>& a,
                  const fft::RealField<double, 2>& b) {
  auto ha = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), a);
  auto hb = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), b);
  double sum = 0;
  for (std::size_t s = 0; s < ha.extent(0); ++s)
    for (std::size_t i = 0; i < ha.extent(2); ++i)
      for (std::size_t j = 0; j < ha.extent(3); ++j)
        sum += std::pow(ha(s, 0, i, j) - hb(s, 0, i, j), 2);
  MPI_Allreduce(MPI_IN_PLACE, &sum, 1, MPI_DOUBLE, MPI_SUM, grid.comm());
  return std::sqrt(sum / grid.points() / ha.extent(0));
}

// The vorticity at t_end from the same Gaussian random field, with steps of dt.
fft::RealField<double, 2> run(const fft::Grid<2>& grid, const std::string& scheme, double dt,
                              double t_end) {
  GaussianFieldOptions smooth;
  smooth.alpha = 3.5;  // smooth enough that 16 points resolve it
  smooth.tau = 3.0;
  Ns2dSolver solver(grid, 2,
                    options_for(scheme, dt, 0.005, {ForcingKind::fno, 4, 1.0, 0.0}, 100000));
  auto omega = solver.plan().make_real("omega");
  gaussian_random_field(grid, solver.plan(), omega, /*seed=*/7, /*first_sample=*/0, smooth);
  // Scale to O(1) vorticity: the GRF of alpha 3.5 is large.
  auto scaled = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), omega);
  double peak = 0;
  for (std::size_t i = 0; i < scaled.size(); ++i) peak = std::max(peak, std::abs(scaled.data()[i]));
  MPI_Allreduce(MPI_IN_PLACE, &peak, 1, MPI_DOUBLE, MPI_MAX, grid.comm());
  for (std::size_t i = 0; i < scaled.size(); ++i) scaled.data()[i] *= 5.0 / peak;
  Kokkos::deep_copy(omega, scaled);
  solver.set_vorticity(omega);
  solver.advance_to(t_end);
  solver.vorticity(omega);
  return omega;
}

// Self-convergence: with u_h the result of steps h, the observed order is
// log2(|u_h - u_h/2| / |u_h/2 - u_h/4|), over a halving ladder, taken at its finest pair whose
// differences stay far above round-off.
// The order is a property of the scheme, and the distributed solver is checked against the
// one-rank one below; rank 0 alone runs this ladder of many tiny steps, on its own grid.
TEST(Ns2d, EverySchemeConvergesAtItsOrder) {
  if (Runtime::current().rank() != 0) GTEST_SKIP() << "rank 0 runs the convergence ladder";
  fft::Grid<2> grid({16, 16}, MPI_COMM_SELF);
  const double t_end = 0.2;
  for (const auto& scheme : ns2d_schemes()) {
    const int order = ns2d_scheme_order(scheme);
    double dt = order >= 4 ? 0.05 : (order == 3 ? 0.02 : 0.01);
    auto coarse = run(grid, scheme, dt, t_end);
    auto fine = run(grid, scheme, dt / 2, t_end);
    double previous = difference(grid, coarse, fine);
    double observed = 0;
    std::string ladder;
    for (int level = 0; level < 5 && previous > 1e-10; ++level) {
      dt /= 2;
      auto finer = run(grid, scheme, dt / 2, t_end);
      const double next = difference(grid, fine, finer);
      if (next < 1e-11) break;
      observed = std::log2(previous / next);
      char text[48];
      std::snprintf(text, sizeof text, " %.3g", next);
      ladder += text;
      previous = next;
      fine = finer;
    }
    EXPECT_NEAR(observed, order, 0.1) << scheme << ": differences" << ladder;
  }
}

TEST(Ns2d, OneRankAndAllRanksAgree) {
  const fft::Grid<2> alone({32, 32}, MPI_COMM_SELF);
  const fft::Grid<2> split({32, 32}, world(), {true});
  for (const std::string scheme : {"fno-cn", "arkimex:3"}) {
    std::vector<RealHost> results;
    for (const auto* grid : {&alone, &split}) {
      Ns2dSolver solver(*grid, 3, options_for(scheme, 1e-3, 1e-3, {ForcingKind::fno}));
      auto omega = solver.plan().make_real("omega");
      gaussian_random_field(*grid, solver.plan(), omega, 11, 0);
      solver.set_vorticity(omega);
      solver.advance_to(0.05);
      solver.vorticity(omega);
      results.push_back(fft::gather_to_root(omega, grid->comm()));
    }
    if (split.rank() != 0) continue;
    double error = 0, size = 0;
    for (std::size_t i = 0; i < results[0].size(); ++i) {
      error = std::max(error, std::abs(results[0].data()[i] - results[1].data()[i]));
      size = std::max(size, std::abs(results[0].data()[i]));
    }
    EXPECT_LT(error, 1e-12 * size) << scheme << " at " << world_size() << " ranks";
  }
}

// <psi q> = sum_k c_omega(k) conj(c_q(k)) / |k|^2 over the full spectrum, from the r2c block
// of a non-transposed grid (columns other than f_y = 0 and n/2 count twice).
double forcing_work(const fft::Grid<2>& grid, const fft::SpectralField<double, 2>& omega_hat,
                    const ForcingOptions& forcing) {
  fft::Plan<double, 2> plan(grid, 1, 1);
  auto q = plan.make_real("q");
  forcing_field(grid, forcing, q);
  auto q_hat = plan.make_spectral("q_hat");
  plan.forward(q, q_hat);
  auto w = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), omega_hat);
  auto f = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), q_hat);
  const double n = static_cast<double>(grid.points());
  double sum = 0;
  for (std::size_t i = 0; i < w.extent(2); ++i)
    for (std::size_t j = 0; j < w.extent(3); ++j) {
      const int fx = grid.frequency(0, grid.local_start() + int(i));
      const int fy = grid.frequency(1, int(j));
      if (fx == 0 && fy == 0) continue;
      const double k2 = two_pi * two_pi * (fx * fx + fy * fy);
      const double weight = (fy == 0 || 2 * fy == grid.extents()[1]) ? 1 : 2;
      const auto product = w(0, 0, i, j) * Kokkos::conj(f(0, 0, i, j));
      sum += weight * product.real() / (n * n) / k2;
    }
  MPI_Allreduce(MPI_IN_PLACE, &sum, 1, MPI_DOUBLE, MPI_SUM, grid.comm());
  return sum;
}

TEST(Ns2d, EnergyBudgetHolds) {
  fft::Grid<2> grid({32, 32}, world());
  const double nu = 0.01;
  const ForcingOptions forcing{ForcingKind::kolmogorov, 2, 1.0, 0.1};
  Ns2dSolver solver(grid, 1, options_for("arkimex:4", 1e-4, nu, forcing));
  auto omega = solver.plan().make_real("omega");
  gaussian_random_field(grid, solver.plan(), omega, 3, 0);
  solver.set_vorticity(omega);
  solver.advance_to(0.05);  // let the nonlinear term act

  // dE/dt at t by a central difference over [t - tau, t + tau] (error tau^2 E''' / 6).
  const double tau = 5e-4;
  std::vector<double> energy;
  double budget = 0, scale = 0;
  for (int s = 0; s < 3; ++s) {
    if (s > 0) solver.advance_to(solver.time() + tau);
    energy.push_back(kinetic_energy(grid, solver.vorticity_hat())[0]);
    if (s == 1) {
      const double e = energy.back();
      const double z = enstrophy(grid, solver.vorticity_hat())[0];
      const double work = forcing_work(grid, solver.vorticity_hat(), forcing);
      budget = -2 * nu * z - 2 * forcing.drag * e + work;
      scale = 2 * nu * z + 2 * forcing.drag * e + std::abs(work);
    }
  }
  const double rate = (energy[2] - energy[0]) / (2 * tau);
  EXPECT_GT(scale, 0.01);
  EXPECT_NEAR(rate, budget, 1e-5 * scale) << "dE/dt = " << rate << ", budget " << budget;
}

TEST(Ns2d, RejectsBadInput) {
  fft::Grid<2> grid({16, 16}, world());
  EXPECT_THROW(Ns2dSolver(grid, 1, options_for("fno-cn", 1e-3, 0.0, {})), Error);
  EXPECT_THROW(Ns2dSolver(grid, 1, options_for("fno-cn", 1e-3, -1e-3, {})), Error);
  EXPECT_THROW(Ns2dSolver(grid, 1, options_for("fno-cn", 0.0, 1e-3, {})), Error);
  EXPECT_THROW(Ns2dSolver(grid, 1, options_for("euler", 1e-3, 1e-3, {})), Error);
  EXPECT_THROW(
      Ns2dSolver(grid, 1, options_for("arkimex:3", 1e-3, 1e-3, {ForcingKind::none, 4, 1, -0.1})),
      Error);
  EXPECT_THROW(
      Ns2dSolver(grid, 1, options_for("rk:4", 1e-3, 1e-3, {ForcingKind::kolmogorov, 8, 1.0, 0.0})),
      Error);  // wavenumber 8 is the Nyquist frequency of 16 points
  if (world_size() == 2) EXPECT_THROW(fft::Grid<2>({15, 16}, world()), Error);

  Ns2dSolver solver(grid, 1, options_for("fno-cn", 1e-3, 1e-3, {}));
  auto omega = solver.plan().make_real("omega");
  Kokkos::deep_copy(omega, std::nan(""));
  EXPECT_THROW(solver.set_vorticity(omega), Error);
  Kokkos::deep_copy(omega, 0.0);
  solver.set_vorticity(omega);
  EXPECT_THROW(solver.advance_to(0.0105), Error);  // not a whole number of steps
  EXPECT_THROW(solver.advance_to(-1.0), Error);
}

TEST(Ns2d, ABlowUpRollsBackAndNamesAStableStep) {
  fft::Grid<2> grid({32, 32}, world());
  const double dt = 0.05;  // CFL far above 1 for O(10) velocities
  Ns2dSolver solver(grid, 1, options_for("fno-cn", dt, 1e-4, {ForcingKind::fno}, 5));
  auto omega = solver.plan().make_real("omega");
  gaussian_random_field(grid, solver.plan(), omega, 5, 0);
  auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), omega);
  for (std::size_t i = 0; i < host.size(); ++i) host.data()[i] *= 100;  // velocities O(10)
  Kokkos::deep_copy(omega, host);
  solver.set_vorticity(omega);
  try {
    solver.advance_to(10.0);
    FAIL() << "no blow-up";
  } catch (const Ns2dBlowUp& blow_up) {
    EXPECT_LT(blow_up.suggested_dt(), dt);
    EXPECT_GT(blow_up.suggested_dt(), 0);
    EXPECT_EQ(solver.time(), blow_up.good_time());
    EXPECT_TRUE(solver.finite());
    const std::string message = blow_up.what();
    EXPECT_NE(message.find("t = "), std::string::npos) << message;
    EXPECT_NE(message.find("dt <="), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace torus::pde
