// The pruned transforms of FNO's 2-D Fourier layer: the forward block against a naive DFT, the
// backward fields against the naive inverse of a zero-padded (not Hermitian) block, both in
// double and float, on even and odd grids with the largest blocks; then, over a batch large
// enough to be cut into uneven chunks and on unaligned arrays, against the full transforms
// followed by gather_low_modes / preceded by scatter_low_modes. Serial: every rank checks the
// same thing on its own.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <complex>
#include <vector>

#include "torus/core/error.hpp"
#include "torus/core/random.hpp"
#include "torus/fft/low_mode_transform.hpp"
#include "torus/fft/low_modes.hpp"
#include "torus/fft/plan.hpp"

namespace torus::fft {
namespace {

constexpr double kTwoPi = 6.283185307179586476925;

struct Shape {
  int n0, n1, m0, m1, fields;
};

// The frequency of block row j0 (fft::gather_low_modes' layout).
int row_frequency(int j0, int m0) { return j0 < m0 ? j0 : j0 - 2 * m0; }

std::vector<double> random_values(std::size_t count, std::uint64_t seed) {
  Kokkos::View<double*, Kokkos::HostSpace> v("values", count);
  fill_normal(v, RandomKey{seed, 3});
  return std::vector<double>(v.data(), v.data() + count);
}

// block(f, j0, j1) = sum_{a, b} x(f, a, b) exp(-2 pi i (k0 a / n0 + j1 b / n1)), k0 = freq(j0).
std::vector<std::complex<double>> naive_forward(const std::vector<double>& x, const Shape& s) {
  std::vector<std::complex<double>> block(std::size_t(s.fields) * 2 * s.m0 * s.m1);
  for (int f = 0; f < s.fields; ++f) {
    for (int j0 = 0; j0 < 2 * s.m0; ++j0) {
      for (int j1 = 0; j1 < s.m1; ++j1) {
        std::complex<double> sum = 0;
        for (int a = 0; a < s.n0; ++a) {
          for (int b = 0; b < s.n1; ++b) {
            const double phase =
                -kTwoPi * (double(row_frequency(j0, s.m0)) * a / s.n0 + double(j1) * b / s.n1);
            sum += x[(std::size_t(f) * s.n0 + a) * s.n1 + b] * std::polar(1.0, phase);
          }
        }
        block[(std::size_t(f) * 2 * s.m0 + j0) * s.m1 + j1] = sum;
      }
    }
  }
  return block;
}

// NumPy's irfft2 of the block zero-padded to the half spectrum: complex inverse along axis 0,
// then a real inverse along axis 1 that reads only the real part of the zero and Nyquist
// columns:  x(a, b) = (1/N) sum_{k0, k1} w(k1) Re[Y(k0, k1) exp(2 pi i (k0 a/n0 + k1 b/n1))],
// w = 1 on k1 = 0 and on k1 = n1/2, else 2.
std::vector<double> naive_backward(const std::vector<std::complex<double>>& block, const Shape& s) {
  std::vector<double> x(std::size_t(s.fields) * s.n0 * s.n1);
  for (int f = 0; f < s.fields; ++f) {
    for (int a = 0; a < s.n0; ++a) {
      for (int b = 0; b < s.n1; ++b) {
        double sum = 0;
        for (int j0 = 0; j0 < 2 * s.m0; ++j0) {
          for (int j1 = 0; j1 < s.m1; ++j1) {
            const double w = (j1 == 0 || 2 * j1 == s.n1) ? 1.0 : 2.0;
            const double phase =
                kTwoPi * (double(row_frequency(j0, s.m0)) * a / s.n0 + double(j1) * b / s.n1);
            sum +=
                w * (block[(std::size_t(f) * 2 * s.m0 + j0) * s.m1 + j1] * std::polar(1.0, phase))
                        .real();
          }
        }
        x[(std::size_t(f) * s.n0 + a) * s.n1 + b] = sum / (double(s.n0) * s.n1);
      }
    }
  }
  return x;
}

template <class T>
void check_against_naive(const Shape& s, double tolerance) {
  LowModeTransform<T> transform({s.n0, s.n1}, {s.m0, s.m1}, s.fields, Planning::estimate);
  const auto x = random_values(std::size_t(s.fields) * s.n0 * s.n1, 1);
  std::vector<T> x_t(x.begin(), x.end());
  std::vector<Kokkos::complex<T>> block(std::size_t(s.fields) * 2 * s.m0 * s.m1);
  transform.forward(x_t.data(), block.data());
  const auto want_block = naive_forward(x, s);
  double scale = 0, error = 0;
  for (std::size_t i = 0; i < block.size(); ++i) {
    scale = std::max(scale, std::abs(want_block[i]));
    error = std::max(
        error, std::abs(std::complex<double>(block[i].real(), block[i].imag()) - want_block[i]));
  }
  EXPECT_LT(error, tolerance * scale) << s.n0 << "x" << s.n1;
  EXPECT_EQ(x_t, std::vector<T>(x.begin(), x.end())) << "forward must leave its input alone";

  // A block that is not the transform of a real field (its zero column is not Hermitian).
  const auto re = random_values(block.size(), 2), im = random_values(block.size(), 3);
  std::vector<std::complex<double>> y(block.size());
  for (std::size_t i = 0; i < y.size(); ++i) {
    y[i] = {re[i], im[i]};
    block[i] = Kokkos::complex<T>(T(re[i]), T(im[i]));
  }
  const auto block_before = block;
  std::vector<T> out(x.size());
  transform.backward(block.data(), out.data());
  const auto want = naive_backward(y, s);
  scale = error = 0;
  for (std::size_t i = 0; i < out.size(); ++i) {
    scale = std::max(scale, std::abs(want[i]));
    error = std::max(error, std::abs(double(out[i]) - want[i]));
  }
  EXPECT_LT(error, tolerance * scale) << s.n0 << "x" << s.n1;
  for (std::size_t i = 0; i < block.size(); ++i) {
    ASSERT_EQ(block[i], block_before[i]) << "backward must leave the block alone";
  }
}

const std::vector<Shape> small_shapes = {
    {8, 10, 3, 4, 3},  // even
    {7, 9, 3, 5, 2},   // odd, m1 = n1/2 + 1
    {8, 8, 4, 5, 2},   // the whole spectrum: 2 m0 = n0, m1 = n1/2 + 1 (Nyquist column)
    {6, 5, 1, 1, 1},   // the mean only
};

TEST(LowModeTransform, DoubleMatchesNaiveDft) {
  for (const auto& s : small_shapes) check_against_naive<double>(s, 1e-13);
}

TEST(LowModeTransform, FloatMatchesNaiveDft) {
  for (const auto& s : small_shapes) check_against_naive<float>(s, 2e-6);
}

TEST(LowModeTransform, ChunkedUnalignedBatchMatchesFullTransforms) {
  // FNO's shape with a batch that splits into chunks with a remainder, on arrays that start one
  // element past an FFTW-aligned address; against Plan + gather_low_modes and
  // scatter_low_modes + Plan::backward.
  const int n = 64, m = 12, fields = 97;
  const Grid<2> grid({n, n});
  Plan<float, 2> plan(grid, 1, fields, PlanOptions{});
  LowModeTransform<float> transform({n, n}, {m, m}, fields);
  const auto values = random_values(std::size_t(fields) * n * n, 4);

  Kokkos::View<float****, Kokkos::LayoutRight, Kokkos::HostSpace> x("x", 1, fields, n, n);
  std::vector<float> shifted(values.size() + 1);
  for (std::size_t i = 0; i < values.size(); ++i) x.data()[i] = shifted[i + 1] = float(values[i]);
  auto x_hat = plan.make_spectral("x_hat");
  plan.forward(x, x_hat);
  Kokkos::View<Kokkos::complex<float>****, Kokkos::LayoutRight, Kokkos::HostSpace> want(
      "want", 1, fields, 2 * m, m);
  gather_low_modes<2>(grid, {m, m}, x_hat, want);
  std::vector<Kokkos::complex<float>> got(want.size() + 1);
  transform.forward(shifted.data() + 1, got.data() + 1);
  double scale = 0, error = 0;
  for (std::size_t i = 0; i < want.size(); ++i) {
    scale = std::max(scale, double(Kokkos::abs(want.data()[i])));
    error = std::max(error, double(Kokkos::abs(got[i + 1] - want.data()[i])));
  }
  EXPECT_LT(error, 1e-5 * scale);

  // Backward of the gathered block (Hermitian where it must be), both ways.
  scatter_low_modes<2>(grid, {m, m}, want, x_hat);
  Kokkos::View<float****, Kokkos::LayoutRight, Kokkos::HostSpace> full("full", 1, fields, n, n);
  plan.backward(x_hat, full);
  std::vector<float> back(values.size() + 1);
  transform.backward(got.data() + 1, back.data() + 1);
  scale = error = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    scale = std::max(scale, double(std::abs(full.data()[i])));
    error = std::max(error, double(std::abs(back[i + 1] - full.data()[i])));
  }
  EXPECT_LT(error, 1e-5 * scale);
}

TEST(LowModeTransform, RefusesBlocksThatDoNotFit) {
  EXPECT_THROW(LowModeTransform<float>({8, 8}, {5, 3}, 1), Error);  // 2 m0 > n0
  EXPECT_THROW(LowModeTransform<float>({8, 8}, {2, 6}, 1), Error);  // m1 > n1/2 + 1
  EXPECT_THROW(LowModeTransform<float>({8, 8}, {0, 3}, 1), Error);
  EXPECT_THROW(LowModeTransform<float>({8, 8}, {2, 3}, 0), Error);
}

}  // namespace
}  // namespace torus::fft
