// FNO2d: the grid channels as torch.linspace(0, 1, n) gives them, the structure (children,
// parameter names and count by the formula), the forward pass against the reference code's
// composition written out with the model's own layers, finite-difference gradients of a small
// model, and bad input.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "torus/core/error.hpp"
#include "torus/core/random.hpp"
#include "torus/nn/activation.hpp"
#include "torus/nn/gradient_check.hpp"
#include "torus/operators/fno.hpp"

namespace torus::operators {
namespace {

template <class T>
std::vector<double> host_values(const nn::Tensor<T>& t) {
  auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), t.values());
  std::vector<double> values(static_cast<std::size_t>(t.size()));
  for (std::size_t q = 0; q < values.size(); ++q) values[q] = static_cast<double>(host(q));
  return values;
}

template <class T>
nn::Tensor<T> random_tensor(nn::Shape shape, std::uint64_t seed) {
  nn::Tensor<T> t(std::move(shape));
  fill_normal(t.values(), RandomKey{seed, 3});
  return t;
}

FNO2dOptions small_options() {
  FNO2dOptions o;
  o.modes1 = 3;
  o.modes2 = 3;
  o.width = 4;
  o.layers = 2;
  o.in_channels = 3;
  o.out_channels = 2;
  o.projection = 6;
  o.planning = fft::Planning::estimate;
  return o;
}

TEST(FNO2d, GridChannelsAreLinspaceIncludingOne) {
  const auto x = random_tensor<double>({2, 3, 5, 4}, 1);
  const auto xg = append_grid_channels(x);
  ASSERT_EQ(xg.shape(), (nn::Shape{2, 5, 5, 4}));
  const auto in = host_values(x);
  const auto out = host_values(xg);
  for (int b = 0; b < 2; ++b) {
    for (int c = 0; c < 5; ++c) {
      for (int i = 0; i < 5; ++i) {
        for (int j = 0; j < 4; ++j) {
          const double got = out[((b * 5 + c) * 5 + i) * 4 + j];
          const double want = c < 3    ? in[((b * 3 + c) * 5 + i) * 4 + j]
                              : c == 3 ? i / 4.0
                                       : j / 3.0;
          EXPECT_EQ(got, want) << b << " " << c << " " << i << " " << j;
        }
      }
    }
  }
  EXPECT_THROW(append_grid_channels(nn::Tensor<double>({2, 3, 4})), Error);
}

TEST(FNO2d, StructureAndParameterCount) {
  FNO2dOptions o;  // the paper's model: 10 -> 1, width 32, modes 12, 4 layers, projection 128
  o.planning = fft::Planning::estimate;
  FNO2d<float> model(o, RandomKey{5});
  const std::int64_t w = 32;
  const std::int64_t expected =
      (12 * w + w) + 4 * (w * w * 24 * 12 * 2 + w * w + w) + (w * 128 + 128) + (128 * 1 + 1);
  EXPECT_EQ(model.parameter_count(), expected);
  std::vector<std::string> names;
  for (auto& [name, p] : model.named_parameters()) names.push_back(name);
  ASSERT_EQ(names.size(), 2u + 4 * 3 + 4);
  EXPECT_EQ(names[0], "lift.weight");
  EXPECT_EQ(names[2], "blocks.0.spectral.weight");
  EXPECT_EQ(names[3], "blocks.0.pointwise.weight");
  EXPECT_EQ(names.back(), "output.bias");
  EXPECT_EQ(model.spectral(3).weight().value.shape(), (nn::Shape{32, 32, 24, 12, 2}));
  EXPECT_EQ(model.config().dump(),
            R"({"in_channels":10,"layers":4,"modes1":12,"modes2":12,"out_channels":1,)"
            R"("projection":128,"width":32})");
  EXPECT_EQ(model.kind(), "FNO2d");
}

// y = Q2 GELU(Q1 h_L), h_{l+1} = GELU(K_l h_l + W_l h_l) except after the last block,
// h_0 = P(x, grid), computed here layer by layer with the model's layers.
TEST(FNO2d, ForwardIsTheReferenceComposition) {
  auto o = small_options();
  o.layers = 3;
  FNO2d<double> model(o, RandomKey{6});
  model.train(false);
  const auto x = random_tensor<double>({2, 3, 8, 10}, 2);
  const auto y = model.forward(x);
  ASSERT_EQ(y.shape(), (nn::Shape{2, 2, 8, 10}));

  auto gelu = [](const nn::Tensor<double>& t) {
    auto r = clone(t);
    nn::apply_activation<double>(nn::ActivationKind::gelu, r.data(), r.size());
    return r;
  };
  auto h = model.lift().forward(append_grid_channels(x));
  for (int l = 0; l < o.layers; ++l) {
    const auto k = host_values(model.spectral(l).forward(h));
    const auto w = host_values(model.pointwise(l).forward(h));
    nn::Tensor<double> s(h.shape());
    auto host = Kokkos::create_mirror_view(s.values());
    for (std::size_t q = 0; q < k.size(); ++q) host(q) = k[q] + w[q];
    Kokkos::deep_copy(s.values(), host);
    h = l + 1 < o.layers ? gelu(s) : s;
  }
  const auto expected = host_values(model.output().forward(gelu(model.project().forward(h))));
  const auto actual = host_values(y);
  ASSERT_EQ(actual.size(), expected.size());
  for (std::size_t q = 0; q < actual.size(); ++q) EXPECT_DOUBLE_EQ(actual[q], expected[q]);
}

TEST(FNO2d, GradientsMatchFiniteDifferences) {
  FNO2d<double> model(small_options(), RandomKey{7});
  const auto x = random_tensor<double>({2, 3, 8, 8}, 3);
  nn::GradientCheckOptions options;
  options.max_entries = 100;
  const auto report = nn::check_gradients(model, x, options);
  EXPECT_LT(report.worst_error, 1e-6) << report.worst;
  EXPECT_GT(report.checked, 400);  // the input and the 12 parameters
}

TEST(FNO2d, TwoForwardsThenTwoBackwards) {
  // Backpropagation through a rollout: the gradient of <r1, f(x1)> + <r2, f(x2)> is the sum of
  // the gradients of each, whichever way the passes interleave.
  FNO2d<double> model(small_options(), RandomKey{8});
  const auto x1 = random_tensor<double>({1, 3, 8, 8}, 4);
  const auto x2 = random_tensor<double>({1, 3, 8, 8}, 5);
  const auto r1 = random_tensor<double>({1, 2, 8, 8}, 6);
  const auto r2 = random_tensor<double>({1, 2, 8, 8}, 7);
  model.zero_grad();
  model.forward(x1);
  const auto d1 = host_values(model.backward(r1));
  model.forward(x2);
  const auto d2 = host_values(model.backward(r2));
  const auto separate = host_values(model.lift().weight().grad);
  model.zero_grad();
  model.forward(x1);
  model.forward(x2);
  const auto e2 = host_values(model.backward(r2));
  const auto e1 = host_values(model.backward(r1));
  const auto stacked = host_values(model.lift().weight().grad);
  for (std::size_t q = 0; q < d1.size(); ++q) {
    EXPECT_NEAR(d1[q], e1[q], 1e-12);
    EXPECT_NEAR(d2[q], e2[q], 1e-12);
  }
  for (std::size_t q = 0; q < separate.size(); ++q) EXPECT_NEAR(separate[q], stacked[q], 1e-12);
}

TEST(FNO2d, RejectsBadInput) {
  auto o = small_options();
  o.layers = 0;
  EXPECT_THROW(FNO2d<double>(o, RandomKey{}), Error);
  FNO2d<double> model(small_options(), RandomKey{});
  EXPECT_THROW(model.backward(nn::Tensor<double>({1, 2, 8, 8})), Error);  // no forward
  EXPECT_THROW(model.forward(nn::Tensor<double>({1, 4, 8, 8})), Error);   // channels
  EXPECT_THROW(model.forward(nn::Tensor<double>({1, 3, 8})), Error);      // rank
  EXPECT_THROW(model.forward(nn::Tensor<double>({1, 3, 5, 8})), Error);   // 2 modes1 > 5
  EXPECT_THROW(model.forward(nn::Tensor<double>({1, 3, 8, 3})), Error);   // modes2 > 3/2 + 1
  model.forward(nn::Tensor<double>({1, 3, 6, 4}));                        // the smallest grid
}

}  // namespace
}  // namespace torus::operators
