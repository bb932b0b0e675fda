// LayerNorm and GroupNorm against loops that write PyTorch's definitions out (biased variance,
// eps inside the root, affine per normalised entry or per channel), their adjoints against
// finite differences with and without the affine map, float against double, the special cases
// GroupNorm(1) = LayerNorm over (C, ...) and a few values computed with torch 1.13.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "nn/support.hpp"
#include "torus/nn/gradient_check.hpp"
#include "torus/nn/norm.hpp"

namespace torus::nn {
namespace {

using testing::host;
using testing::max_abs;
using testing::max_difference;
using testing::random_tensor;

// Standardises x(a, m, s) over m for each (a, s), then gamma_m xhat + beta_m.
std::vector<double> layer_reference(const std::vector<double>& x, std::int64_t outer,
                                    std::int64_t M, std::int64_t inner,
                                    const std::vector<double>& gamma,
                                    const std::vector<double>& beta, double eps) {
  std::vector<double> y(x.size());
  for (std::int64_t a = 0; a < outer; ++a) {
    for (std::int64_t s = 0; s < inner; ++s) {
      auto at = [&](std::int64_t m) { return (a * M + m) * inner + s; };
      double mu = 0, var = 0;
      for (std::int64_t m = 0; m < M; ++m) mu += x[at(m)] / M;
      for (std::int64_t m = 0; m < M; ++m) var += (x[at(m)] - mu) * (x[at(m)] - mu) / M;
      for (std::int64_t m = 0; m < M; ++m) {
        const double xhat = (x[at(m)] - mu) / std::sqrt(var + eps);
        y[at(m)] = gamma.empty() ? xhat : gamma[m] * xhat + beta[m];
      }
    }
  }
  return y;
}

// x (B, C, S): per (b, group) over its C/G channels and S points; affine per channel.
std::vector<double> group_reference(const std::vector<double>& x, std::int64_t B, std::int64_t C,
                                    std::int64_t S, std::int64_t G,
                                    const std::vector<double>& gamma,
                                    const std::vector<double>& beta, double eps) {
  std::vector<double> y(x.size());
  const std::int64_t Cg = C / G;
  for (std::int64_t b = 0; b < B; ++b) {
    for (std::int64_t g = 0; g < G; ++g) {
      double mu = 0, var = 0;
      const double n = static_cast<double>(Cg * S);
      for (std::int64_t c = g * Cg; c < (g + 1) * Cg; ++c) {
        for (std::int64_t s = 0; s < S; ++s) mu += x[(b * C + c) * S + s] / n;
      }
      for (std::int64_t c = g * Cg; c < (g + 1) * Cg; ++c) {
        for (std::int64_t s = 0; s < S; ++s) {
          const double d = x[(b * C + c) * S + s] - mu;
          var += d * d / n;
        }
      }
      for (std::int64_t c = g * Cg; c < (g + 1) * Cg; ++c) {
        for (std::int64_t s = 0; s < S; ++s) {
          const auto i = (b * C + c) * S + s;
          const double xhat = (x[i] - mu) / std::sqrt(var + eps);
          y[i] = gamma.empty() ? xhat : gamma[c] * xhat + beta[c];
        }
      }
    }
  }
  return y;
}

template <class M>
void randomise_affine(M& norm, std::uint64_t seed) {
  fill_normal(norm.weight().value.values(), RandomKey{seed, 1}, 1.0, 0.5);
  fill_normal(norm.bias().value.values(), RandomKey{seed, 2});
}

TEST(LayerNorm, TrailingAxesMatchPyTorchDefinition) {
  // Over the last axis of (B, L, F), and over the last two.
  LayerNorm<double> last(6);
  randomise_affine(last, 3);
  const auto x = random_tensor<double>({2, 5, 6}, 1);
  EXPECT_LT(max_difference(host(last.forward(x)),
                           layer_reference(host(x), 10, 6, 1, host(last.weight().value),
                                           host(last.bias().value), 1e-5)),
            1e-13);

  LayerNorm<double> two(Shape{5, 6}, 1e-3);
  randomise_affine(two, 4);
  EXPECT_LT(max_difference(host(two.forward(x)),
                           layer_reference(host(x), 2, 30, 1, host(two.weight().value),
                                           host(two.bias().value), 1e-3)),
            1e-13);
}

TEST(LayerNorm, ChannelAxisOfAField) {
  LayerNorm<double> channels(3, 1e-5, true, 1);
  randomise_affine(channels, 5);
  const auto x = random_tensor<double>({2, 3, 4, 5}, 2);
  const auto y = channels.forward(x);
  EXPECT_LT(
      max_difference(host(y), layer_reference(host(x), 2, 3, 20, host(channels.weight().value),
                                              host(channels.bias().value), 1e-5)),
      1e-13);

  // Without affine the channels at each point have mean 0 and variance var / (var + eps).
  LayerNorm<double> plain(3, 1e-5, false, 1);
  const auto z = plain.forward(x).as<4>();
  for (int b = 0; b < 2; ++b) {
    for (int i = 0; i < 4; ++i) {
      double mean = 0;
      for (int c = 0; c < 3; ++c) mean += z(b, c, i, 0) / 3;
      EXPECT_NEAR(mean, 0.0, 1e-14);
    }
  }
}

TEST(LayerNorm, AgreesWithTorch) {
  // torch.nn.functional.layer_norm(torch.tensor([[1., 2., 4.], [0., -3., 3.]], dtype=float64),
  // (3,), weight=torch.tensor([1., 2., -1.]), bias=torch.tensor([0., 1., 0.5]), eps=1e-5)
  LayerNorm<double> norm(3);
  auto w = norm.weight().value.as<1>();
  auto b = norm.bias().value.as<1>();
  w(0) = 1, w(1) = 2, w(2) = -1;
  b(0) = 0, b(1) = 1, b(2) = 0.5;
  const auto y = host(norm.forward(testing::tensor<double>({2, 3}, {1, 2, 4, 0, -3, 3})));
  const std::vector<double> torch = {-1.0690415315, 0.4654792343,  -0.8363019143,
                                     0.0000000000,  -1.4494877015, -0.7247438508};
  EXPECT_LT(max_difference(y, torch), 1e-9);
}

TEST(LayerNorm, GradientsMatchFiniteDifferences) {
  struct Case {
    Shape normalized;
    int axis;
    Shape input;
  };
  for (const auto& c : {Case{{6}, -1, {3, 6}}, Case{{4, 3}, -1, {2, 4, 3}},
                        Case{{3}, 1, {2, 3, 4, 2}}, Case{{3, 4}, 1, {2, 3, 4, 2}}}) {
    for (const bool affine : {true, false}) {
      LayerNorm<double> norm(c.normalized, 1e-5, affine, c.axis);
      if (affine) randomise_affine(norm, 9);
      const auto report = check_gradients(norm, random_tensor<double>(c.input, 6));
      EXPECT_LT(report.worst_error, 1e-6)
          << shape_text(c.input) << " affine " << affine << ": " << report.worst;
    }
  }
}

TEST(GroupNorm, MatchesPyTorchDefinition) {
  for (const int G : {1, 2, 3, 6}) {
    GroupNorm<double> norm(G, 6);
    randomise_affine(norm, 11);
    const auto x = random_tensor<double>({2, 6, 3, 4}, 12);
    EXPECT_LT(max_difference(host(norm.forward(x)),
                             group_reference(host(x), 2, 6, 12, G, host(norm.weight().value),
                                             host(norm.bias().value), 1e-5)),
              1e-13)
        << G << " groups";
  }
  // (B, C) with one point per channel, and a 3-D field.
  GroupNorm<double> flat(2, 4, 1e-2, false);
  const auto v = random_tensor<double>({3, 4}, 13);
  EXPECT_LT(
      max_difference(host(flat.forward(v)), group_reference(host(v), 3, 4, 1, 2, {}, {}, 1e-2)),
      1e-13);
  GroupNorm<double> cube(2, 4, 1e-5, false);
  const auto w = random_tensor<double>({1, 4, 2, 3, 2}, 14);
  EXPECT_LT(
      max_difference(host(cube.forward(w)), group_reference(host(w), 1, 4, 12, 2, {}, {}, 1e-5)),
      1e-13);
}

TEST(GroupNorm, OneGroupIsLayerNormOverChannelsAndSpace) {
  GroupNorm<double> group(1, 3, 1e-5, false);
  LayerNorm<double> layer(Shape{3, 4, 5}, 1e-5, false);
  const auto x = random_tensor<double>({2, 3, 4, 5}, 15);
  EXPECT_LT(max_difference(host(group.forward(x)), host(layer.forward(x))), 1e-14);
}

TEST(GroupNorm, AgreesWithTorch) {
  // torch.nn.functional.group_norm(torch.arange(8., dtype=float64).reshape(1, 4, 2) ** 2, 2,
  // weight=torch.tensor([1., -1., 2., 0.5]), bias=torch.tensor([0., 0.5, 1., -1.]), eps=1e-5)
  GroupNorm<double> norm(2, 4);
  auto w = norm.weight().value.as<1>();
  auto b = norm.bias().value.as<1>();
  w(0) = 1, w(1) = -1, w(2) = 2, w(3) = 0.5;
  b(0) = 0, b(1) = 0.5, b(2) = 1, b(3) = -1;
  const auto y =
      host(norm.forward(testing::tensor<double>({1, 4, 2}, {0, 1, 4, 9, 16, 25, 36, 49})));
  const std::vector<double> torch = {-0.9999995918, -0.7142854227, 0.3571429155,  -1.0714279300,
                                     -1.5123667028, -0.0535731334, -0.8176508038, -0.2908642371};
  EXPECT_LT(max_difference(y, torch), 1e-9);
}

TEST(GroupNorm, GradientsMatchFiniteDifferences) {
  for (const int G : {1, 2, 4}) {
    for (const bool affine : {true, false}) {
      GroupNorm<double> norm(G, 4, 1e-5, affine);
      if (affine) randomise_affine(norm, 16);
      const auto report = check_gradients(norm, random_tensor<double>({2, 4, 3, 2}, 17));
      EXPECT_LT(report.worst_error, 1e-6)
          << G << " groups, affine " << affine << ": " << report.worst;
    }
  }
}

TEST(Norm, FloatMatchesDouble) {
  const auto x = random_tensor<double>({2, 8, 16, 16}, 18);
  GroupNorm<double> gd(4, 8);
  GroupNorm<float> gf(4, 8);
  EXPECT_LT(max_difference(host(gf.forward(testing::cast<float>(x))), host(gd.forward(x))), 1e-5);
  LayerNorm<double> ld(8, 1e-5, true, 1);
  LayerNorm<float> lf(8, 1e-5, true, 1);
  EXPECT_LT(max_difference(host(lf.forward(testing::cast<float>(x))), host(ld.forward(x))), 1e-5);

  // The float adjoint against the double one.
  const auto dy = random_tensor<double>(x.shape(), 19);
  const auto dx = host(gd.backward(dy));
  const auto dxf = host(gf.backward(testing::cast<float>(dy)));
  EXPECT_LT(max_difference(dxf, dx), 1e-4 * (1 + max_abs(dx)));
  EXPECT_LT(max_difference(host(gf.weight().grad), host(gd.weight().grad)),
            1e-4 * (1 + max_abs(host(gd.weight().grad))));
}

TEST(Norm, BadInputThrows) {
  EXPECT_THROW(LayerNorm<double>(Shape{}), Error);
  EXPECT_THROW(LayerNorm<double>(0), Error);
  EXPECT_THROW(LayerNorm<double>(4, 0.0), Error);
  EXPECT_THROW(LayerNorm<double>(4, 1e-5, true, -2), Error);
  EXPECT_THROW(LayerNorm<double>(4).forward(Tensor<double>({2, 5})), Error);
  EXPECT_THROW(LayerNorm<double>(4, 1e-5, true, 2).forward(Tensor<double>({2, 4, 3})), Error);
  EXPECT_THROW(LayerNorm<double>(Shape{2, 4}).forward(Tensor<double>({4})), Error);
  EXPECT_THROW(LayerNorm<double>(4, 1e-5, false).weight(), Error);

  EXPECT_THROW(GroupNorm<double>(4, 6), Error);
  EXPECT_THROW(GroupNorm<double>(0, 6), Error);
  EXPECT_THROW(GroupNorm<double>(2, 6, -1.0), Error);
  GroupNorm<double> norm(2, 6);
  EXPECT_THROW(norm.forward(Tensor<double>({6})), Error);
  EXPECT_THROW(norm.forward(Tensor<double>({2, 4, 3})), Error);
  EXPECT_THROW(norm.backward(Tensor<double>({2, 6, 3})), Error);
  norm.forward(Tensor<double>({2, 6, 3}));
  EXPECT_THROW(norm.backward(Tensor<double>({2, 6, 4})), Error);
  EXPECT_EQ(norm.config()["groups"], 2);
  EXPECT_EQ(LayerNorm<double>(Shape{2, 3}).config()["normalized_shape"], (std::vector<int>{2, 3}));
}

}  // namespace
}  // namespace torus::nn
