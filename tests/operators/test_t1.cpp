// T1 (Transform-Once) and its layers, float64. Independent truths: finite differences for every
// backward pass (nn::check_gradients), the per-mode channel mix summed by hand, the band
// projection written out as cosine and exponential sums over the grid (long loops on the host,
// no FFT), and the energy identities of orthonormal transforms.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <cstdio>
#include <vector>

#include "torus/core/error.hpp"
#include "torus/core/random.hpp"
#include "torus/nn/gradient_check.hpp"
#include "torus/operators/t1.hpp"

namespace torus::operators {
namespace {

using nn::Tensor;

Tensor<double> random_tensor(nn::Shape shape, std::uint64_t seed) {
  Tensor<double> t(shape, "test");
  fill_normal(t.values(), RandomKey{seed, 0});
  return t;
}

std::vector<double> host(const Tensor<double>& t) {
  auto mirror = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), t.values());
  return std::vector<double>(mirror.data(), mirror.data() + t.size());
}

double norm2(const std::vector<double>& a) {
  double s = 0;
  for (double v : a) s += v * v;
  return s;
}

double distance2(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (std::size_t i = 0; i < a.size(); ++i) s += (a[i] - b[i]) * (a[i] - b[i]);
  return s;
}

T1Options small_options(T1Transform transform, std::array<int, 2> grid) {
  T1Options o;
  o.in_channels = 2;
  o.out_channels = 1;
  o.grid = grid;
  o.modes = {4, 4};
  o.width = 4;
  o.hidden = 8;
  o.layers = 2;
  o.transform = transform;
  o.planning = fft::Planning::estimate;
  return o;
}

TEST(T1ChannelMix, ForwardIsTheSumWrittenOut) {
  const int in = 3, out = 4, M0 = 3, M1 = 5, B = 2;
  T1ChannelMix<double> mix(in, out, {M0, M1}, RandomKey{1, 0});
  const auto x = random_tensor({B, in, M0, M1}, 2);
  const auto y = host(mix.forward(x));
  const auto W = host(mix.weight().value);
  const auto xs = host(x);
  double worst = 0;
  for (int b = 0; b < B; ++b)
    for (int o = 0; o < out; ++o)
      for (int k = 0; k < M0 * M1; ++k) {
        double sum = 0;
        for (int i = 0; i < in; ++i)
          sum += W[(o * in + i) * M0 * M1 + k] * xs[(b * in + i) * M0 * M1 + k];
        worst = std::max(worst, std::abs(sum - y[(b * out + o) * M0 * M1 + k]));
      }
  EXPECT_LT(worst, 1e-14);
}

TEST(T1ChannelMix, GradientsMatchFiniteDifferences) {
  // 40 modes: more than one tile of 32, so the tail of the tiled loops is checked too.
  T1ChannelMix<double> mix(3, 2, {5, 8}, RandomKey{3, 0});
  const auto report = nn::check_gradients(mix, random_tensor({2, 3, 5, 8}, 4), {1e-6, 0});
  EXPECT_LT(report.worst_error, 1e-7) << report.worst;
  EXPECT_GT(report.checked, 100);
}

TEST(T1Block, GradientsMatchFiniteDifferences) {
  for (auto act : {nn::ActivationKind::gelu, nn::ActivationKind::sin}) {
    T1Block<double> block(4, {4, 3}, act, RandomKey{5, 0});
    const auto report = nn::check_gradients(block, random_tensor({2, 4, 4, 3}, 6), {1e-6, 0});
    EXPECT_LT(report.worst_error, 1e-7) << nn::to_string(act) << " " << report.worst;
  }
}

TEST(T1Spectrum, SynthesisIsTheAdjointOfAnalysis) {
  // <A x, c> = <x, A^T c> for random x and c (c not a real field's: H must be in both).
  struct Case {
    T1Transform transform;
    std::array<int, 2> grid, modes;
    bool keep_high;
  };
  for (const auto& k :
       {Case{T1Transform::dct, {8, 8}, {4, 4}, false}, Case{T1Transform::dct, {6, 5}, {6, 2}, true},
        Case{T1Transform::rfft, {8, 8}, {4, 4}, false},
        Case{T1Transform::rfft, {9, 12}, {3, 5}, false}}) {
    T1Spectrum<double> s(k.transform, k.grid, k.modes, k.keep_high, fft::Planning::estimate);
    const auto x = random_tensor({2, 3, k.grid[0], k.grid[1]}, 7);
    const auto c = random_tensor(s.coefficient_shape(2, 3), 8);
    const auto Ax = host(s.analyse(x)), Sc = host(s.synthesise(c));
    const auto xs = host(x), cs = host(c);
    double lhs = 0, rhs = 0;
    for (std::size_t i = 0; i < cs.size(); ++i) lhs += Ax[i] * cs[i];
    for (std::size_t i = 0; i < xs.size(); ++i) rhs += xs[i] * Sc[i];
    EXPECT_NEAR(lhs, rhs, 1e-12 * std::abs(lhs)) << to_string(k.transform);
  }
}

// The orthogonal projection of x (one channel, X x Y) on the retained band, by direct sums.
std::vector<double> band_projection(const std::vector<double>& x, T1Transform transform, int X,
                                    int Y, int m0, int m1) {
  const double pi = 3.14159265358979323846;
  std::vector<double> p(x.size(), 0.0);
  if (transform == T1Transform::dct) {
    auto phi = [&](int k, int n, int N) {
      return std::sqrt((k == 0 ? 1.0 : 2.0) / N) * std::cos(pi * k * (2 * n + 1) / (2.0 * N));
    };
    for (int k0 = 0; k0 < m0; ++k0)
      for (int k1 = 0; k1 < m1; ++k1) {
        double c = 0;
        for (int i = 0; i < X; ++i)
          for (int j = 0; j < Y; ++j) c += x[i * Y + j] * phi(k0, i, X) * phi(k1, j, Y);
        for (int i = 0; i < X; ++i)
          for (int j = 0; j < Y; ++j) p[i * Y + j] += c * phi(k0, i, X) * phi(k1, j, Y);
      }
    return p;
  }
  // rfft band: f0 in {0..m0-1} u {-m0..-1}, 0 <= f1 < m1, and the mirror -f of each.
  auto in_block = [&](int f0, int f1) {
    const int g0 = ((f0 % X) + X) % X;
    const bool row = g0 < m0 || g0 >= X - m0;
    return row && f1 >= 0 && f1 < m1;
  };
  for (int f0 = 0; f0 < X; ++f0)
    for (int f1 = 0; f1 < Y; ++f1) {
      const int s1 = f1 <= Y / 2 ? f1 : f1 - Y;
      if (!(in_block(f0, s1) || in_block(-f0, -s1))) continue;
      std::complex<double> c = 0;
      for (int i = 0; i < X; ++i)
        for (int j = 0; j < Y; ++j)
          c += x[i * Y + j] * std::polar(1.0, -2 * pi * (double(f0) * i / X + double(f1) * j / Y));
      for (int i = 0; i < X; ++i)
        for (int j = 0; j < Y; ++j)
          p[i * Y + j] +=
              (c * std::polar(1.0, 2 * pi * (double(f0) * i / X + double(f1) * j / Y))).real() /
              (X * Y);
    }
  return p;
}

TEST(T1, CoefficientLossIsThePhysicalLossOnTheBand) {
  for (auto transform : {T1Transform::dct, T1Transform::rfft}) {
    for (std::array<int, 2> grid : {std::array<int, 2>{8, 8}, std::array<int, 2>{16, 12}}) {
      T1<double> t1(small_options(transform, grid), RandomKey{9, 0});
      t1.train(false);
      const int B = 3, X = grid[0], Y = grid[1];
      const auto target = random_tensor({B, 1, X, Y}, 10);
      const auto y = t1.forward(random_tensor({B, 2, X, Y}, 11));
      const auto c = t1.coefficients(target);
      const auto ys = host(y), cs = host(c);
      const double coefficient_rel = std::sqrt(distance2(ys, cs) / norm2(cs));

      const auto p = host(t1.to_physical(y, X, Y));
      const auto band = host(t1.to_physical(c, X, Y));
      const double physical_rel = std::sqrt(distance2(p, band) / norm2(band));
      EXPECT_NEAR(coefficient_rel, physical_rel, 1e-12) << to_string(transform);

      // The band projection is the one written out by hand.
      const auto ts = host(target);
      double worst = 0;
      for (int b = 0; b < B; ++b) {
        std::vector<double> field(ts.begin() + b * X * Y, ts.begin() + (b + 1) * X * Y);
        const auto direct = band_projection(field, transform, X, Y, 4, 4);
        for (int i = 0; i < X * Y; ++i) {
          worst = std::max(worst, std::abs(direct[i] - band[b * X * Y + i]));
        }
      }
      EXPECT_LT(worst, 1e-12) << to_string(transform) << " " << X << "x" << Y;
    }
  }
}

TEST(T1, GradientsMatchFiniteDifferences) {
  struct Case {
    T1Transform transform;
    std::array<int, 2> grid;
    bool keep_high, coordinates;
  };
  for (const auto& k :
       {Case{T1Transform::dct, {8, 8}, false, true}, Case{T1Transform::dct, {16, 12}, false, false},
        Case{T1Transform::dct, {8, 8}, true, true}, Case{T1Transform::rfft, {8, 8}, false, true},
        Case{T1Transform::rfft, {16, 12}, false, false}}) {
    auto options = small_options(k.transform, k.grid);
    options.keep_high = k.keep_high;
    options.grid_coordinates = k.coordinates;
    T1<double> t1(options, RandomKey{12, 0});
    const auto report =
        nn::check_gradients(t1, random_tensor({2, 2, k.grid[0], k.grid[1]}, 13), {1e-6, 60});
    EXPECT_LT(report.worst_error, 1e-6)
        << to_string(k.transform) << " " << k.grid[0] << "x" << k.grid[1] << " keep_high "
        << k.keep_high << ": " << report.worst;
  }
}

// The full transform of a physical field, to look at the modes outside the block.
std::vector<double> full_dct(const Tensor<double>& x) {
  T1Spectrum<double> full(T1Transform::dct,
                          {static_cast<int>(x.extent(2)), static_cast<int>(x.extent(3))},
                          {static_cast<int>(x.extent(2)), static_cast<int>(x.extent(3))}, true,
                          fft::Planning::estimate);
  return host(full.analyse(x));
}

TEST(T1, TruncatedModesStayZeroWithoutKeepHigh) {
  const int X = 16, Y = 12, B = 2;
  T1<double> t1(small_options(T1Transform::dct, {X, Y}), RandomKey{14, 0});
  t1.train(false);
  const auto y = t1.forward(random_tensor({B, 2, X, Y}, 15));
  EXPECT_EQ(y.shape(), (nn::Shape{B, 1, 4, 4}));
  const auto c = full_dct(t1.to_physical(y, X, Y));
  // Round trip through two transforms: the zeros come back to round-off (1e-16 relative), the
  // block to the prediction.
  const auto ys = host(y);
  double high = 0, block_error = 0, scale = std::sqrt(norm2(ys));
  for (int b = 0; b < B; ++b)
    for (int i = 0; i < X; ++i)
      for (int j = 0; j < Y; ++j) {
        const double v = c[(b * X + i) * Y + j];
        if (i < 4 && j < 4) {
          block_error = std::max(block_error, std::abs(v - ys[(b * 4 + i) * 4 + j]));
        } else {
          high = std::max(high, std::abs(v));
        }
      }
  EXPECT_LT(high, 1e-14 * scale);
  EXPECT_LT(block_error, 1e-14 * scale);
}

TEST(T1, KeepHighCarriesTheLiftedHighModesThroughTheHead) {
  const int X = 8, Y = 8, B = 2;
  auto options = small_options(T1Transform::dct, {X, Y});
  options.keep_high = true;
  T1<double> t1(options, RandomKey{16, 0});
  const auto x = random_tensor({B, 2, X, Y}, 17);
  const auto acts = t1.activations(x);
  const auto y = host(acts.back());
  ASSERT_EQ(acts.back().shape(), (nn::Shape{B, 1, X, Y}));
  // Outside the block: head(DCT(u)), with the head's own modules.
  t1.train(false);
  auto c = t1.spectrum().analyse(acts[0]);
  std::vector<nn::Module<double>*> head;
  for (auto& [name, m] : t1.children()) {
    if (name.rfind("head", 0) == 0) head.push_back(m);
  }
  for (auto* m : head) c = m->forward(c);
  const auto expected = host(c);
  double worst = 0, high = 0;
  for (int b = 0; b < B; ++b)
    for (int i = 0; i < X; ++i)
      for (int j = 0; j < Y; ++j) {
        if (i < 4 && j < 4) continue;
        const int at = (b * X + i) * Y + j;
        worst = std::max(worst, std::abs(y[at] - expected[at]));
        high = std::max(high, std::abs(y[at]));
      }
  EXPECT_EQ(worst, 0.0);
  EXPECT_GT(high, 1e-3);  // the high modes are carried, not zeroed
}

// Energy of each activation relative to the lifted field's, on white unit-variance inputs.
std::vector<double> energy_ratios(T1Init init, T1Transform transform) {
  T1Options o;
  o.grid = {64, 64};
  o.modes = transform == T1Transform::dct ? std::array<int, 2>{12, 12} : std::array<int, 2>{6, 12};
  o.width = 8;
  o.hidden = 32;
  o.layers = 4;
  o.grid_coordinates = false;
  o.transform = transform;
  o.init = init;
  o.planning = fft::Planning::estimate;
  T1<double> t1(o, RandomKey{18, 0});
  const auto acts = t1.activations(random_tensor({4, 1, 64, 64}, 19));
  const double u = norm2(host(acts[0]));
  std::vector<double> ratios;
  for (std::size_t l = 1; l < acts.size(); ++l) {
    // The output has 1 channel, the layers `width`: compare energies per physical channel.
    const double channels = l + 1 == acts.size() ? 1.0 : 8.0;
    ratios.push_back(norm2(host(acts[l])) / channels / (u / 8.0));
  }
  return ratios;
}

TEST(T1, VariancePreservingInitKeepsTheEnergyThroughTheLayers) {
  // Energy ratio r = ||h||^2 / ||u||^2 per channel, which by Parseval is the mean square of the
  // field synthesise(h) over u's. Truncation leaves r_0 = D/N (144/4096 for the DCT); the VP init
  // restores r ~ 1 in block 1 and lets blocks 2..4 grow by (1 + 1/L) each (t1_init.cpp): the
  // expected r after the blocks are 1, 1.25, 1.56, 1.95 (measured 0.94, 1.2, 1.57, 1.96), and the
  // check is that each lies in [1/2, 3]. The output's r (one channel, a single draw of a 32-wide
  // head whose inputs share a common mean) scatters more: it is held to [1/4, 4].
  for (auto transform : {T1Transform::dct, T1Transform::rfft}) {
    const auto vp = energy_ratios(T1Init::variance_preserving, transform);
    const double d = transform == T1Transform::dct ? 144.0 : 4 * 6 * 12 - 12 + 1;
    EXPECT_NEAR(vp[0], d / 4096.0, 0.15 * d / 4096.0) << to_string(transform);
    for (std::size_t l = 1; l + 1 < vp.size(); ++l) {
      EXPECT_GT(vp[l], 0.5) << to_string(transform) << " block " << l;
      EXPECT_LT(vp[l], 3.0) << to_string(transform) << " block " << l;
    }
    EXPECT_GT(vp.back(), 0.25) << to_string(transform) << " output";
    EXPECT_LT(vp.back(), 4.0) << to_string(transform) << " output";
    // PyTorch's default leaves the truncation loss in the prediction: the output check fails.
    const auto plain = energy_ratios(T1Init::pytorch, transform);
    EXPECT_LT(plain.back(), 0.5) << to_string(transform);
    std::printf("[ %s ] VP energy ratios:", to_string(transform).c_str());
    for (double r : vp) std::printf(" %.3g", r);
    std::printf("\n[ %s ] pytorch energy ratios:", to_string(transform).c_str());
    for (double r : plain) std::printf(" %.3g", r);
    std::printf("\n");
  }
}

// Not a check: one training step of the benchmark configuration, timed. Run with
// --gtest_also_run_disabled_tests --gtest_filter=*Timing*.
TEST(T1Timing, DISABLED_OneTrainingStepFloat) {
  for (auto transform : {T1Transform::dct, T1Transform::rfft}) {
    T1Options o;
    o.grid = {64, 64};
    o.modes = {12, 12};
    o.width = 32;
    o.layers = 4;
    o.transform = transform;
    T1<float> t1(o, RandomKey{20, 0});
    Tensor<float> x({20, 1, 64, 64}), target({20, 1, 64, 64});
    fill_normal(x.values(), RandomKey{21, 0});
    fill_normal(target.values(), RandomKey{22, 0});
    const auto target_c = t1.coefficients(target);
    auto step = [&] {
      const auto y = t1.forward(x);
      Tensor<float> grad = clone(y);  // d/dy of ||y - c||^2 / 2
      float* g = grad.data();
      const float* c = target_c.data();
      Kokkos::parallel_for(
          Kokkos::RangePolicy<nn::ExecutionSpace>(0, grad.size()),
          KOKKOS_LAMBDA(const std::int64_t i) { g[i] -= c[i]; });
      t1.backward(grad);
    };
    step();  // plans and first-touch
    const int repeats = 10;
    Kokkos::Timer timer;
    for (int r = 0; r < repeats; ++r) step();
    Kokkos::fence();
    std::printf(
        "[ timing ] T1 %s width 32, 12x12 modes, 4 layers, batch 20, 64x64 float: "
        "%.2f ms per forward+backward (%lld parameters)\n",
        to_string(transform).c_str(), 1e3 * timer.seconds() / repeats,
        static_cast<long long>(t1.parameter_count()));
  }
}

TEST(T1, BadInputIsRefused) {
  auto options = small_options(T1Transform::dct, {8, 8});
  options.modes = {9, 4};
  EXPECT_THROW(T1<double>(options, RandomKey{}), Error);
  options = small_options(T1Transform::rfft, {8, 8});
  options.modes = {5, 4};  // 2 m0 > X
  EXPECT_THROW(T1<double>(options, RandomKey{}), Error);
  options.modes = {4, 5};  // m1 > Y/2
  EXPECT_THROW(T1<double>(options, RandomKey{}), Error);
  options.modes = {4, 4};
  options.keep_high = true;
  EXPECT_THROW(T1<double>(options, RandomKey{}), Error);
  options = small_options(T1Transform::dct, {8, 8});
  options.width = 0;
  EXPECT_THROW(T1<double>(options, RandomKey{}), Error);

  T1<double> t1(small_options(T1Transform::dct, {8, 8}), RandomKey{});
  EXPECT_THROW(t1.forward(Tensor<double>({2, 3, 8, 8})), Error);  // wrong channels
  EXPECT_THROW(t1.forward(Tensor<double>({2, 2, 8, 6})), Error);  // wrong grid
  EXPECT_THROW(t1.coefficients(Tensor<double>({2, 2, 8, 8})), Error);
  EXPECT_THROW(t1.to_physical(Tensor<double>({2, 1, 5, 4}), 8, 8), Error);
  EXPECT_THROW(t1.backward(Tensor<double>({2, 1, 4, 4})), Error);  // no forward before
  EXPECT_THROW(parse_t1_transform("dft"), Error);
  EXPECT_THROW(parse_t1_init("kaiming"), Error);
}

TEST(T1, ConfigNamesEveryOption) {
  auto options = small_options(T1Transform::rfft, {8, 8});
  T1<double> t1(options, RandomKey{});
  EXPECT_EQ(t1.kind(), "T1");
  const auto c = t1.config();
  for (const char* key :
       {"in_channels", "out_channels", "grid", "modes", "width", "hidden", "layers", "transform",
        "keep_high", "grid_coordinates", "activation", "init"}) {
    EXPECT_TRUE(c.contains(key)) << key;
  }
  EXPECT_EQ(c["transform"], "rfft");
  EXPECT_EQ(c["modes"], nlohmann::json({4, 4}));
}

}  // namespace
}  // namespace torus::operators
