// Adam and AdamW against PyTorch 1.13's published update rule, written out here as a scalar loop,
// and against numbers PyTorch itself produced.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "torus/core/error.hpp"
#include "torus/nn/optimizer.hpp"

namespace torus::nn {
namespace {

template <class T>
std::vector<double> to_host(const Tensor<T>& t) {
  auto h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), t.values());
  return std::vector<double>(h.data(), h.data() + t.size());
}

template <class T>
void from_host(const Tensor<T>& t, const std::vector<double>& v) {
  auto h = Kokkos::create_mirror_view(t.values());
  for (std::size_t i = 0; i < v.size(); ++i) h(i) = static_cast<T>(v[i]);
  Kokkos::deep_copy(t.values(), h);
}

// The problem of every test: 5 values theta_i = 0.3 i - 0.5, gradient at step k (0-based)
//   g_i = 2 (theta_i - 0.1 i) + 0.1 cos(k + i),
// learning rate 0.05 / (1 + k) set before step k.
constexpr int kSize = 5;
constexpr int kSteps = 6;
std::vector<double> initial_theta() {
  std::vector<double> theta(kSize);
  for (int i = 0; i < kSize; ++i) theta[i] = 0.3 * i - 0.5;
  return theta;
}
std::vector<double> gradient(const std::vector<double>& theta, int k) {
  std::vector<double> g(kSize);
  for (int i = 0; i < kSize; ++i) g[i] = 2 * (theta[i] - 0.1 * i) + 0.1 * std::cos(k + i);
  return g;
}
double rate(int k) { return 0.05 / (1 + k); }

// torch.optim.Adam / AdamW (1.13, single tensor, no amsgrad), element by element in double.
std::vector<double> reference(const AdamOptions& o, bool decoupled) {
  auto theta = initial_theta();
  std::vector<double> m(kSize, 0.0), v(kSize, 0.0);
  for (int k = 0; k < kSteps; ++k) {
    const double lr = rate(k);
    const auto grad = gradient(theta, k);
    const int t = k + 1;
    const double bc1 = 1 - std::pow(o.beta1, t), bc2 = 1 - std::pow(o.beta2, t);
    for (int i = 0; i < kSize; ++i) {
      double g = grad[i];
      if (decoupled) {
        theta[i] *= 1 - lr * o.weight_decay;
      } else {
        g += o.weight_decay * theta[i];
      }
      m[i] = o.beta1 * m[i] + (1 - o.beta1) * g;
      v[i] = o.beta2 * v[i] + (1 - o.beta2) * g * g;
      theta[i] -= lr / bc1 * m[i] / (std::sqrt(v[i]) / std::sqrt(bc2) + o.eps);
    }
  }
  return theta;
}

template <class T>
std::vector<double> run(Optimizer<T>& opt, Parameter<T>& p, int steps) {
  for (int k = 0; k < steps; ++k) {
    opt.set_learning_rate(rate(k));
    from_host(p.grad, gradient(to_host(p.value), k));
    opt.step();
  }
  return to_host(p.value);
}

AdamOptions adam_options() {
  AdamOptions o;
  o.weight_decay = 0.1;
  return o;
}
AdamWOptions adamw_options() {
  AdamWOptions o;
  o.beta1 = 0.8;
  o.beta2 = 0.99;
  o.weight_decay = 0.05;
  return o;
}

// Produced with /usr/bin/python3 and torch 1.13 in float64: torch.optim.Adam([theta], lr,
// weight_decay=0.1) and AdamW(..., betas=(0.8, 0.99), weight_decay=0.05) on the problem above,
// setting param_groups[0]['lr'] before each of the 6 steps and printing theta with "%.17g".
const std::vector<double> kTorchAdam = {-0.37766097962217909, -0.078408408299148399,
                                        0.20395588750327315, 0.28202148194185689,
                                        0.57817875002485564};
const std::vector<double> kTorchAdamW = {-0.37499700279316156, -0.078055851855986902,
                                         0.20209913443353239, 0.28444433673065178,
                                         0.57483826206572552};

TEST(Optimizer, DefaultsArePyTorchs) {
  const AdamOptions a;
  EXPECT_EQ(a.lr, 1e-3);
  EXPECT_EQ(a.beta1, 0.9);
  EXPECT_EQ(a.beta2, 0.999);
  EXPECT_EQ(a.eps, 1e-8);
  EXPECT_EQ(a.weight_decay, 0.0);
  EXPECT_EQ(AdamWOptions().weight_decay, 1e-2);
  EXPECT_EQ(AdamWOptions().lr, 1e-3);
}

TEST(Optimizer, AdamMatchesTheScalarRuleAndPyTorch) {
  Parameter<double> p("theta", {kSize});
  from_host(p.value, initial_theta());
  Adam<double> opt({{"theta", &p}}, adam_options());
  const auto ours = run(opt, p, kSteps);
  const auto expected = reference(adam_options(), false);
  EXPECT_EQ(opt.steps(), kSteps);
  for (int i = 0; i < kSize; ++i) {
    EXPECT_NEAR(ours[i], expected[i], 1e-15) << i;
    EXPECT_NEAR(ours[i], kTorchAdam[i], 1e-14) << i;
    // The decay matters: without it the answer moves by far more than the tolerance.
    EXPECT_GT(std::abs(expected[i] - reference(AdamOptions(), false)[i]), 1e-6) << i;
  }
}

TEST(Optimizer, AdamWMatchesTheScalarRuleAndPyTorch) {
  Parameter<double> p("theta", {kSize});
  from_host(p.value, initial_theta());
  AdamW<double> opt({{"theta", &p}}, adamw_options());
  const auto ours = run(opt, p, kSteps);
  const auto expected = reference(adamw_options(), true);
  for (int i = 0; i < kSize; ++i) {
    EXPECT_NEAR(ours[i], expected[i], 1e-15) << i;
    EXPECT_NEAR(ours[i], kTorchAdamW[i], 1e-14) << i;
    // Decoupled decay is not the L2 penalty of Adam.
    EXPECT_GT(std::abs(expected[i] - reference(adamw_options(), false)[i]), 1e-6) << i;
  }
}

TEST(Optimizer, FloatFollowsTheDoubleReference) {
  Parameter<float> p("theta", {kSize});
  from_host(p.value, initial_theta());
  AdamW<float> opt({{"theta", &p}}, adamw_options());
  const auto ours = run(opt, p, kSteps);
  const auto expected = reference(adamw_options(), true);
  // 6 steps of relative rounding ~6e-8 on values of order 1.
  for (int i = 0; i < kSize; ++i) EXPECT_NEAR(ours[i], expected[i], 2e-6) << i;
}

TEST(Optimizer, StateSharesStorageSoACheckpointResumesExactly) {
  // Run 3 steps, copy the state into a fresh optimiser through state(), run 3 more steps on
  // both: the resumed run must equal the uninterrupted one bit for bit.
  Parameter<double> p("layer.weight", {kSize}), q("layer.weight", {kSize});
  from_host(p.value, initial_theta());
  Adam<double> first({{"layer.weight", &p}}, adam_options());
  for (int k = 0; k < 3; ++k) {
    first.set_learning_rate(rate(k));
    from_host(p.grad, gradient(to_host(p.value), k));
    first.step();
  }
  Kokkos::deep_copy(q.value.values(), p.value.values());
  Adam<double> second({{"layer.weight", &q}}, adam_options());
  auto from = first.state();
  auto to = second.state();
  ASSERT_EQ(from.size(), 2u);
  EXPECT_EQ(from[0].first, "layer.weight.exp_avg");
  EXPECT_EQ(from[1].first, "layer.weight.exp_avg_sq");
  for (std::size_t s = 0; s < to.size(); ++s) {
    EXPECT_EQ(to_host(to[s].second), std::vector<double>(kSize, 0.0));
    Kokkos::deep_copy(to[s].second.values(), from[s].second.values());
  }
  second.set_steps(first.steps());
  for (int k = 3; k < kSteps; ++k) {
    first.set_learning_rate(rate(k));
    second.set_learning_rate(rate(k));
    from_host(p.grad, gradient(to_host(p.value), k));
    from_host(q.grad, gradient(to_host(q.value), k));
    first.step();
    second.step();
  }
  EXPECT_EQ(to_host(p.value), to_host(q.value));
  const auto expected = reference(adam_options(), false);
  for (int i = 0; i < kSize; ++i) EXPECT_NEAR(to_host(p.value)[i], expected[i], 1e-15) << i;
}

TEST(Optimizer, ZeroGradientZeroDecayLeavesParametersAndDecayShrinksThem) {
  Parameter<double> p("w", {3});
  from_host(p.value, {1.0, -2.0, 0.5});
  AdamW<double> opt({{"w", &p}}, AdamWOptions());
  opt.set_learning_rate(0.1);
  opt.step();  // g = 0: m = v = 0, so only the decay acts: theta (1 - 0.1 * 0.01)
  const auto after = to_host(p.value);
  EXPECT_DOUBLE_EQ(after[0], 1.0 * 0.999);
  EXPECT_DOUBLE_EQ(after[1], -2.0 * 0.999);
  EXPECT_EQ(opt.config()["kind"], "AdamW");
  EXPECT_EQ(opt.config()["weight_decay"], 0.01);
}

TEST(Optimizer, BadOptionsAndParametersThrow) {
  Parameter<double> p("w", {3});
  AdamOptions bad;
  bad.beta2 = 1.0;
  EXPECT_THROW(Adam<double>({{"w", &p}}, bad), Error);
  bad = AdamOptions();
  bad.lr = -1;
  EXPECT_THROW(Adam<double>({{"w", &p}}, bad), Error);
  EXPECT_THROW(Adam<double>({{"w", &p}, {"w", &p}}), Error);
  EXPECT_THROW(Adam<double>({{"w", nullptr}}), Error);
  Adam<double> opt({{"w", &p}});
  EXPECT_THROW(opt.set_learning_rate(std::nan("")), Error);
  EXPECT_THROW(opt.set_steps(-1), Error);
}

}  // namespace
}  // namespace torus::nn
