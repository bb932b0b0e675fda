// The PETSc TS integrator against an exact solution: every entry of the state obeys the
// Bernoulli equation
//   du/dt = lambda u - u^2,     u(t) = lambda u0 e^{lambda t} / (lambda + u0 (e^{lambda t} - 1)),
// with its own lambda < 0 and complex u0, so the nonlinear part is genuinely nonlinear. Each
// scheme's observed order of convergence must be within 0.1 of its theory; the implicit stages
// must cost no Krylov iteration; bad input must throw.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <cstdio>
#include <string>

#include "fft/support.hpp"
#include "torus/core/error.hpp"
#include "torus/fft/wavenumbers.hpp"
#include "torus/pde/time_integrator.hpp"

namespace torus::pde {
namespace {

using testing::world;
using complex = Kokkos::complex<double>;

class Bernoulli final : public SpectralSystem<2> {
 public:
  explicit Bernoulli(const fft::Grid<2>& grid) : grid_(grid) {
    const auto& n = grid.local_spectral_extents();
    block_ = std::size_t(n[0]) * n[1];
    Kokkos::View<double*> lambda("lambda", block_);
    const int start = grid.local_spectral_start() * n[1];
    // lambda in [-2, -0.5]: a few time scales, none stiff, so no order reduction.
    Kokkos::parallel_for(
        block_, KOKKOS_LAMBDA(int j) { lambda(j) = -0.5 - 1.5 * ((start + j) % 7) / 6.0; });
    lambda_ = lambda;
  }
  const fft::Grid<2>& grid() const override { return grid_; }
  int batch() const override { return 2; }
  int channels() const override { return 1; }
  diagonal_view linear_diagonal() const override { return lambda_; }
  std::string name() const override { return "bernoulli"; }
  void nonlinear(double, const const_spectral_view& u, const spectral_view& out) override {
    fft::detail::for_each_entry(
        "bernoulli", out, KOKKOS_LAMBDA(int b, int c, int i0, int i1, int) {
          out(b, c, i0, i1) = -u(b, c, i0, i1) * u(b, c, i0, i1);
        });
    ++calls;
  }
  long calls = 0;

  // u0 of each entry: complex, |u0| < 1, different per sample and entry.
  static std::complex<double> initial(int b, int global_j) {
    return {0.3 + 0.05 * ((global_j + 3 * b) % 5), 0.2 - 0.03 * ((global_j + b) % 4)};
  }
  static std::complex<double> exact(double lambda, std::complex<double> u0, double t) {
    const double e = std::exp(lambda * t);
    return lambda * u0 * e / (lambda + u0 * (e - 1));
  }

 private:
  fft::Grid<2> grid_;
  std::size_t block_;
  Kokkos::View<double*> lambda_;
};

// The largest error at t = 1 over every entry of every rank, after steps of `dt`.
double error_at_one(const std::string& scheme, double dt, long* steps = nullptr,
                    long* calls = nullptr) {
  fft::Grid<2> grid({8, 6}, world());
  Bernoulli system(grid);
  TimeIntegrator<2> integrator(system, {scheme, dt, ""});
  const auto& n = grid.local_spectral_extents();
  SpectralSystem<2>::spectral_view u("u", 2, 1, n[0], n[1]);
  auto host = Kokkos::create_mirror_view(u);
  const int start = grid.local_spectral_start() * n[1];
  for (int b = 0; b < 2; ++b)
    for (int i = 0; i < n[0]; ++i)
      for (int j = 0; j < n[1]; ++j) {
        const auto z = Bernoulli::initial(b, start + i * n[1] + j);
        host(b, 0, i, j) = complex(z.real(), z.imag());
      }
  Kokkos::deep_copy(u, host);
  double t = 0;
  integrator.advance(u, t, 0.5);
  integrator.advance(u, t, 1.0);  // two calls: the state must carry over
  EXPECT_EQ(t, 1.0);
  Kokkos::deep_copy(host, u);
  auto lambda = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), system.linear_diagonal());
  double error = 0;
  for (int b = 0; b < 2; ++b)
    for (int i = 0; i < n[0]; ++i)
      for (int j = 0; j < n[1]; ++j) {
        const int flat = i * n[1] + j;
        const auto want = Bernoulli::exact(lambda(flat), Bernoulli::initial(b, start + flat), 1.0);
        const auto got = std::complex<double>(host(b, 0, i, j).real(), host(b, 0, i, j).imag());
        error = std::max(error, std::abs(got - want));
      }
  MPI_Allreduce(MPI_IN_PLACE, &error, 1, MPI_DOUBLE, MPI_MAX, world());
  if (steps) *steps = integrator.steps();
  if (calls) *calls = system.calls;
  return error;
}

std::string format(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", value);
  return text;
}

// The observed order between the finest two steps of a halving ladder whose errors stay far
// above round-off (1e-12; the state is O(1), round-off about 1e-15): coarser pairs are still
// pre-asymptotic for the high orders.
TEST(TimeIntegrator, EverySchemeConvergesAtItsOrder) {
  for (const auto& scheme : known_schemes()) {
    double dt = scheme.order >= 5 ? 1.0 : 0.2;
    double coarse = error_at_one(scheme.name, dt);
    double observed = 0;
    std::string ladder = format(coarse);
    for (int level = 0; level < 10; ++level) {
      const double fine = error_at_one(scheme.name, dt / 2);
      if (fine < 1e-12) break;
      observed = std::log2(coarse / fine);
      ladder += ", " + format(fine);
      coarse = fine;
      dt /= 2;
    }
    EXPECT_NEAR(observed, scheme.order, 0.1)
        << scheme.name << ": errors from dt = " << (scheme.order >= 5 ? 1.0 : 0.2)
        << " halving: " << ladder;
  }
}

TEST(TimeIntegrator, TakesEqualStepsThatLandOnTheEndTime) {
  long steps = 0, calls = 0;
  error_at_one("arkimex:3", 0.3, &steps, &calls);
  EXPECT_EQ(steps, 2 + 2);  // [0, 0.5] and [0.5, 1] in two steps of 0.25 each
  error_at_one("rk:4", 0.1, &steps, &calls);
  EXPECT_EQ(steps, 5 + 5);
  EXPECT_EQ(calls, 4 * 10);  // classical RK4: four evaluations per step
}

TEST(TimeIntegrator, RejectsBadInput) {
  fft::Grid<2> grid({8, 6}, world());
  Bernoulli system(grid);
  EXPECT_THROW(TimeIntegrator<2>(system, {"arkimex:9", 0.1, ""}), Error);
  EXPECT_THROW(TimeIntegrator<2>(system, {"rk:4", 0.0, ""}), Error);
  EXPECT_THROW(TimeIntegrator<2>(system, {"rk:4", std::nan(""), ""}), Error);
  TimeIntegrator<2> integrator(system, {"rk:4", 0.1, ""});
  SpectralSystem<2>::spectral_view wrong("wrong", 1, 1, 2, 2);
  double t = 0;
  EXPECT_THROW(integrator.advance(wrong, t, 1.0), Error);
  const auto& n = grid.local_spectral_extents();
  SpectralSystem<2>::spectral_view u("u", 2, 1, n[0], n[1]);
  EXPECT_THROW(integrator.advance(u, t, -1.0), Error);
}

TEST(TimeIntegrator, AFailingRightHandSideIsReportedNotAborted) {
  class Failing final : public SpectralSystem<2> {
   public:
    explicit Failing(const fft::Grid<2>& grid) : grid_(grid) {
      const auto& n = grid.local_spectral_extents();
      lambda_ = Kokkos::View<double*>("lambda", std::size_t(n[0]) * n[1]);
    }
    const fft::Grid<2>& grid() const override { return grid_; }
    int batch() const override { return 1; }
    int channels() const override { return 1; }
    diagonal_view linear_diagonal() const override { return lambda_; }
    std::string name() const override { return "failing"; }
    void nonlinear(double t, const const_spectral_view&, const spectral_view& out) override {
      Kokkos::deep_copy(out, complex(0, 0));
      if (t > 0.25) TORUS_THROW("the model broke", "test", "none");
    }

   private:
    fft::Grid<2> grid_;
    Kokkos::View<double*> lambda_;
  };
  fft::Grid<2> grid({8, 6}, world());
  Failing system(grid);
  TimeIntegrator<2> integrator(system, {"arkimex:3", 0.1, ""});
  const auto& n = grid.local_spectral_extents();
  SpectralSystem<2>::spectral_view u("u", 1, 1, n[0], n[1]);
  double t = 0;
  try {
    integrator.advance(u, t, 1.0);
    FAIL() << "no exception";
  } catch (const Error& error) {
    EXPECT_NE(std::string(error.what()).find("the model broke"), std::string::npos);
    EXPECT_GT(t, 0.1);
    EXPECT_LT(t, 0.5);
  }
}

}  // namespace
}  // namespace torus::pde
