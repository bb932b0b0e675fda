// SpectralConv against a direct DFT written here (O(N K) sums, the half-spectrum's modes counted
// as torch.fft.irfftn counts them), finite-difference gradients, the identities of a bilinear
// map, resolution invariance on a band-limited field, plan caching and bad input; 2-D and 3-D.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <complex>
#include <vector>

#include "torus/core/error.hpp"
#include "torus/core/random.hpp"
#include "torus/nn/gradient_check.hpp"
#include "torus/operators/spectral_conv.hpp"

namespace torus::operators {
namespace {

constexpr double kPi = 3.14159265358979323846;

template <class T>
std::vector<double> host_values(const nn::Tensor<T>& t) {
  auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), t.values());
  std::vector<double> values(static_cast<std::size_t>(t.size()));
  for (std::size_t q = 0; q < values.size(); ++q) values[q] = static_cast<double>(host(q));
  return values;
}

template <class T>
nn::Tensor<T> random_tensor(nn::Shape shape, std::uint64_t seed) {
  nn::Tensor<T> t(std::move(shape));
  fill_normal(t.values(), RandomKey{seed, 3});
  return t;
}

template <class T>
double dot(const nn::Tensor<T>& a, const nn::Tensor<T>& b) {
  const auto x = host_values(a);
  const auto y = host_values(b);
  double sum = 0;
  for (std::size_t q = 0; q < x.size(); ++q) sum += x[q] * y[q];
  return sum;
}

double max_abs(const std::vector<double>& v) {
  double m = 0;
  for (double e : v) m = std::max(m, std::abs(e));
  return m;
}

// The direct formula of the file comment of spectral_conv.hpp:
//   X(b, i, j) = sum_t x(b, i, t) e^{-2 pi i f(j).t/n},   Y(b, o, j) = sum_i X(b, i, j) W(i, o, j),
//   y(b, o, t) = (1/N) sum_j c_j Re(Y(b, o, j) e^{2 pi i f(j).t/n}),
// with f_a(j) = j_a for j_a < m_a and j_a - 2 m_a otherwise on the full axes, f = j on the last,
// and c_j = 1 on f_last = 0 or 2 f_last = n_last, 2 otherwise.
template <int Dim>
std::vector<double> direct_spectral_conv(const std::vector<double>& x, const std::vector<double>& w,
                                         int batch, int in, int out, std::array<int, Dim> n,
                                         std::array<int, Dim> m) {
  std::int64_t N = 1;
  std::int64_t K = 1;
  std::array<int, Dim> block;
  for (int a = 0; a < Dim; ++a) {
    N *= n[a];
    block[a] = a + 1 == Dim ? m[a] : 2 * m[a];
    K *= block[a];
  }
  // phase(j, t) = 2 pi f(j).t/n
  auto phase = [&](std::int64_t j, std::int64_t t) {
    double angle = 0;
    for (int a = Dim - 1; a >= 0; --a) {
      const int ja = static_cast<int>(j % block[a]);
      const int ta = static_cast<int>(t % n[a]);
      j /= block[a];
      t /= n[a];
      const int f = (a + 1 == Dim || ja < m[a]) ? ja : ja - 2 * m[a];
      angle += 2 * kPi * static_cast<double>(f) * ta / n[a];
    }
    return angle;
  };
  auto count = [&](std::int64_t j) {
    const int f = static_cast<int>(j % block[Dim - 1]);
    return (f == 0 || 2 * f == n[Dim - 1]) ? 1.0 : 2.0;
  };
  using cd = std::complex<double>;
  std::vector<cd> X(static_cast<std::size_t>(batch * in * K));
  for (int b = 0; b < batch; ++b) {
    for (int i = 0; i < in; ++i) {
      for (std::int64_t j = 0; j < K; ++j) {
        cd sum = 0;
        for (std::int64_t t = 0; t < N; ++t) {
          sum += x[(b * in + i) * N + t] * std::polar(1.0, -phase(j, t));
        }
        X[(b * in + i) * K + j] = sum;
      }
    }
  }
  std::vector<double> y(static_cast<std::size_t>(batch * out * N), 0.0);
  for (int b = 0; b < batch; ++b) {
    for (int o = 0; o < out; ++o) {
      for (std::int64_t j = 0; j < K; ++j) {
        cd Y = 0;
        for (int i = 0; i < in; ++i) {
          const std::size_t q = 2 * ((i * out + o) * K + j);
          Y += X[(b * in + i) * K + j] * cd(w[q], w[q + 1]);
        }
        for (std::int64_t t = 0; t < N; ++t) {
          y[(b * out + o) * N + t] += count(j) * std::real(Y * std::polar(1.0, phase(j, t))) / N;
        }
      }
    }
  }
  return y;
}

template <class T, int Dim>
void expect_direct(std::array<int, Dim> n, std::array<int, Dim> modes, int batch, int in, int out,
                   double tolerance) {
  SpectralConv<T, Dim> conv(in, out, modes, RandomKey{11, 2}, {fft::Planning::estimate});
  nn::Shape shape = {batch, in};
  for (int a = 0; a < Dim; ++a) shape.push_back(n[a]);
  const auto x = random_tensor<T>(shape, 5);
  const auto y = conv.forward(x);
  shape[1] = out;
  ASSERT_EQ(y.shape(), shape);
  const auto expected = direct_spectral_conv<Dim>(host_values(x), host_values(conv.weight().value),
                                                  batch, in, out, n, modes);
  const auto actual = host_values(y);
  const double scale = max_abs(expected);
  ASSERT_GT(scale, 1e-3);
  double worst = 0;
  for (std::size_t q = 0; q < actual.size(); ++q) {
    worst = std::max(worst, std::abs(actual[q] - expected[q]) / scale);
  }
  EXPECT_LT(worst, tolerance) << "grid " << n[0] << "x" << n[1] << " modes " << modes[0] << ", "
                              << modes[1];
}

TEST(SpectralConv, MatchesDirectDft2d) {
  // Small blocks, full blocks (2 m0 = n0 with the Nyquist row, m1 = n1/2 + 1 with the Nyquist
  // column), odd extents, one mode, Cin != Cout and Cin == Cout (one shared plan).
  expect_direct<double, 2>({8, 10}, {3, 4}, 2, 3, 2, 1e-12);
  expect_direct<double, 2>({8, 10}, {4, 6}, 2, 3, 2, 1e-12);
  expect_direct<double, 2>({7, 9}, {3, 5}, 2, 2, 3, 1e-12);
  expect_direct<double, 2>({12, 6}, {1, 1}, 3, 2, 2, 1e-12);
  expect_direct<double, 2>({6, 12}, {2, 7}, 1, 1, 1, 1e-12);
  expect_direct<float, 2>({8, 10}, {4, 6}, 2, 3, 2, 1e-5);
}

TEST(SpectralConv, MatchesDirectDft3d) {
  expect_direct<double, 3>({6, 8, 6}, {2, 3, 3}, 2, 2, 3, 1e-12);
  expect_direct<double, 3>({4, 6, 5}, {2, 3, 3}, 1, 3, 2, 1e-12);
  expect_direct<double, 3>({4, 4, 4}, {2, 2, 3}, 2, 2, 2, 1e-12);
  expect_direct<float, 3>({6, 8, 6}, {3, 4, 4}, 1, 2, 2, 1e-5);
}

template <int Dim>
void expect_gradients(std::array<int, Dim> n, std::array<int, Dim> modes, int batch, int in,
                      int out) {
  SpectralConv<double, Dim> conv(in, out, modes, RandomKey{3, 1}, {fft::Planning::estimate});
  nn::Shape shape = {batch, in};
  for (int a = 0; a < Dim; ++a) shape.push_back(n[a]);
  const auto x = random_tensor<double>(shape, 8);
  nn::GradientCheckOptions options;
  options.max_entries = 300;
  const auto report = nn::check_gradients(conv, x, options);
  EXPECT_LT(report.worst_error, 1e-6) << report.worst;
  EXPECT_GT(report.checked, 100);
}

TEST(SpectralConv, GradientsMatchFiniteDifferences2d) {
  expect_gradients<2>({8, 6}, {2, 2}, 2, 2, 3);
  expect_gradients<2>({8, 6}, {4, 4}, 2, 3, 2);  // every mode, both Nyquists
  expect_gradients<2>({5, 7}, {2, 4}, 1, 2, 2);
}

TEST(SpectralConv, GradientsMatchFiniteDifferences3d) {
  expect_gradients<3>({4, 6, 4}, {1, 2, 2}, 2, 2, 3);
  expect_gradients<3>({4, 4, 6}, {2, 2, 4}, 1, 2, 2);  // every mode
}

// y is linear in x and in W: <y, r> = <x, dx> = <W, dW> with dx, dW from backward(r).
template <int Dim>
void expect_identities(std::array<int, Dim> n, std::array<int, Dim> modes) {
  SpectralConv<double, Dim> conv(3, 2, modes, RandomKey{9, 4}, {fft::Planning::estimate});
  nn::Shape shape = {2, 3};
  for (int a = 0; a < Dim; ++a) shape.push_back(n[a]);
  const auto x = random_tensor<double>(shape, 21);
  conv.zero_grad();
  const auto y = conv.forward(x);
  const auto r = random_tensor<double>(y.shape(), 22);
  const auto dx = conv.backward(r);
  const double yr = dot(y, r);
  EXPECT_NEAR(dot(x, dx), yr, 1e-10 * std::abs(yr));
  EXPECT_NEAR(dot(conv.weight().value, conv.weight().grad), yr, 1e-10 * std::abs(yr));
}

TEST(SpectralConv, AdjointIdentities) {
  expect_identities<2>({8, 10}, {3, 4});
  expect_identities<2>({8, 10}, {4, 6});
  expect_identities<2>({9, 7}, {4, 4});
  expect_identities<3>({6, 4, 6}, {3, 2, 4});
}

// The field sum_q a_q cos(2 pi (f_q . t) + phi_q) with |f| below the modes, sampled on n x n.
nn::Tensor<double> band_limited(int n, int channels) {
  const std::array<std::array<int, 2>, 4> f = {{{1, 0}, {0, 2}, {-2, 3}, {3, 1}}};
  nn::Tensor<double> x({1, channels, n, n});
  auto host = Kokkos::create_mirror_view(x.values());
  for (int c = 0; c < channels; ++c) {
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < n; ++j) {
        double v = 0.3 * c;
        for (int q = 0; q < 4; ++q) {
          v += (1.0 + q + c) * std::cos(2 * kPi * (f[q][0] * i + f[q][1] * j) / n + 0.7 * q + c);
        }
        host((c * n + i) * n + j) = v;
      }
    }
  }
  Kokkos::deep_copy(x.values(), host);
  return x;
}

TEST(SpectralConv, ResolutionInvariantOnBandLimitedFields) {
  SpectralConv<double, 2> conv(2, 3, {5, 5}, RandomKey{4, 4}, {fft::Planning::estimate});
  const auto coarse = host_values(conv.forward(band_limited(16, 2)));
  const auto fine = host_values(conv.forward(band_limited(32, 2)));
  EXPECT_EQ(conv.cached_grids(), 2u);
  const double scale = max_abs(coarse);
  ASSERT_GT(scale, 1e-2);
  double worst = 0;
  for (int o = 0; o < 3; ++o) {
    for (int i = 0; i < 16; ++i) {
      for (int j = 0; j < 16; ++j) {
        const double a = coarse[(o * 16 + i) * 16 + j];
        const double b = fine[(o * 32 + 2 * i) * 32 + 2 * j];
        worst = std::max(worst, std::abs(a - b) / scale);
      }
    }
  }
  EXPECT_LT(worst, 1e-13);
}

TEST(SpectralConv, PlansAreCachedPerBatchAndGrid) {
  SpectralConv<float, 2> conv(2, 2, {2, 2}, RandomKey{1}, {fft::Planning::estimate});
  conv.train(false);
  conv.forward(nn::Tensor<float>({3, 2, 8, 8}));
  conv.forward(nn::Tensor<float>({3, 2, 8, 8}));
  EXPECT_EQ(conv.cached_grids(), 1u);
  conv.forward(nn::Tensor<float>({1, 2, 8, 8}));
  conv.forward(nn::Tensor<float>({3, 2, 8, 12}));
  EXPECT_EQ(conv.cached_grids(), 3u);
}

TEST(SpectralConv, WeightsAreInitialisedAsFno) {
  SpectralConv<double, 3> conv(4, 5, {2, 3, 2}, RandomKey{12});
  EXPECT_EQ(conv.weight().value.shape(), (nn::Shape{4, 5, 4, 6, 2, 2}));
  EXPECT_EQ(conv.weight().name, "weight");
  const auto w = host_values(conv.weight().value);
  double lo = 1, hi = 0, mean = 0;
  for (double v : w) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    mean += v / w.size();
  }
  EXPECT_GE(lo, 0.0);
  EXPECT_LT(hi, 1.0 / 20);
  EXPECT_NEAR(mean, 0.5 / 20, 0.05 / 20);
  EXPECT_EQ(conv.kind(), "SpectralConv3d");
  EXPECT_EQ(conv.config().dump(), R"({"in":4,"modes":[2,3,2],"out":5})");
}

TEST(SpectralConv, RejectsBadInput) {
  EXPECT_THROW((SpectralConv<double, 2>(0, 2, {2, 2}, RandomKey{})), Error);
  EXPECT_THROW((SpectralConv<double, 2>(2, 2, {0, 2}, RandomKey{})), Error);
  SpectralConv<double, 2> conv(2, 3, {4, 5}, RandomKey{}, {fft::Planning::estimate});
  EXPECT_THROW(conv.backward(nn::Tensor<double>({1, 3, 8, 8})), Error);  // no forward
  EXPECT_THROW(conv.forward(nn::Tensor<double>({1, 3, 8, 8})), Error);   // channels
  EXPECT_THROW(conv.forward(nn::Tensor<double>({2, 8, 8})), Error);      // rank
  EXPECT_THROW(conv.forward(nn::Tensor<double>({1, 2, 7, 8})), Error);   // 2 m0 > n0
  EXPECT_THROW(conv.forward(nn::Tensor<double>({1, 2, 8, 7})), Error);   // m1 > n1/2 + 1
  try {
    conv.forward(nn::Tensor<double>({1, 2, 8, 6}));
    ADD_FAILURE() << "no error for 5 modes on 6 points";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("n/2 + 1"), std::string::npos) << e.what();
  }
  conv.forward(nn::Tensor<double>({1, 2, 8, 8}));                         // the smallest grid
  EXPECT_THROW(conv.backward(nn::Tensor<double>({1, 3, 8, 10})), Error);  // dy shape
}

}  // namespace
}  // namespace torus::operators
