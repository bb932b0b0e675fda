// The checker itself: a small module y = a x^2 (a a parameter) passes when its adjoint is right
// and is flagged, with the entry named, when the input's or the parameter's adjoint is off by a
// factor; the module's parameters and gradients come back as they were.
#include <gtest/gtest.h>

#include <vector>

#include "nn/support.hpp"
#include "torus/nn/gradient_check.hpp"

namespace torus::nn {
namespace {

using testing::host;

// y_i = a_i x_i^2, dx_i = 2 a_i x_i dy_i * input_factor, da_i += x_i^2 dy_i * parameter_factor.
class Square : public Module<double> {
 public:
  Square(std::int64_t n, double input_factor, double parameter_factor)
      : input_factor_(input_factor), parameter_factor_(parameter_factor) {
    a_ = &add_parameter("a", {n});
    fill_uniform(a_->value.values(), RandomKey{3, 3}, 0.5, 1.5);
  }

  Tensor<double> forward(const Tensor<double>& x) override {
    auto y = Tensor<double>::uninitialized(x.shape());
    const double* a = a_->value.data();
    const double* xv = x.data();
    double* yv = y.data();
    Kokkos::parallel_for(
        "test square", x.size(),
        KOKKOS_LAMBDA(const std::int64_t i) { yv[i] = a[i] * xv[i] * xv[i]; });
    if (training()) inputs_.push_back(x);
    return y;
  }

  Tensor<double> backward(const Tensor<double>& dy) override {
    require_forward(!inputs_.empty());
    const auto x = inputs_.back();
    inputs_.pop_back();
    auto dx = Tensor<double>::uninitialized(x.shape());
    const double* a = a_->value.data();
    const double* xv = x.data();
    const double* g = dy.data();
    double* da = a_->grad.data();
    double* dxv = dx.data();
    const double fi = input_factor_;
    const double fp = parameter_factor_;
    Kokkos::parallel_for(
        "test square adjoint", x.size(), KOKKOS_LAMBDA(const std::int64_t i) {
          dxv[i] = fi * 2 * a[i] * xv[i] * g[i];
          da[i] += fp * xv[i] * xv[i] * g[i];
        });
    return dx;
  }

  std::string kind() const override { return "Square"; }
  Parameter<double>& a() { return *a_; }

 private:
  double input_factor_;
  double parameter_factor_;
  Parameter<double>* a_;
  std::vector<Tensor<double>> inputs_;
};

TEST(GradientCheck, CorrectAdjointPasses) {
  Square module(30, 1.0, 1.0);
  const auto report = check_gradients(module, testing::random_tensor<double>({30}, 1));
  EXPECT_LT(report.worst_error, 1e-8) << report.worst;
  EXPECT_EQ(report.checked, 60);
}

TEST(GradientCheck, WrongInputAdjointIsFlagged) {
  Square module(30, 1.1, 1.0);
  const auto report = check_gradients(module, testing::random_tensor<double>({30}, 1));
  // |1.1 g - g| / (1.1 |g|) = 0.09 at any entry whose gradient dominates the scale.
  EXPECT_GT(report.worst_error, 0.05) << report.worst;
  EXPECT_EQ(report.worst.rfind("input[", 0), 0u) << report.worst;
}

TEST(GradientCheck, WrongParameterAdjointIsFlagged) {
  Square module(30, 1.0, 0.5);
  const auto report = check_gradients(module, testing::random_tensor<double>({30}, 1));
  EXPECT_GT(report.worst_error, 0.3) << report.worst;
  EXPECT_EQ(report.worst.rfind("a[", 0), 0u) << report.worst;
}

TEST(GradientCheck, SampledEntriesAndRestoredState) {
  Square module(500, 1.0, 1.0);
  const auto before = host(module.a().value);
  GradientCheckOptions options;
  options.max_entries = 40;
  const auto x = testing::random_tensor<double>({500}, 2);
  const auto x_before = host(x);
  const auto report = check_gradients(module, x, options);
  EXPECT_EQ(report.checked, 80);  // 40 of the input, 40 of the parameter
  EXPECT_EQ(host(module.a().value), before);
  EXPECT_EQ(host(x), x_before);
  EXPECT_EQ(testing::max_abs(host(module.a().grad)), 0.0);
  EXPECT_TRUE(module.training());
}

}  // namespace
}  // namespace torus::nn
