// MLP: the map written out by hand with the library's own weights (a GELU between Linear maps,
// none after the last) on (batch, features) and on a field along the channel axis; adjoints
// against finite differences for each smooth activation; float against double; names, config
// and errors.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "nn/support.hpp"
#include "torus/nn/gradient_check.hpp"
#include "torus/nn/mlp.hpp"

namespace torus::nn {
namespace {

using testing::host;
using testing::max_abs;
using testing::max_difference;
using testing::random_tensor;

double gelu(double x) { return 0.5 * x * std::erfc(-x / std::sqrt(2.0)); }

// y = W_L f(... f(W_1 x + b_1)) + b_L along axis 1 of (B, C, S), S the flattened rest.
std::vector<double> by_hand(MLP<double>& mlp, const Tensor<double>& x) {
  const auto& widths = mlp.widths();
  const std::int64_t B = x.extent(0);
  const std::int64_t S = x.size() / (B * widths[0]);
  std::vector<double> h = host(x);
  for (std::size_t l = 0; l + 1 < widths.size(); ++l) {
    const auto W = host(mlp.linear(l).weight().value);
    const auto b = host(mlp.linear(l).bias().value);
    const int in = widths[l], out = widths[l + 1];
    std::vector<double> next(B * out * S);
    for (std::int64_t n = 0; n < B; ++n) {
      for (int o = 0; o < out; ++o) {
        for (std::int64_t s = 0; s < S; ++s) {
          double z = b[o];
          for (int i = 0; i < in; ++i) z += W[o * in + i] * h[(n * in + i) * S + s];
          next[(n * out + o) * S + s] = l + 2 < widths.size() ? gelu(z) : z;
        }
      }
    }
    h = next;
  }
  return h;
}

TEST(MLP, MatchesTheMapByHand) {
  MLP<double> mlp({3, 8, 6, 2}, ActivationKind::gelu, RandomKey{4, 0});
  for (const Shape& shape : {Shape{5, 3}, Shape{2, 3, 4, 5}}) {
    const auto x = random_tensor<double>(shape, 9);
    const auto y = mlp.forward(x);
    Shape expected = shape;
    expected[1] = 2;
    EXPECT_EQ(y.shape(), expected);
    EXPECT_LT(max_difference(host(y), by_hand(mlp, x)), 1e-13) << shape_text(shape);
  }
}

TEST(MLP, GradientsMatchFiniteDifferences) {
  for (const auto kind : {ActivationKind::gelu, ActivationKind::silu, ActivationKind::sin}) {
    MLP<double> mlp({3, 7, 5, 2}, kind, RandomKey{4, 1});
    const auto report = check_gradients(mlp, random_tensor<double>({2, 3, 3, 2}, 10));
    EXPECT_LT(report.worst_error, 1e-7) << to_string(kind) << ": " << report.worst;
  }
  // Along the last axis of (B, X, features).
  MLP<double> last({4, 6, 3}, ActivationKind::gelu, RandomKey{4, 2}, 2);
  const auto report = check_gradients(last, random_tensor<double>({2, 5, 4}, 11));
  EXPECT_LT(report.worst_error, 1e-7) << report.worst;
}

TEST(MLP, FloatMatchesDouble) {
  MLP<double> exact({3, 16, 16, 2}, ActivationKind::gelu, RandomKey{8, 0});
  MLP<float> single({3, 16, 16, 2}, ActivationKind::gelu, RandomKey{8, 0});
  const auto x = random_tensor<double>({4, 3, 6}, 1);
  const auto y = host(exact.forward(x));
  const auto yf = host(single.forward(testing::cast<float>(x)));
  EXPECT_LT(max_difference(yf, y), 1e-5 * (1 + max_abs(y)));
}

TEST(MLP, NamesConfigAndLayerKeys) {
  MLP<double> mlp({4, 4, 4}, ActivationKind::silu, RandomKey{3, 7}, 1);
  std::vector<std::string> names;
  for (auto& [name, p] : mlp.named_parameters()) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias"}));
  EXPECT_EQ(mlp.parameter_count(), 2 * (16 + 4));
  EXPECT_EQ(mlp.children().size(), 3u);
  EXPECT_EQ(mlp.children()[1].second->kind(), "Activation");

  const auto config = mlp.config();
  EXPECT_EQ(config["widths"], (std::vector<int>{4, 4, 4}));
  EXPECT_EQ(config["activation"], "silu");
  EXPECT_EQ(config["axis"], 1);
  EXPECT_EQ(mlp.kind(), "MLP");

  // Layers of equal shape start from different numbers; the same key gives the same model.
  EXPECT_GT(max_difference(host(mlp.linear(0).weight().value), host(mlp.linear(1).weight().value)),
            0.0);
  MLP<double> again({4, 4, 4}, ActivationKind::silu, RandomKey{3, 7});
  EXPECT_EQ(host(again.linear(1).weight().value), host(mlp.linear(1).weight().value));
  EXPECT_THROW(mlp.linear(2), Error);
}

TEST(MLP, BadInputThrows) {
  EXPECT_THROW(MLP<double>({3}, ActivationKind::gelu, RandomKey{}), Error);
  EXPECT_THROW(MLP<double>({3, 0, 2}, ActivationKind::gelu, RandomKey{}), Error);
  EXPECT_THROW(MLP<double>({3, 2}, ActivationKind::gelu, RandomKey{}, -1), Error);
  MLP<double> mlp({3, 2}, ActivationKind::gelu, RandomKey{});
  EXPECT_EQ(mlp.children().size(), 1u);  // one map, no activation
  EXPECT_THROW(mlp.forward(Tensor<double>({2, 4})), Error);
  EXPECT_THROW(mlp.backward(Tensor<double>({2, 2})), Error);
}

}  // namespace
}  // namespace torus::nn
