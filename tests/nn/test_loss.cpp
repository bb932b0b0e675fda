// mse and relative_l2 against loops written out here (PyTorch's MSELoss 'mean'; FNO's relative
// LpLoss), their gradients against central differences of the value written out here, the
// scale and the global batch of data parallelism (checked across the ranks of the test run), a
// sample predicted exactly, float against double, and the errors for bad input.
#include <gtest/gtest.h>
#include <mpi.h>

#include <cmath>
#include <string>
#include <vector>

#include "nn/support.hpp"
#include "torus/core/runtime.hpp"
#include "torus/nn/loss.hpp"

namespace torus::nn {
namespace {

using testing::host;
using testing::max_abs;
using testing::max_difference;
using testing::random_tensor;
using testing::tensor;

double mse_by_hand(const std::vector<double>& p, const std::vector<double>& t) {
  double sum = 0;
  for (std::size_t i = 0; i < p.size(); ++i) sum += (p[i] - t[i]) * (p[i] - t[i]);
  return sum / p.size();
}

double relative_by_hand(const std::vector<double>& p, const std::vector<double>& t,
                        std::int64_t B) {
  const std::size_t M = p.size() / B;
  double sum = 0;
  for (std::int64_t b = 0; b < B; ++b) {
    double d = 0, n = 0;
    for (std::size_t m = 0; m < M; ++m) {
      d += (p[b * M + m] - t[b * M + m]) * (p[b * M + m] - t[b * M + m]);
      n += t[b * M + m] * t[b * M + m];
    }
    sum += std::sqrt(d) / std::sqrt(n);
  }
  return sum / B;
}

// The worst |analytic - (L(p + h e_i) - L(p - h e_i)) / 2h| over every entry i, relative to the
// largest gradient entry.
template <class Loss>
double finite_difference_error(const Tensor<double>& p, const Tensor<double>& t, Loss loss) {
  const auto analytic = host(loss(p, t).grad);
  auto values = host(p);
  const double h = 1e-6;
  double worst = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double saved = values[i];
    values[i] = saved + h;
    const double plus = loss(tensor<double>(p.shape(), values), t).value;
    values[i] = saved - h;
    const double minus = loss(tensor<double>(p.shape(), values), t).value;
    values[i] = saved;
    worst = std::max(worst, std::abs((plus - minus) / (2 * h) - analytic[i]));
  }
  return worst / max_abs(analytic);
}

TEST(Mse, ValueAndGradientByHand) {
  const auto p = random_tensor<double>({3, 2, 4, 5}, 1);
  const auto t = random_tensor<double>({3, 2, 4, 5}, 2);
  const auto result = mse(p, t);
  EXPECT_NEAR(result.value, mse_by_hand(host(p), host(t)), 1e-14);
  const auto pv = host(p), tv = host(t), g = host(result.grad);
  for (std::size_t i = 0; i < g.size(); ++i) {
    EXPECT_NEAR(g[i], 2 * (pv[i] - tv[i]) / pv.size(), 1e-16);
  }
  const auto scaled = mse(p, t, 0.25);
  EXPECT_NEAR(scaled.value, 0.25 * result.value, 1e-15);
  for (std::size_t i = 0; i < g.size(); ++i) EXPECT_NEAR(host(scaled.grad)[i], 0.25 * g[i], 1e-17);
}

TEST(Mse, GradientMatchesFiniteDifferences) {
  const auto p = random_tensor<double>({4, 6}, 3);
  const auto t = random_tensor<double>({4, 6}, 4);
  EXPECT_LT(finite_difference_error(p, t, [](const auto& a, const auto& b) { return mse(a, b); }),
            1e-7);
}

TEST(RelativeL2, ValueAndGradientByHand) {
  const auto p = random_tensor<double>({4, 1, 8, 8}, 5);
  const auto t = random_tensor<double>({4, 1, 8, 8}, 6);
  const auto result = relative_l2(p, t);
  EXPECT_NEAR(result.value, relative_by_hand(host(p), host(t), 4), 1e-14);
  EXPECT_EQ(result.grad.shape(), p.shape());
  EXPECT_LT(
      finite_difference_error(p, t, [](const auto& a, const auto& b) { return relative_l2(a, b); }),
      1e-7);
  EXPECT_LT(finite_difference_error(p, t,
                                    [](const auto& a, const auto& b) {
                                      return relative_l2(a, b, std::int64_t{10}, 3.0);
                                    }),
            1e-7);
}

TEST(RelativeL2, ScaleAndGlobalBatch) {
  const auto p = random_tensor<double>({4, 10}, 7);
  const auto t = random_tensor<double>({4, 10}, 8);
  const auto local = relative_l2(p, t);
  const auto global = relative_l2(p, t, 10);
  EXPECT_NEAR(global.value, local.value * 4 / 10, 1e-15);
  const auto both = relative_l2(p, t, 10, 0.5);
  EXPECT_NEAR(both.value, local.value * 0.2, 1e-15);
  const auto g = host(local.grad), gb = host(both.grad);
  for (std::size_t i = 0; i < g.size(); ++i) EXPECT_NEAR(gb[i], 0.2 * g[i], 1e-16);
}

TEST(RelativeL2, RanksShareTheGlobalMean) {
  // Every rank draws the same global batch of 6, takes its samples b = rank, rank + size, ...,
  // and the sum over ranks of relative_l2(local, global_batch) is the whole batch's loss.
  const auto& runtime = Runtime::current();
  const int rank = runtime.rank(), size = runtime.size();
  const std::int64_t B = 6, M = 12;
  const auto p = host(random_tensor<double>({B, M}, 9));
  const auto t = host(random_tensor<double>({B, M}, 10));
  const double whole = relative_by_hand(p, t, B);

  std::vector<double> mine_p, mine_t;
  std::int64_t mine = 0;
  for (std::int64_t b = rank; b < B; b += size, ++mine) {
    mine_p.insert(mine_p.end(), p.begin() + b * M, p.begin() + (b + 1) * M);
    mine_t.insert(mine_t.end(), t.begin() + b * M, t.begin() + (b + 1) * M);
  }
  const auto share =
      relative_l2(tensor<double>({mine, M}, mine_p), tensor<double>({mine, M}, mine_t), B);
  double total = 0;
  MPI_Allreduce(&share.value, &total, 1, MPI_DOUBLE, MPI_SUM, runtime.comm());
  EXPECT_NEAR(total, whole, 1e-14);

  // The local gradient is the whole batch's gradient restricted to this rank's samples.
  const auto full = host(relative_l2(tensor<double>({B, M}, p), tensor<double>({B, M}, t)).grad);
  const auto g = host(share.grad);
  std::int64_t row = 0;
  for (std::int64_t b = rank; b < B; b += size, ++row) {
    for (std::int64_t m = 0; m < M; ++m) EXPECT_NEAR(g[row * M + m], full[b * M + m], 1e-16);
  }
}

TEST(RelativeL2, ExactSampleHasZeroGradient) {
  auto t = random_tensor<double>({2, 5}, 11);
  auto pv = host(t);
  for (int m = 5; m < 10; ++m) pv[m] += 0.1;  // sample 1 off, sample 0 exact
  const auto result = relative_l2(tensor<double>({2, 5}, pv), t);
  const auto g = host(result.grad);
  for (int m = 0; m < 5; ++m) EXPECT_EQ(g[m], 0.0);
  for (int m = 5; m < 10; ++m) EXPECT_GT(g[m], 0.0);
  EXPECT_TRUE(std::isfinite(result.value));
}

TEST(Loss, FloatMatchesDouble) {
  const auto p = random_tensor<double>({3, 2, 16, 16}, 12);
  const auto t = random_tensor<double>({3, 2, 16, 16}, 13);
  const auto pf = testing::cast<float>(p), tf = testing::cast<float>(t);
  // The inputs rounded to float move the losses by ~1e-7 relative; the sums are in double.
  EXPECT_NEAR(mse(pf, tf).value, mse(p, t).value, 1e-6);
  EXPECT_NEAR(relative_l2(pf, tf).value, relative_l2(p, t).value, 1e-6);
  EXPECT_LT(max_difference(host(relative_l2(pf, tf).grad), host(relative_l2(p, t).grad)), 1e-8);
}

TEST(Loss, BadInputThrows) {
  const auto p = random_tensor<double>({2, 3}, 14);
  const auto t = random_tensor<double>({2, 3}, 15);
  EXPECT_THROW(mse(p, random_tensor<double>({3, 2}, 1)), Error);
  EXPECT_THROW(relative_l2(p, random_tensor<double>({2, 3, 1}, 1)), Error);
  EXPECT_THROW(mse(Tensor<double>(Shape{0}), Tensor<double>(Shape{0})), Error);
  EXPECT_THROW(mse(p, t, INFINITY), Error);
  EXPECT_THROW(relative_l2(p, t, 0), Error);
  EXPECT_THROW(relative_l2(p, t, -2), Error);

  auto with = [&](const Tensor<double>& base, int i, double value) {
    auto v = host(base);
    v[i] = value;
    return tensor<double>(base.shape(), v);
  };
  try {
    relative_l2(p, with(t, 4, NAN));
    FAIL() << "no throw";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("target"), std::string::npos) << what;
    EXPECT_NE(what.find("NaN"), std::string::npos) << what;
    EXPECT_NE(what.find("position 4"), std::string::npos) << what;
  }
  EXPECT_THROW(mse(with(p, 0, INFINITY), t), Error);
  EXPECT_THROW(mse(p, with(t, 5, -INFINITY)), Error);
  EXPECT_THROW(relative_l2(with(p, 2, NAN), t), Error);

  auto zero = host(t);
  for (int m = 3; m < 6; ++m) zero[m] = 0.0;
  try {
    relative_l2(p, tensor<double>({2, 3}, zero));
    FAIL() << "no throw";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("sample 1"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(mse(p, tensor<double>({2, 3}, zero)));  // a zero target is fine for mse
}

}  // namespace
}  // namespace torus::nn
