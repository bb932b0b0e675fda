// Activations against the std:: formulas of the header, in float and double; their adjoints
// against finite differences (ReLU away from its kink at 0); names and bad options; the float
// erf of GELU against erf in double on a dense grid, and the float GELU against the double one.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <vector>

#include "nn/support.hpp"
#include "torus/nn/activation.hpp"
#include "torus/nn/gradient_check.hpp"

namespace torus::nn {
namespace {

using testing::host;
using testing::max_abs;
using testing::max_difference;
using testing::random_tensor;

const std::vector<ActivationKind> kinds = {ActivationKind::gelu, ActivationKind::relu,
                                           ActivationKind::silu, ActivationKind::sin};

// f(x) written independently of the library, with w the sine's frequency.
double reference(ActivationKind kind, double x, double w) {
  switch (kind) {
    case ActivationKind::gelu:
      return 0.5 * x * std::erfc(-x / std::sqrt(2.0));
    case ActivationKind::relu:
      return std::max(x, 0.0);
    case ActivationKind::silu:
      return x * (1.0 / (1.0 + std::exp(-x)));
    case ActivationKind::sin:
      return std::sin(w * x);
  }
  return NAN;
}

template <class T>
void check_values(double tolerance) {
  const double w = 2.5;
  for (const auto kind : kinds) {
    Activation<T> f(kind, w);
    const auto x = random_tensor<T>({3, 4, 5}, 17);
    const auto y = f.forward(x);
    ASSERT_EQ(y.shape(), x.shape());
    const auto xs = host(x);
    const auto ys = host(y);
    for (std::size_t i = 0; i < xs.size(); ++i) {
      const double want = reference(kind, static_cast<double>(xs[i]), w);
      EXPECT_NEAR(ys[i], want, tolerance * (1 + std::abs(want)))
          << to_string(kind) << " at " << xs[i];
    }
    // forward() does not touch its input.
    EXPECT_EQ(testing::max_difference(host(x), xs), 0.0);
  }
}

TEST(Activation, ValuesMatchFormulasDouble) { check_values<double>(1e-14); }
TEST(Activation, ValuesMatchFormulasFloat) { check_values<float>(1e-6); }

TEST(Activation, KnownValues) {
  auto at = [](ActivationKind kind, double x) {
    Activation<double> f(kind);
    return host(f.forward(testing::tensor<double>({1}, {x})))[0];
  };
  EXPECT_NEAR(at(ActivationKind::gelu, 1.0), 0.8413447460685429, 1e-15);  // Phi(1)
  EXPECT_EQ(at(ActivationKind::relu, -2.0), 0.0);
  EXPECT_EQ(at(ActivationKind::relu, 3.0), 3.0);
  EXPECT_NEAR(at(ActivationKind::silu, 0.0), 0.0, 1e-300);
  EXPECT_NEAR(at(ActivationKind::sin, 1.0), std::sin(1.0), 1e-15);
}

TEST(Activation, GradientsMatchFiniteDifferences) {
  for (const auto kind : kinds) {
    Activation<double> f(kind, 1.7);
    auto x = random_tensor<double>({2, 3, 4, 4}, 23);
    if (kind == ActivationKind::relu) {
      // Away from the kink: |x| >= 0.1 keeps x +- h on one side.
      auto v = host(x);
      for (auto& e : v) e = (e < 0 ? -0.1 : 0.1) + e;
      x = testing::tensor<double>(x.shape(), v);
    }
    GradientCheckOptions options;
    options.max_entries = 0;  // all 96 entries
    const auto report = check_gradients(f, x, options);
    EXPECT_LT(report.worst_error, 1e-7) << to_string(kind) << ": " << report.worst;
    EXPECT_EQ(report.checked, 96);
  }
}

TEST(Activation, HelpersMatchModule) {
  const auto x = random_tensor<double>({50}, 4);
  const auto dy = random_tensor<double>({50}, 5);
  for (const auto kind : kinds) {
    Activation<double> f(kind, 0.5);
    const auto y = host(f.forward(x));
    const auto dx = host(f.backward(dy));
    auto in_place = clone(x);
    apply_activation<double>(kind, in_place.data(), in_place.size(), 0.5);
    EXPECT_EQ(host(in_place), y);
    Tensor<double> adj({50});
    activation_adjoint<double>(kind, x.data(), dy.data(), adj.data(), 50, 0.5);
    EXPECT_EQ(host(adj), dx);
  }
}

TEST(Activation, NamesAndBadOptions) {
  for (const auto kind : kinds) EXPECT_EQ(parse_activation(to_string(kind)), kind);
  EXPECT_THROW(parse_activation("tanh"), Error);
  EXPECT_THROW(Activation<double>(ActivationKind::sin, 0.0), Error);
  EXPECT_THROW(Activation<double>(ActivationKind::sin, INFINITY), Error);
  Activation<double> f(ActivationKind::gelu);
  EXPECT_THROW(f.backward(Tensor<double>({3})), Error);  // no forward
  f.forward(Tensor<double>({3}));
  EXPECT_THROW(f.backward(Tensor<double>({4})), Error);  // wrong shape
  EXPECT_EQ(f.config()["function"], "gelu");
  EXPECT_EQ(Activation<double>(ActivationKind::sin, 3.0).config()["frequency"], 3.0);
}

TEST(Activation, FloatErfWithinFloatUlpsOfErf) {
  // A dense grid of float x on [-5, 5] (and the tiny ones near 0), against erf in double: the
  // error in units of the float spacing at erf(x), and relative.
  double worst_ulps = 0.0, worst_relative = 0.0;
  std::vector<float> xs;
  for (int i = -2000000; i <= 2000000; ++i) xs.push_back(static_cast<float>(i) * 2.5e-6f);
  for (float x = 1e-30f; x < 1e-3f; x *= 1.7f) xs.push_back(x);
  for (const float x : xs) {
    const double want = std::erf(static_cast<double>(x));
    const double got = detail::erf_float(x);
    const float w = static_cast<float>(want);
    const double ulp = std::nextafter(std::abs(w), INFINITY) - std::abs(w);
    worst_ulps = std::max(worst_ulps, std::abs(got - want) / ulp);
    if (x != 0.0f) worst_relative = std::max(worst_relative, std::abs(got - want) / std::abs(want));
  }
  EXPECT_LT(worst_ulps, 2.5);
  EXPECT_LT(worst_relative, 2e-7);
  EXPECT_GT(worst_ulps, 0.3);  // the grid does reach the approximation's error
  EXPECT_EQ(detail::erf_float(INFINITY), 1.0f);
  EXPECT_EQ(detail::erf_float(-INFINITY), -1.0f);
  EXPECT_EQ(detail::erf_float(0.0f), 0.0f);
  EXPECT_TRUE(std::isnan(detail::erf_float(NAN)));
}

TEST(Activation, FloatExpOfNonPositiveWithinFloatUlpsOfExp) {
  // GELU's derivative takes exp(-x^2/2) from exp_nonpositive_float: a dense grid of x on
  // [-87, 0] against exp in double, and the clamp below -87.
  double worst_relative = 0.0;
  for (int i = 0; i <= 8700000; ++i) {
    const float x = -static_cast<float>(i) * 1e-5f;
    const double want = std::exp(static_cast<double>(x));
    const double got = detail::exp_nonpositive_float(x);
    worst_relative = std::max(worst_relative, std::abs(got - want) / want);
  }
  EXPECT_LT(worst_relative, 3e-7);
  EXPECT_GT(worst_relative, 1e-8);  // the grid does reach the approximation's error
  EXPECT_EQ(detail::exp_nonpositive_float(0.0f), 1.0f);
  EXPECT_LT(detail::exp_nonpositive_float(-1000.0f), 2e-38f);
  EXPECT_GE(detail::exp_nonpositive_float(-1000.0f), 0.0f);
  EXPECT_LT(detail::exp_nonpositive_float(-INFINITY), 2e-38f);
  EXPECT_TRUE(std::isnan(detail::exp_nonpositive_float(NAN)));
}

TEST(Activation, FloatGeluKernelsPropagateNaN) {
  // The vectorised kernels (not the scalar functions above) keep a NaN a NaN, forward and back,
  // so a blown-up activation is not hidden as a finite number.
  Tensor<float> x({1, 64}, "x");
  auto h = Kokkos::create_mirror_view(x.values());
  for (int i = 0; i < 64; ++i) h(i) = static_cast<float>(i - 32) * 0.25f;
  h(5) = NAN;
  Kokkos::deep_copy(x.values(), h);
  Activation<float> f(ActivationKind::gelu);
  const auto y = host(f.forward(x));
  Tensor<float> dy({1, 64}, "dy");
  Kokkos::deep_copy(dy.values(), 1.0f);
  const auto dx = host(f.backward(dy));
  for (int i = 0; i < 64; ++i) {
    EXPECT_EQ(std::isnan(y[i]), i == 5) << i;
    EXPECT_EQ(std::isnan(dx[i]), i == 5) << i;
  }
}

TEST(Activation, FloatGeluMatchesDoubleGelu) {
  // The float GELU (with erf_float) against the double one (std::erf), forward and adjoint.
  const auto x = random_tensor<double>({4, 1000}, 7);
  const auto dy = random_tensor<double>({4, 1000}, 8);
  Activation<double> exact(ActivationKind::gelu);
  Activation<float> single(ActivationKind::gelu);
  const auto y = host(exact.forward(x));
  const auto dx = host(exact.backward(dy));
  const auto yf = host(single.forward(testing::cast<float>(x)));
  const auto dxf = host(single.backward(testing::cast<float>(dy)));
  EXPECT_LT(max_difference(yf, y), 1e-6 * (1 + max_abs(y)));
  EXPECT_LT(max_difference(dxf, dx), 1e-6 * (1 + max_abs(dx)));
}

}  // namespace
}  // namespace torus::nn
