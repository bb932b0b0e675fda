// Linear against a hand-written loop y(a, o, s) = sum_i W(o, i) x(a, i, s) + b(o) along axes 1,
// 2 and 3 of a 4-D tensor and on (batch, features); its adjoint against finite differences in
// float64; the float forward against the double one; gradient accumulation; bad shapes.
#include <gtest/gtest.h>

#include <vector>

#include "nn/support.hpp"
#include "torus/nn/gradient_check.hpp"
#include "torus/nn/linear.hpp"

namespace torus::nn {
namespace {

using testing::host;
using testing::max_abs;
using testing::max_difference;
using testing::random_tensor;

// The map written out: x seen as (outer, in, inner) around `axis`.
std::vector<double> reference(const std::vector<double>& W, const std::vector<double>& b,
                              const std::vector<double>& x, const Shape& shape, int axis, int out) {
  std::int64_t outer = 1, inner = 1;
  for (int a = 0; a < axis; ++a) outer *= shape[a];
  for (std::size_t a = axis + 1; a < shape.size(); ++a) inner *= shape[a];
  const std::int64_t in = shape[axis];
  std::vector<double> y(outer * out * inner);
  for (std::int64_t a = 0; a < outer; ++a) {
    for (int o = 0; o < out; ++o) {
      for (std::int64_t s = 0; s < inner; ++s) {
        double sum = b.empty() ? 0.0 : b[o];
        for (std::int64_t i = 0; i < in; ++i) sum += W[o * in + i] * x[(a * in + i) * inner + s];
        y[(a * out + o) * inner + s] = sum;
      }
    }
  }
  return y;
}

struct Case {
  Shape shape;
  int axis;
  int out;
  bool bias;
};

std::vector<Case> cases() {
  return {{{2, 3, 5, 4}, 1, 6, true}, {{2, 3, 5, 4}, 2, 2, true}, {{2, 3, 5, 4}, 3, 7, false},
          {{9, 4}, 1, 3, true},       {{2, 70, 3}, 2, 2, true},   {{3, 2, 67}, 1, 3, true},
          {{4, 5}, 1, 1, false}};
}

TEST(Linear, MatchesHandLoopAlongEachAxis) {
  for (const auto& c : cases()) {
    const int in = static_cast<int>(c.shape[c.axis]);
    Linear<double> linear(in, c.out, RandomKey{11, 2}, {c.axis, c.bias});
    const auto x = random_tensor<double>(c.shape, 3);
    const auto y = linear.forward(x);
    Shape expected = c.shape;
    expected[c.axis] = c.out;
    ASSERT_EQ(y.shape(), expected);
    const auto want = reference(host(linear.weight().value),
                                c.bias ? host(linear.bias().value) : std::vector<double>{}, host(x),
                                c.shape, c.axis, c.out);
    EXPECT_LT(max_difference(host(y), want), 1e-13) << shape_text(c.shape) << " axis " << c.axis;
  }
}

TEST(Linear, InitialisedUniformWithinPyTorchBound) {
  Linear<double> linear(16, 8, RandomKey{5, 0});
  const double bound = 1.0 / 4.0;
  const auto w = host(linear.weight().value);
  const auto b = host(linear.bias().value);
  EXPECT_LE(max_abs(w), bound);
  EXPECT_LE(max_abs(b), bound);
  EXPECT_GT(max_abs(w), 0.8 * bound);  // 128 draws fill the interval
  EXPECT_NE(w[0], b[0]);               // bias drawn past the weights, not the same numbers
}

TEST(Linear, GradientsMatchFiniteDifferences) {
  for (const auto& c : cases()) {
    const int in = static_cast<int>(c.shape[c.axis]);
    Linear<double> linear(in, c.out, RandomKey{11, 4}, {c.axis, c.bias});
    const auto report = check_gradients(linear, random_tensor<double>(c.shape, 8));
    EXPECT_LT(report.worst_error, 1e-7)
        << shape_text(c.shape) << " axis " << c.axis << ": " << report.worst;
    EXPECT_GT(report.checked, 10);
  }
}

TEST(Linear, BackwardAccumulatesParameterGradients) {
  Linear<double> linear(3, 2, RandomKey{1, 1});
  const auto x = random_tensor<double>({4, 3}, 2);
  const auto dy = random_tensor<double>({4, 2}, 3);
  linear.zero_grad();
  linear.forward(x);
  linear.backward(dy);
  const auto once = host(linear.weight().grad);
  linear.forward(x);
  linear.backward(dy);
  const auto twice = host(linear.weight().grad);
  for (std::size_t i = 0; i < once.size(); ++i) EXPECT_NEAR(twice[i], 2 * once[i], 1e-14);
  EXPECT_GT(max_abs(once), 0.0);
}

TEST(Linear, FloatForwardMatchesDouble) {
  for (const auto& c : cases()) {
    const int in = static_cast<int>(c.shape[c.axis]);
    // The same key gives the same weights rounded to float.
    Linear<double> exact(in, c.out, RandomKey{21, 0}, {c.axis, c.bias});
    Linear<float> single(in, c.out, RandomKey{21, 0}, {c.axis, c.bias});
    const auto x = random_tensor<double>(c.shape, 5);
    const auto y = host(exact.forward(x));
    const auto yf = host(single.forward(testing::cast<float>(x)));
    // Sums of `in` products of O(1) terms: a few float epsilons times sqrt(in) or so.
    EXPECT_LT(max_difference(yf, y), 1e-5 * (1 + max_abs(y))) << shape_text(c.shape);
  }
}

TEST(Linear, BadShapesThrow) {
  EXPECT_THROW(Linear<double>(0, 3, RandomKey{}), Error);
  EXPECT_THROW(Linear<double>(3, 0, RandomKey{}), Error);
  EXPECT_THROW(Linear<double>(3, 2, RandomKey{}, {-1, true}), Error);

  Linear<double> linear(3, 2, RandomKey{}, {2, true});
  EXPECT_THROW(linear.forward(Tensor<double>({2, 3, 4})), Error);   // axis 2 has 4 entries
  EXPECT_THROW(linear.forward(Tensor<double>({2, 3})), Error);      // no axis 2
  EXPECT_THROW(linear.backward(Tensor<double>({2, 4, 2})), Error);  // no forward before

  linear.forward(Tensor<double>({2, 4, 3}));
  EXPECT_THROW(linear.backward(Tensor<double>({2, 4, 3})), Error);  // wrong gradient shape

  Linear<double> no_bias(3, 2, RandomKey{}, {1, false});
  EXPECT_THROW(no_bias.bias(), Error);
  EXPECT_EQ(no_bias.parameters().size(), 1u);
  EXPECT_EQ(no_bias.config()["bias"], false);
}

TEST(Linear, EvaluationModeKeepsNothing) {
  Linear<double> linear(3, 2, RandomKey{});
  linear.train(false);
  linear.forward(Tensor<double>({1, 3}));
  EXPECT_THROW(linear.backward(Tensor<double>({1, 2})), Error);
}

}  // namespace
}  // namespace torus::nn
