// Gradient clipping against a norm computed by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "torus/core/error.hpp"
#include "torus/nn/clip.hpp"

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

// Two parameters whose gradients are (3, 4) and (12,) : global norm sqrt(9 + 16 + 144) = 13.
template <class T>
struct TwoParameters {
  Parameter<T> a{"a", {2}}, b{"b", {1}};
  TwoParameters() {
    set(a.grad, {3, 4});
    set(b.grad, {12});
  }
  std::vector<Parameter<T>*> all() { return {&a, &b}; }
};

TEST(Clip, NormIsGlobalAndScalesByPyTorchsCoefficient) {
  TwoParameters<double> p;
  EXPECT_DOUBLE_EQ(gradient_norm(p.all()), 13.0);
  const double norm = clip_grad_norm(p.all(), 6.5);
  EXPECT_DOUBLE_EQ(norm, 13.0);
  const double c = 6.5 / (13.0 + 1e-6);
  EXPECT_DOUBLE_EQ(get(p.a.grad)[0], 3 * c);
  EXPECT_DOUBLE_EQ(get(p.a.grad)[1], 4 * c);
  EXPECT_DOUBLE_EQ(get(p.b.grad)[0], 12 * c);
  EXPECT_LT(gradient_norm(p.all()), 6.5);
  EXPECT_NEAR(gradient_norm(p.all()), 6.5, 1e-6);
}

TEST(Clip, BelowTheBoundNothingChanges) {
  TwoParameters<float> p;
  EXPECT_NEAR(clip_grad_norm(p.all(), 20.0), 13.0, 1e-6);
  EXPECT_EQ(get(p.a.grad), (std::vector<double>{3, 4}));
  EXPECT_EQ(get(p.b.grad), (std::vector<double>{12}));
}

TEST(Clip, NonFiniteNormIsReturnedOrThrown) {
  TwoParameters<double> p;
  set(p.b.grad, {std::numeric_limits<double>::quiet_NaN()});
  EXPECT_TRUE(std::isnan(clip_grad_norm(p.all(), 1.0)));
  EXPECT_EQ(get(p.a.grad), (std::vector<double>{3, 4}));  // left unchanged
  EXPECT_THROW(clip_grad_norm(p.all(), 1.0, true), Error);
  EXPECT_THROW(clip_grad_norm(p.all(), -1.0), Error);
}

TEST(Clip, ValueClampsEachEntry) {
  TwoParameters<double> p;
  set(p.a.grad, {-7, 0.5});
  clip_grad_value(p.all(), 2.0);
  EXPECT_EQ(get(p.a.grad), (std::vector<double>{-2, 0.5}));
  EXPECT_EQ(get(p.b.grad), (std::vector<double>{2}));
  EXPECT_THROW(clip_grad_value(p.all(), -1.0), Error);
}

}  // namespace
}  // namespace torus::nn
