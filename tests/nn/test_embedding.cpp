// Embedding: lookups against the table, the scatter-add of the table gradient against a hand
// loop (repeated indices included) and against finite differences written out here, a zero
// gradient for the indices, and the errors for indices that are not integers in range.
// SinusoidalEmbedding: values against the formula, odd widths, the adjoint against finite
// differences, float against double at large times, bad options.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "nn/support.hpp"
#include "torus/nn/embedding.hpp"
#include "torus/nn/gradient_check.hpp"

namespace torus::nn {
namespace {

using testing::host;
using testing::max_abs;
using testing::max_difference;
using testing::random_tensor;
using testing::tensor;

TEST(Embedding, LooksUpRows) {
  Embedding<double> embedding(7, 4, RandomKey{1, 0});
  const auto E = host(embedding.weight().value);
  const std::vector<double> idx = {3, 0, 6, 3, 2, 5};
  for (const Shape& shape : {Shape{6}, Shape{2, 3}}) {
    const auto y = embedding.forward(tensor<double>(shape, idx));
    Shape expected = shape;
    expected.push_back(4);
    ASSERT_EQ(y.shape(), expected);
    const auto yv = host(y);
    for (std::size_t i = 0; i < idx.size(); ++i) {
      for (int c = 0; c < 4; ++c) EXPECT_EQ(yv[i * 4 + c], E[static_cast<int>(idx[i]) * 4 + c]);
    }
  }
}

TEST(Embedding, InitialisedStandardNormal) {
  Embedding<double> embedding(1000, 16, RandomKey{2, 0});
  const auto E = host(embedding.weight().value);
  double mean = 0, square = 0;
  for (const auto e : E) mean += e / E.size(), square += e * e / E.size();
  EXPECT_NEAR(mean, 0.0, 0.03);  // 16000 draws: standard error 0.008
  EXPECT_NEAR(square, 1.0, 0.05);
}

TEST(Embedding, TableGradientIsAScatterAdd) {
  Embedding<double> embedding(5, 3, RandomKey{3, 0});
  const std::vector<double> idx = {1, 4, 1, 1, 0, 4};
  const auto indices = tensor<double>({2, 3}, idx);
  embedding.zero_grad();
  embedding.forward(indices);
  const auto dy = random_tensor<double>({2, 3, 3}, 4);
  const auto dx = embedding.backward(dy);
  EXPECT_EQ(dx.shape(), indices.shape());
  EXPECT_EQ(max_abs(host(dx)), 0.0);

  std::vector<double> want(15, 0.0);
  const auto g = host(dy);
  for (std::size_t i = 0; i < idx.size(); ++i) {
    for (int c = 0; c < 3; ++c) want[static_cast<int>(idx[i]) * 3 + c] += g[i * 3 + c];
  }
  EXPECT_LT(max_difference(host(embedding.weight().grad), want), 1e-15);
  for (int c = 0; c < 3; ++c) {
    EXPECT_EQ(host(embedding.weight().grad)[2 * 3 + c], 0.0);  // row 2 was never selected
  }
}

TEST(Embedding, TableGradientMatchesFiniteDifferences) {
  // L(E) = <r, y(E)>; the central difference in each table entry against backward(r).
  Embedding<double> embedding(6, 4, RandomKey{5, 0});
  const auto indices = tensor<double>({3, 2}, {5, 0, 2, 5, 5, 1});
  const auto r = random_tensor<double>({3, 2, 4}, 6);
  embedding.zero_grad();
  embedding.forward(indices);
  embedding.backward(r);
  const auto analytic = host(embedding.weight().grad);

  auto loss = [&]() {
    const auto y = host(embedding.forward(indices));
    const auto rv = host(r);
    double sum = 0;
    for (std::size_t i = 0; i < y.size(); ++i) sum += rv[i] * y[i];
    return sum;
  };
  embedding.train(false);
  auto E = embedding.weight().value.as<2>();
  const double h = 1e-6;
  double worst = 0;
  for (int row = 0; row < 6; ++row) {
    for (int c = 0; c < 4; ++c) {
      const double saved = E(row, c);
      E(row, c) = saved + h;
      const double plus = loss();
      E(row, c) = saved - h;
      const double minus = loss();
      E(row, c) = saved;
      worst = std::max(worst, std::abs((plus - minus) / (2 * h) - analytic[row * 4 + c]));
    }
  }
  EXPECT_LT(worst, 1e-8);
}

TEST(Embedding, BadIndicesThrow) {
  Embedding<double> embedding(4, 2, RandomKey{});
  for (const double bad :
       {-1.0, 4.0, 2.5, static_cast<double>(NAN), static_cast<double>(INFINITY)}) {
    EXPECT_THROW(embedding.forward(tensor<double>({3}, {0, bad, 1})), Error) << bad;
  }
  try {
    embedding.forward(tensor<double>({4}, {0, 9, 1, 7}));
    FAIL() << "no throw";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("2 of 4"), std::string::npos) << what;
    EXPECT_NE(what.find("position 1"), std::string::npos) << what;
  }
  EXPECT_THROW(embedding.forward(Tensor<double>(Shape{0})), Error);
  EXPECT_THROW(Embedding<double>(0, 2, RandomKey{}), Error);
  EXPECT_THROW(Embedding<double>(2, 0, RandomKey{}), Error);
  EXPECT_THROW(Embedding<float>((std::int64_t{1} << 24) + 1, 1, RandomKey{}), Error);
  embedding.forward(tensor<double>({2}, {0, 1}));
  EXPECT_THROW(embedding.backward(Tensor<double>({2, 3})), Error);
  EXPECT_EQ(embedding.config()["count"], 4);
}

// cos(t f_j), sin(t f_j) with f_j = max_period^(-j / half), then a zero for odd dim.
std::vector<double> sinusoid(const std::vector<double>& t, int dim, double max_period) {
  const int half = dim / 2;
  std::vector<double> y;
  for (const double tb : t) {
    for (int j = 0; j < half; ++j)
      y.push_back(std::cos(tb * std::pow(max_period, -1.0 * j / half)));
    for (int j = 0; j < half; ++j)
      y.push_back(std::sin(tb * std::pow(max_period, -1.0 * j / half)));
    if (dim % 2) y.push_back(0.0);
  }
  return y;
}

TEST(SinusoidalEmbedding, MatchesTheFormula) {
  const std::vector<double> t = {0.0, 1.0, 17.5, 999.0};
  for (const int dim : {2, 8, 9, 64}) {
    for (const double period : {10000.0, 100.0}) {
      SinusoidalEmbedding<double> embedding(dim, period);
      const auto y = embedding.forward(tensor<double>({4}, t));
      EXPECT_EQ(y.shape(), (Shape{4, dim}));
      EXPECT_LT(max_difference(host(y), sinusoid(t, dim, period)), 1e-12) << dim << " " << period;
    }
  }
  // At t = 0: cosines 1, sines 0.
  SinusoidalEmbedding<double> embedding(6);
  EXPECT_EQ(host(embedding.forward(tensor<double>({1}, {0.0}))),
            (std::vector<double>{1, 1, 1, 0, 0, 0}));
  EXPECT_EQ(embedding.parameter_count(), 0);
}

TEST(SinusoidalEmbedding, GradientMatchesFiniteDifferences) {
  for (const int dim : {8, 7}) {
    SinusoidalEmbedding<double> embedding(dim, 50.0);
    auto t = random_tensor<double>({6}, 7);
    const auto report = check_gradients(embedding, t);
    EXPECT_LT(report.worst_error, 1e-7) << report.worst;
  }
}

TEST(SinusoidalEmbedding, FloatMatchesDoubleAtLargeTimes) {
  const auto t = tensor<double>({3}, {1.0, 250.0, 4000.0});
  SinusoidalEmbedding<double> exact(32);
  SinusoidalEmbedding<float> single(32);
  EXPECT_LT(max_difference(host(single.forward(testing::cast<float>(t))), host(exact.forward(t))),
            1e-6);
}

TEST(SinusoidalEmbedding, BadInputThrows) {
  EXPECT_THROW(SinusoidalEmbedding<double>(1), Error);
  EXPECT_THROW(SinusoidalEmbedding<double>(4, 0.0), Error);
  EXPECT_THROW(SinusoidalEmbedding<double>(4, -3.0), Error);
  SinusoidalEmbedding<double> embedding(4);
  EXPECT_THROW(embedding.forward(Tensor<double>(Shape{0})), Error);
  EXPECT_THROW(embedding.backward(Tensor<double>({2, 4})), Error);
  embedding.forward(Tensor<double>({2}));
  EXPECT_THROW(embedding.backward(Tensor<double>({2, 5})), Error);
}

}  // namespace
}  // namespace torus::nn
