// Initial fields of the 2-D solver against independent truths:
// - the Gaussian random field: its coefficients follow the documented streams exactly, it is
//   real-consistent with zero mean, it does not depend on the rank count or layout, and over
//   many samples its per-mode and pointwise variances match the ones derived from the
//   construction (with standard errors derived from the same construction);
// - the Taylor-Green vortex: omega = -lap psi and div u = 0, spectrally, and its decay factor.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <vector>

#include "fft/support.hpp"
#include "torus/core/random.hpp"
#include "torus/fft/derivatives.hpp"
#include "torus/fft/plan.hpp"
#include "torus/pde/initial_fields.hpp"

namespace torus::pde {
namespace {

using testing::two_pi;
using testing::world;
using testing::world_size;

using Host = Kokkos::HostSpace;
using Plan2 = fft::Plan<double, 2, Host>;
using complex = Kokkos::complex<double>;

// sqrt_eig(f) = N sqrt(2) sigma (4 pi^2 |f/L|^2 + tau^2)^(-alpha/2), 0 at f = 0, written
// independently of the library.
double reference_sqrt_eig(const fft::Grid<2>& grid, int f0, int f1, double alpha = 2.5,
                          double tau = 7.0) {
  if (f0 == 0 && f1 == 0) return 0.0;
  const double sigma = std::pow(tau, alpha - 1.0);
  const double k0 = f0 / grid.lengths()[0], k1 = f1 / grid.lengths()[1];
  const double n = static_cast<double>(grid.extents()[0]) * grid.extents()[1];
  return n * std::sqrt(2.0) * sigma *
         std::pow(4.0 * M_PI * M_PI * (k0 * k0 + k1 * k1) + tau * tau, -alpha / 2.0);
}

// One entry of a local spectral block, described in full-grid terms.
struct Mode {
  int g[2];  // storage index of the full grid (0..n-1; 0..n1/2 on the halved axis), by axis
  int f[2];  // signed frequency, by physical axis
  bool self_conjugate;
  bool canonical;  // false when -f is also stored in the r2c half and comes first
};

Mode mode_at(const fft::Grid<2>& grid, int i0, int i1) {
  Mode m{};
  const int i[2] = {i0, i1};
  for (int s = 0; s < 2; ++s) {
    const int axis = grid.spectral_axis(s);
    const int g = i[s] + (s == 0 ? grid.local_spectral_start() : 0);
    m.g[axis] = g;
    m.f[axis] = grid.frequency(axis, g);
  }
  const int n0 = grid.extents()[0], n1 = grid.extents()[1];
  const int minus0 = (n0 - m.g[0]) % n0, minus1 = (n1 - m.g[1]) % n1;
  m.self_conjugate = minus0 == m.g[0] && minus1 == m.g[1];
  const bool minus_stored = 2 * minus1 <= n1;  // only columns 0 and n1/2 hold both f and -f
  m.canonical = !minus_stored || m.g[0] * n1 + m.g[1] <= minus0 * n1 + minus1;
  return m;
}

double global_max(double x, MPI_Comm comm) {
  double result = 0;
  MPI_Allreduce(&x, &result, 1, MPI_DOUBLE, MPI_MAX, comm);
  return result;
}

std::vector<fft::Grid<2>> grids() {
  const int p = world_size();
  const std::array<double, 2> box{1.5, 0.75};
  std::vector<fft::Grid<2>> result;
  result.emplace_back(std::array<int, 2>{16, 12}, MPI_COMM_SELF, fft::GridOptions{}, box);
  result.emplace_back(std::array<int, 2>{9, 11}, MPI_COMM_SELF, fft::GridOptions{}, box);
  for (bool transposed : {false, true}) {
    result.emplace_back(std::array<int, 2>{8 * p, 10}, world(), fft::GridOptions{transposed}, box);
    result.emplace_back(std::array<int, 2>{10 * p, 9}, world(), fft::GridOptions{transposed}, box);
  }
  return result;
}

// The coefficients are the documented function of the streams: h_f = sqrt_eig(f) / 2
// ((xi_f + xi_-f) + i (eta_f - eta_-f)), xi_f, eta_f numbers 2j, 2j + 1 of RandomKey{seed,
// sample}, j the full-grid index; on non-square boxes (k = f / L), any layout.
TEST(GaussianRandomField, CoefficientsFollowTheDocumentedStreams) {
  for (const auto& grid : grids()) {
    Plan2 plan(grid, 2, 1, {fft::Planning::estimate});
    auto h = plan.make_spectral("h");
    gaussian_random_coefficients(grid, h, 17, 4);
    const int n0 = grid.extents()[0], n1 = grid.extents()[1];
    double largest = 0, worst = 0;
    for (int b = 0; b < 2; ++b) {
      const RandomKey key{17, static_cast<std::uint64_t>(4 + b)};
      for (std::size_t i0 = 0; i0 < h.extent(2); ++i0) {
        for (std::size_t i1 = 0; i1 < h.extent(3); ++i1) {
          const Mode m = mode_at(grid, static_cast<int>(i0), static_cast<int>(i1));
          const std::uint64_t j = static_cast<std::uint64_t>(m.g[0]) * n1 + m.g[1];
          const std::uint64_t jm =
              static_cast<std::uint64_t>((n0 - m.g[0]) % n0) * n1 + (n1 - m.g[1]) % n1;
          const double s = reference_sqrt_eig(grid, m.f[0], m.f[1]);
          const complex expected(
              0.5 * s * (random_normal(key, 2 * j) + random_normal(key, 2 * jm)),
              0.5 * s * (random_normal(key, 2 * j + 1) - random_normal(key, 2 * jm + 1)));
          largest = std::max(largest, Kokkos::abs(expected));
          worst = std::max(worst, Kokkos::abs(expected - h(b, 0, i0, i1)));
          if (m.self_conjugate) EXPECT_EQ(h(b, 0, i0, i1).imag(), 0.0) << grid.describe();
          if (m.f[0] == 0 && m.f[1] == 0) EXPECT_EQ(Kokkos::abs(h(b, 0, i0, i1)), 0.0);
        }
      }
    }
    // The library and this test evaluate the power law differently (exp/log vs pow): a few ulp.
    EXPECT_LE(global_max(worst, grid.comm()), 1e-14 * global_max(largest, grid.comm()))
        << grid.describe();
  }
}

// The hand-checked values of sqrt_eig (NumPy: N*sqrt(2)*sigma*(4*pi**2*k2 + tau**2)**(-alpha/2)).
TEST(GaussianRandomField, SqrtEigenvalueMatchesHandComputedValues) {
  const GaussianFieldOptions fno;
  EXPECT_NEAR(gaussian_field_sigma(fno), std::pow(7.0, 1.5), 1e-13);
  EXPECT_NEAR(gaussian_field_sqrt_eigenvalue(fno, 1024, 1.0), 98.83603873006237, 1e-12);
  EXPECT_NEAR(gaussian_field_sqrt_eigenvalue(fno, 1024, 2.0), 62.3207472372753, 1e-12);
  EXPECT_NEAR(gaussian_field_sqrt_eigenvalue(fno, 1024, 512.0), 0.11094569890184754, 1e-15);
  EXPECT_EQ(gaussian_field_sqrt_eigenvalue(fno, 1024, 0.0), 0.0);
  GaussianFieldOptions other;
  other.alpha = 2.0;
  other.tau = 3.0;
  other.sigma = 0.5;
  EXPECT_NEAR(gaussian_field_sqrt_eigenvalue(other, 64 * 64, 5.0), 14.033044597302386, 1e-12);
}

// irfft2 then rfft2 returns the coefficients: they are Hermitian where the r2c block holds
// both f and -f (columns 0 and n1/2), so the inverse transform loses nothing. The field's mean
// is zero to round-off.
TEST(GaussianRandomField, RealConsistentWithZeroMean) {
  for (const auto& grid : grids()) {
    Plan2 plan(grid, 3, 1, {fft::Planning::estimate});
    auto h = plan.make_spectral("h");
    auto again = plan.make_spectral("again");
    auto u = plan.make_real("u");
    gaussian_random_coefficients(grid, h, 5, 0);
    plan.backward(h, u);
    plan.forward(u, again);
    double largest = 0, worst = 0;
    for (std::size_t i = 0; i < h.span(); ++i) {
      largest = std::max(largest, Kokkos::abs(h.data()[i]));
      worst = std::max(worst, Kokkos::abs(h.data()[i] - again.data()[i]));
    }
    // Two transforms of N <= 200 points: round-off of a few eps log2(N) of the largest mode.
    EXPECT_LE(global_max(worst, grid.comm()), 1e-13 * global_max(largest, grid.comm()))
        << grid.describe();

    gaussian_random_field(grid, plan, u, 5, 0);
    for (int b = 0; b < 3; ++b) {
      double sums[2] = {0, 0}, total[2];
      for (std::size_t x = 0; x < u.extent(2); ++x) {
        for (std::size_t y = 0; y < u.extent(3); ++y) {
          sums[0] += u(b, 0, x, y);
          sums[1] += u(b, 0, x, y) * u(b, 0, x, y);
        }
      }
      MPI_Allreduce(sums, total, 2, MPI_DOUBLE, MPI_SUM, grid.comm());
      const double n = static_cast<double>(grid.points());
      EXPECT_LE(std::abs(total[0] / n), 1e-13 * std::sqrt(total[1] / n)) << grid.describe();
    }
  }
}

// Generated split over the world (transposed or not) or whole on MPI_COMM_SELF, the field is
// the same: each rank compares its slab with the rows of its own whole field.
TEST(GaussianRandomField, IndependentOfRanksAndLayout) {
  for (const auto& grid : grids()) {
    if (grid.comm() == MPI_COMM_SELF) continue;
    const fft::Grid<2> whole(grid.extents(), MPI_COMM_SELF, {}, grid.lengths());
    Plan2 plan(grid, 2, 1, {fft::Planning::estimate});
    Plan2 whole_plan(whole, 2, 1, {fft::Planning::estimate});
    auto u = plan.make_real("u");
    auto w = whole_plan.make_real("w");
    gaussian_random_field(grid, plan, u, 99, 7);
    gaussian_random_field(whole, whole_plan, w, 99, 7);
    double largest = 0, worst = 0;
    for (int b = 0; b < 2; ++b) {
      for (std::size_t x = 0; x < u.extent(2); ++x) {
        for (std::size_t y = 0; y < u.extent(3); ++y) {
          const double expected = w(b, 0, x + grid.local_start(), y);
          largest = std::max(largest, std::abs(expected));
          worst = std::max(worst, std::abs(expected - u(b, 0, x, y)));
        }
      }
    }
    // Same coefficients, different FFT algorithms (FFTW vs FFTW-MPI): round-off only.
    EXPECT_LE(global_max(worst, grid.comm()), 1e-13 * global_max(largest, grid.comm()))
        << grid.describe();
  }
}

// A sample is a function of (seed, sample index) alone: the same whichever batch holds it, and
// different for another sample or seed.
TEST(GaussianRandomField, SeedsAndSamples) {
  const fft::Grid<2> grid({16, 12});
  Plan2 three(grid, 3, 1, {fft::Planning::estimate});
  Plan2 one(grid, 1, 1, {fft::Planning::estimate});
  auto batch = three.make_spectral("batch");
  auto single = one.make_spectral("single");
  auto other_seed = one.make_spectral("other_seed");
  gaussian_random_coefficients(grid, batch, 123, 10);
  gaussian_random_coefficients(grid, single, 123, 12);
  gaussian_random_coefficients(grid, other_seed, 124, 12);
  double rms = 0, sample_gap = 0, seed_gap = 0;
  for (std::size_t i0 = 0; i0 < single.extent(2); ++i0) {
    for (std::size_t i1 = 0; i1 < single.extent(3); ++i1) {
      EXPECT_EQ(batch(2, 0, i0, i1), single(0, 0, i0, i1));  // bit for bit
      rms += Kokkos::abs(single(0, 0, i0, i1)) * Kokkos::abs(single(0, 0, i0, i1));
      sample_gap = std::max(sample_gap, Kokkos::abs(batch(1, 0, i0, i1) - batch(2, 0, i0, i1)));
      seed_gap = std::max(seed_gap, Kokkos::abs(other_seed(0, 0, i0, i1) - single(0, 0, i0, i1)));
    }
  }
  rms = std::sqrt(rms / static_cast<double>(single.extent(2) * single.extent(3)));
  EXPECT_GT(sample_gap, 0.5 * rms);
  EXPECT_GT(seed_gap, 0.5 * rms);

  auto u_batch = three.make_real("u_batch");
  auto u_single = one.make_real("u_single");
  gaussian_random_field(grid, three, u_batch, 123, 10);
  gaussian_random_field(grid, one, u_single, 123, 12);
  double largest = 0, worst = 0;
  for (std::size_t x = 0; x < u_single.extent(2); ++x) {
    for (std::size_t y = 0; y < u_single.extent(3); ++y) {
      largest = std::max(largest, std::abs(u_single(0, 0, x, y)));
      worst = std::max(worst, std::abs(u_single(0, 0, x, y) - u_batch(2, 0, x, y)));
    }
  }
  EXPECT_LE(worst, 1e-14 * largest);  // plans of different batch sizes may round differently
}

// The distribution over S = 400 samples of 32^2 on the unit square (FNO's defaults), split
// over the world and transposed. From the construction, with r = |h_f|^2 / sqrt_eig(f)^2:
// - f != -f: Re h and Im h are independent N(0, sqrt_eig^2 / 2), so r ~ Exp(1) (mean 1,
//   variance 1), 2 (Re h)^2 / sqrt_eig^2 and 2 (Im h)^2 / sqrt_eig^2 ~ chi^2_1 (mean 1,
//   variance 2), and 2 Re h Im h / sqrt_eig^2 has mean 0, variance 1;
// - f = -f: h = sqrt_eig xi is real, r ~ chi^2_1 (mean 1, variance 2).
// Modes f and -f are the same variable, so only one of them (the canonical one) is counted.
// Each statistic is averaged over a shell round(|f|) of modes and all samples, and must be
// within 5 standard errors (sqrt of the summed variances / count) of its mean: a false alarm
// has probability ~6e-7 per check, about 1e-4 over the ~100 checks. The forward transform of
// the generated fields recovers h (Norm::backward), so this tests the whole path.
TEST(GaussianRandomField, SpectrumMatchesTheAnalyticVariance) {
  constexpr int samples = 400, n = 32, shells = 24;
  const fft::Grid<2> grid({n, n}, world(), fft::GridOptions{true});
  Plan2 plan(grid, samples, 1, {fft::Planning::estimate});
  auto u = plan.make_real("u");
  auto u_hat = plan.make_spectral("u_hat");
  gaussian_random_field(grid, plan, u, 2021, 0);
  plan.forward(u, u_hat);

  // Per shell: [count, sum r, var r, sum re2, sum im2, var re2/im2, sum reim, var reim].
  constexpr int stats = 8;
  std::vector<double> local(shells * stats, 0.0);
  double self_sum = 0, self_count = 0, self_imag = 0, largest = 0;
  for (std::size_t i0 = 0; i0 < u_hat.extent(2); ++i0) {
    for (std::size_t i1 = 0; i1 < u_hat.extent(3); ++i1) {
      const Mode m = mode_at(grid, static_cast<int>(i0), static_cast<int>(i1));
      const double s = reference_sqrt_eig(grid, m.f[0], m.f[1]);
      if (!m.canonical || s == 0.0) continue;
      const int shell = static_cast<int>(std::lround(std::hypot(m.f[0], m.f[1])));
      double* acc = &local[shell * stats];
      for (int b = 0; b < samples; ++b) {
        const complex h = u_hat(b, 0, i0, i1);
        largest = std::max(largest, Kokkos::abs(h));
        const double r = (h.real() * h.real() + h.imag() * h.imag()) / (s * s);
        acc[0] += 1;
        acc[1] += r;
        if (m.self_conjugate) {
          acc[2] += 2;
          self_sum += h.real() * h.real() / (s * s);
          self_count += 1;
          self_imag = std::max(self_imag, std::abs(h.imag()));
        } else {
          acc[2] += 1;
          acc[3] += 2 * h.real() * h.real() / (s * s);
          acc[4] += 2 * h.imag() * h.imag() / (s * s);
          acc[5] += 2;
          acc[6] += 2 * h.real() * h.imag() / (s * s);
          acc[7] += 1;
        }
      }
    }
  }
  std::vector<double> total(local.size());
  MPI_Allreduce(local.data(), total.data(), static_cast<int>(local.size()), MPI_DOUBLE, MPI_SUM,
                grid.comm());
  double self[2] = {self_sum, self_count}, self_total[2];
  MPI_Allreduce(self, self_total, 2, MPI_DOUBLE, MPI_SUM, grid.comm());

  double counted = 0;
  for (int shell = 1; shell < shells; ++shell) {
    const double* t = &total[shell * stats];
    if (t[0] == 0) continue;
    counted += t[0];
    const double generic = t[5] / 2;  // terms with f != -f
    EXPECT_NEAR(t[1] / t[0], 1.0, 5 * std::sqrt(t[2]) / t[0]) << "E|h|^2, shell " << shell;
    if (generic == 0) continue;
    EXPECT_NEAR(t[3] / generic, 1.0, 5 * std::sqrt(t[5]) / generic) << "E Re^2, shell " << shell;
    EXPECT_NEAR(t[4] / generic, 1.0, 5 * std::sqrt(t[5]) / generic) << "E Im^2, shell " << shell;
    EXPECT_NEAR(t[6] / generic, 0.0, 5 * std::sqrt(t[7]) / generic) << "E Re Im, shell " << shell;
  }
  // Every independent mode but f = 0 was counted once: (N - 1 - 3) / 2 pairs + 3 self-conjugate.
  EXPECT_EQ(counted, samples * ((n * n - 4) / 2.0 + 3));
  // The 3 self-conjugate modes (0, 16), (16, 0), (16, 16): real, with E (Re h)^2 = sqrt_eig^2.
  EXPECT_EQ(self_total[1], samples * 3.0);
  EXPECT_NEAR(self_total[0] / self_total[1], 1.0, 5 * std::sqrt(2 * self_total[1]) / self_total[1]);
  EXPECT_LE(global_max(self_imag, grid.comm()), 1e-12 * global_max(largest, grid.comm()));

  // Pointwise variance, in physical space: by Parseval the mean of u^2 over one field is
  // sum_f |h_f|^2 / N^2, of expectation V = sum_f sqrt_eig^2 / N^2 over the full grid and of
  // variance 2 sum_f sqrt_eig^4 / N^4 (f and -f pair up; see above).
  const auto fftfreq = [](int g) { return g < (n + 1) / 2 ? g : g - n; };
  double v = 0, v4 = 0;
  for (int g0 = 0; g0 < n; ++g0) {
    for (int g1 = 0; g1 < n; ++g1) {
      const double s = reference_sqrt_eig(grid, fftfreq(g0), fftfreq(g1));
      v += s * s;
      v4 += s * s * s * s;
    }
  }
  const double big_n = static_cast<double>(n) * n;
  v /= big_n * big_n;
  const double standard_error = std::sqrt(2 * v4 / samples) / (big_n * big_n);
  double sum_u2 = 0;
  for (std::size_t i = 0; i < u.span(); ++i) sum_u2 += u.data()[i] * u.data()[i];
  double total_u2 = 0;
  MPI_Allreduce(&sum_u2, &total_u2, 1, MPI_DOUBLE, MPI_SUM, grid.comm());
  EXPECT_NEAR(total_u2 / (samples * big_n), v, 5 * standard_error);
}

// The stream function psi = (U / kappa) sin(kappa x) sin(kappa y), written here independently:
// the library's vorticity is -lap psi, its velocity (psi_y, -psi_x), and that velocity is
// divergence-free with curl equal to the vorticity, all spectrally.
TEST(TaylorGreen, VorticityVelocityAndStreamFunctionAgree) {
  const int p = world_size();
  for (double length : {two_pi, 1.0}) {
    for (int m : {1, 3}) {
      for (bool transposed : {false, true}) {
        const fft::Grid<2> grid({16 * p, 16}, world(), fft::GridOptions{transposed},
                                {length, length});
        const double U = 0.7, kappa = two_pi * m / length;
        EXPECT_NEAR(taylor_green_wavenumber(grid, m), kappa, 1e-14 * kappa);
        Plan2 one(grid, 1, 1, {fft::Planning::estimate});
        Plan2 two(grid, 1, 2, {fft::Planning::estimate});
        auto psi = one.make_real("psi");
        auto omega = one.make_real("omega");
        auto lap = one.make_real("lap");
        auto velocity = two.make_real("velocity");
        auto psi_hat = one.make_spectral("psi_hat");
        auto velocity_hat = two.make_spectral("velocity_hat");
        Plan2 four(grid, 1, 4, {fft::Planning::estimate});
        auto grad_hat = four.make_spectral("grad_hat");
        auto grad = four.make_real("grad");
        auto psi_grad_hat = two.make_spectral("psi_grad_hat");
        auto psi_grad = two.make_real("psi_grad");

        for (std::size_t x = 0; x < psi.extent(2); ++x) {
          for (std::size_t y = 0; y < psi.extent(3); ++y) {
            const double px = length * (x + grid.local_start()) / grid.extents()[0];
            const double py = length * y / grid.extents()[1];
            psi(0, 0, x, y) = U / kappa * std::sin(kappa * px) * std::sin(kappa * py);
          }
        }
        taylor_green_vorticity(grid, omega, U, m);
        taylor_green_velocity(grid, velocity, U, m);

        one.forward(psi, psi_hat);
        fft::laplacian(grid, psi_hat, psi_hat);
        one.backward(psi_hat, lap);
        one.forward(psi, psi_hat);
        fft::gradient(grid, psi_hat, psi_grad_hat);  // (psi_x, psi_y)
        two.backward(psi_grad_hat, psi_grad);
        two.forward(velocity, velocity_hat);
        fft::gradient(grid, velocity_hat, grad_hat);  // (u_x, u_y, v_x, v_y)
        four.backward(grad_hat, grad);

        // Exact spectral operators on one Fourier mode: round-off of the transforms, scaled
        // by kappa^2 <= (6 pi)^2 on the unit box; 1e-12 relative leaves a wide margin.
        double scale = 2 * U * kappa, worst_omega = 0, worst_u = 0, worst_div = 0, worst_curl = 0;
        for (std::size_t x = 0; x < psi.extent(2); ++x) {
          for (std::size_t y = 0; y < psi.extent(3); ++y) {
            worst_omega = std::max(worst_omega, std::abs(omega(0, 0, x, y) + lap(0, 0, x, y)));
            worst_u = std::max(worst_u, std::abs(velocity(0, 0, x, y) - psi_grad(0, 1, x, y)));
            worst_u = std::max(worst_u, std::abs(velocity(0, 1, x, y) + psi_grad(0, 0, x, y)));
            worst_div = std::max(worst_div, std::abs(grad(0, 0, x, y) + grad(0, 3, x, y)));
            worst_curl = std::max(
                worst_curl, std::abs(grad(0, 2, x, y) - grad(0, 1, x, y) - omega(0, 0, x, y)));
          }
        }
        const std::string where = grid.describe() + ", m = " + std::to_string(m);
        EXPECT_LE(global_max(worst_omega, grid.comm()), 1e-12 * scale)
            << "omega = -lap psi, " << where;
        EXPECT_LE(global_max(worst_u, grid.comm()), 1e-12 * U) << "u = (psi_y, -psi_x), " << where;
        EXPECT_LE(global_max(worst_div, grid.comm()), 1e-12 * scale) << "div u = 0, " << where;
        EXPECT_LE(global_max(worst_curl, grid.comm()), 1e-12 * scale)
            << "curl u = omega, " << where;
      }
    }
  }
}

TEST(TaylorGreen, DecayFactor) {
  // d omega/dt = nu lap omega = -2 nu kappa^2 omega for the single mode sin(kappa x) sin(kappa y).
  EXPECT_DOUBLE_EQ(taylor_green_decay(0.01, 2.0, 3.0), std::exp(-0.24));
  EXPECT_EQ(taylor_green_decay(0.0, 5.0, 10.0), 1.0);
  EXPECT_EQ(taylor_green_decay(1e-3, 1.0, 0.0), 1.0);
}

TEST(InitialFieldErrors, BadParametersThrow) {
  const fft::Grid<2> grid({16, 12});
  Plan2 plan(grid, 2, 1, {fft::Planning::estimate});
  auto u = plan.make_real("u");
  for (double alpha : {1.0, 0.5, std::numeric_limits<double>::quiet_NaN()}) {
    GaussianFieldOptions bad;
    bad.alpha = alpha;
    EXPECT_THROW(gaussian_random_field(grid, plan, u, 0, 0, bad), Error) << alpha;
  }
  GaussianFieldOptions negative_tau;
  negative_tau.tau = -1.0;
  EXPECT_THROW(gaussian_random_field(grid, plan, u, 0, 0, negative_tau), Error);
  GaussianFieldOptions zero_sigma;
  zero_sigma.sigma = 0.0;
  EXPECT_THROW(gaussian_random_field(grid, plan, u, 0, 0, zero_sigma), Error);

  const fft::Grid<2> other({16, 16});
  Plan2 other_plan(other, 2, 1, {fft::Planning::estimate});
  try {
    gaussian_random_field(grid, other_plan, u, 0, 0);
    FAIL() << "expected torus::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("16x16"), std::string::npos) << e.what();
  }
  Plan2 two_channels(grid, 2, 2, {fft::Planning::estimate});
  auto v = two_channels.make_real("v");
  EXPECT_THROW(gaussian_random_field(grid, two_channels, v, 0, 0), Error);
  EXPECT_THROW(gaussian_random_coefficients(grid, two_channels.make_spectral("v_hat"), 0, 0),
               Error);

  const fft::Grid<2> square({16, 16}, MPI_COMM_SELF, {}, {two_pi, two_pi});
  const fft::Grid<2> oblong({16, 16}, MPI_COMM_SELF, {}, {two_pi, 1.0});
  Plan2 square_plan(square, 1, 1, {fft::Planning::estimate});
  auto omega = square_plan.make_real("omega");
  EXPECT_THROW(taylor_green_vorticity(oblong, omega, 1.0, 1), Error);
  EXPECT_THROW(taylor_green_vorticity(square, omega, 1.0, 0), Error);
  EXPECT_THROW(taylor_green_vorticity(square, omega, 1.0, 8), Error);  // Nyquist
  EXPECT_THROW(taylor_green_vorticity(square, u, 1.0, 1), Error);      // wrong extents
  EXPECT_THROW(taylor_green_velocity(square, omega, 1.0, 1), Error);   // one channel
  EXPECT_THROW(taylor_green_decay(-1.0, 1.0, 1.0), Error);
  EXPECT_THROW(taylor_green_decay(1.0, 1.0, -1.0), Error);
}

}  // namespace
}  // namespace torus::pde
