// Sequential: forward is the children in order and backward their adjoints in reverse, checked
// against the same modules applied by hand and against finite differences, also through two
// forward passes undone by two backward passes (a rollout); names, config, modes and errors.
#include <gtest/gtest.h>

#include <memory>

#include "nn/support.hpp"
#include "torus/nn/activation.hpp"
#include "torus/nn/gradient_check.hpp"
#include "torus/nn/linear.hpp"
#include "torus/nn/sequential.hpp"

namespace torus::nn {
namespace {

using testing::host;
using testing::max_difference;
using testing::random_tensor;

void build(Sequential<double>& net) {
  net.add(std::make_unique<Linear<double>>(3, 5, RandomKey{1, 0}));
  net.emplace<Activation<double>>(ActivationKind::silu);
  net.emplace<Linear<double>>(5, 2, RandomKey{1, 1});
}

TEST(Sequential, ForwardAndBackwardMatchTheChildrenByHand) {
  Sequential<double> net;
  build(net);
  Linear<double> a(3, 5, RandomKey{1, 0});
  Activation<double> f(ActivationKind::silu);
  Linear<double> b(5, 2, RandomKey{1, 1});

  const auto x = random_tensor<double>({4, 3}, 2);
  const auto y = net.forward(x);
  const auto want = b.forward(f.forward(a.forward(x)));
  EXPECT_EQ(max_difference(host(y), host(want)), 0.0);

  const auto dy = random_tensor<double>({4, 2}, 3);
  net.zero_grad();
  const auto dx = net.backward(dy);
  const auto want_dx = a.backward(f.backward(b.backward(dy)));
  EXPECT_EQ(max_difference(host(dx), host(want_dx)), 0.0);
  EXPECT_EQ(max_difference(host(net.parameters()[0]->grad), host(a.weight().grad)), 0.0);
  EXPECT_EQ(max_difference(host(net.parameters()[3]->grad), host(b.bias().grad)), 0.0);
}

TEST(Sequential, GradientsMatchFiniteDifferences) {
  Sequential<double> net;
  build(net);
  const auto report = check_gradients(net, random_tensor<double>({6, 3}, 4));
  EXPECT_LT(report.worst_error, 1e-7) << report.worst;
}

// f(f(x)) with one chain: two forwards pushed, two backwards popped in reverse.
class Twice : public Module<double> {
 public:
  explicit Twice(Sequential<double>& inner) : inner_(inner) {}
  Tensor<double> forward(const Tensor<double>& x) override {
    return inner_.forward(inner_.forward(x));
  }
  Tensor<double> backward(const Tensor<double>& dy) override {
    return inner_.backward(inner_.backward(dy));
  }
  std::string kind() const override { return "Twice"; }
  std::vector<std::pair<std::string, Module<double>*>> children() override {
    return {{"inner", &inner_}};
  }

 private:
  Sequential<double>& inner_;
};

TEST(Sequential, RolloutGradientsMatchFiniteDifferences) {
  Sequential<double> net;
  net.emplace<Linear<double>>(3, 4, RandomKey{2, 0});
  net.emplace<Activation<double>>(ActivationKind::gelu);
  net.emplace<Linear<double>>(4, 3, RandomKey{2, 1});
  Twice twice(net);
  const auto report = check_gradients(twice, random_tensor<double>({5, 3}, 6));
  EXPECT_LT(report.worst_error, 1e-7) << report.worst;
}

TEST(Sequential, NamesConfigAndReferences) {
  Sequential<double> net;
  auto& first = net.emplace<Linear<double>>(3, 5, RandomKey{1, 0});
  EXPECT_EQ(&first, &net[0]);
  EXPECT_EQ(first.out(), 5);
  net.emplace<Activation<double>>(ActivationKind::relu);
  auto& last = net.add(std::make_unique<Linear<double>>(5, 2, RandomKey{1, 1}));
  EXPECT_EQ(&last, &net[2]);
  EXPECT_EQ(net.size(), 3u);

  std::vector<std::string> names;
  for (auto& [name, p] : net.named_parameters()) names.push_back(name);
  EXPECT_EQ(names, (std::vector<std::string>{"0.weight", "0.bias", "2.weight", "2.bias"}));
  EXPECT_EQ(net.parameter_count(), 3 * 5 + 5 + 5 * 2 + 2);

  const auto config = net.config();
  ASSERT_EQ(config["children"].size(), 3u);
  EXPECT_EQ(config["children"][0]["kind"], "Linear");
  EXPECT_EQ(config["children"][1]["config"]["function"], "relu");
  EXPECT_EQ(config["children"][2]["config"]["out"], 2);
  EXPECT_THROW(net[3], Error);
  EXPECT_THROW(net.add(std::unique_ptr<Linear<double>>()), Error);
}

TEST(Sequential, ModesReachTheChildren) {
  Sequential<double> net;
  net.train(false);
  auto& linear = net.emplace<Linear<double>>(2, 2, RandomKey{});
  EXPECT_FALSE(linear.training());  // takes the chain's mode when added
  net.forward(Tensor<double>({1, 2}));
  EXPECT_THROW(net.backward(Tensor<double>({1, 2})), Error);  // nothing kept
  net.train(true);
  EXPECT_TRUE(linear.training());
  net.forward(Tensor<double>({1, 2}));
  EXPECT_THROW(net.backward(Tensor<double>({1, 3})), Error);  // wrong gradient shape
}

TEST(Sequential, EmptyIsTheIdentity) {
  Sequential<float> net;
  const auto x = random_tensor<float>({3, 2}, 1);
  EXPECT_EQ(host(net.forward(x)), host(x));
  EXPECT_EQ(host(net.backward(x)), host(x));
  EXPECT_EQ(net.parameter_count(), 0);
}

}  // namespace
}  // namespace torus::nn
