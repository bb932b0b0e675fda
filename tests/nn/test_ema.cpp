// The EMA against its recurrence written out by hand.
#include <gtest/gtest.h>

#include <vector>

#include "torus/core/error.hpp"
#include "torus/nn/ema.hpp"

namespace torus::nn {
namespace {

template <class T>
void set(const Tensor<T>& t, const std::vector<double>& v) {
  auto h = Kokkos::create_mirror_view(t.values());
  for (std::size_t i = 0; i < v.size(); ++i) h(i) = static_cast<T>(v[i]);
  Kokkos::deep_copy(t.values(), h);
}
template <class T>
std::vector<double> get(const Tensor<T>& t) {
  auto h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), t.values());
  return std::vector<double>(h.data(), h.data() + t.size());
}

TEST(Ema, FollowsTheRecurrenceAndSwapsBack) {
  Parameter<double> w("w", {2}), b("b", {1});
  set(w.value, {1.0, -1.0});
  set(b.value, {0.5});
  Ema<double> ema({{"layer.w", &w}, {"layer.b", &b}}, 0.9);

  // theta takes the values 2, 3, 4 (and -2, -3, -4; 0.5 + k); s_0 = theta_0,
  // s_k = 0.9 s_{k-1} + 0.1 theta_k.
  std::vector<double> s = {1.0, -1.0, 0.5};
  for (int k = 1; k <= 3; ++k) {
    const std::vector<double> theta = {1.0 + k, -1.0 - k, 0.5 + k};
    set(w.value, {theta[0], theta[1]});
    set(b.value, {theta[2]});
    ema.update();
    for (auto& [i, t] :
         std::vector<std::pair<int, double>>{{0, theta[0]}, {1, theta[1]}, {2, theta[2]}}) {
      s[i] = 0.9 * s[i] + 0.1 * t;
    }
  }
  auto state = ema.state();
  ASSERT_EQ(state.size(), 2u);
  EXPECT_EQ(state[0].first, "layer.w.ema");
  EXPECT_EQ(state[1].first, "layer.b.ema");
  EXPECT_NEAR(get(state[0].second)[0], s[0], 1e-15);
  EXPECT_NEAR(get(state[0].second)[1], s[1], 1e-15);
  EXPECT_NEAR(get(state[1].second)[0], s[2], 1e-15);

  ema.swap();
  EXPECT_TRUE(ema.swapped());
  EXPECT_NEAR(get(w.value)[0], s[0], 1e-15);
  EXPECT_NEAR(get(b.value)[0], s[2], 1e-15);
  EXPECT_THROW(ema.update(), Error);
  ema.swap();
  EXPECT_FALSE(ema.swapped());
  EXPECT_EQ(get(w.value), (std::vector<double>{4.0, -4.0}));
  EXPECT_EQ(get(b.value), (std::vector<double>{3.5}));
}

TEST(Ema, StateSharesStorage) {
  Parameter<float> w("w", {3});
  Ema<float> ema({{"w", &w}}, 0.5);
  set(ema.state()[0].second, {2, 4, 6});  // as a checkpoint loader would
  ema.update();                           // theta = 0: s <- 0.5 s
  EXPECT_EQ(get(ema.state()[0].second), (std::vector<double>{1, 2, 3}));
}

TEST(Ema, BadDecayThrows) {
  Parameter<double> w("w", {3});
  EXPECT_THROW(Ema<double>({{"w", &w}}, 1.5), Error);
  EXPECT_THROW(Ema<double>({{"w", &w}}, -0.1), Error);
  EXPECT_THROW(Ema<double>({{"w", &w}, {"w", &w}}, 0.9), Error);
}

}  // namespace
}  // namespace torus::nn
