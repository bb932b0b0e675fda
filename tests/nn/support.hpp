#pragma once
// What the nn tests share: tensors built from and read back into host vectors, random tensors,
// and the largest difference between two of them. Tests may loop over host data; the library
// may not.

#include <Kokkos_Core.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "torus/core/random.hpp"
#include "torus/nn/tensor.hpp"

namespace torus::nn::testing {

/// The values of `t` in C order, on the host.
template <class T>
std::vector<T> host(const Tensor<T>& t) {
  auto mirror = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), t.values());
  return std::vector<T>(mirror.data(), mirror.data() + t.size());
}

/// A tensor of `shape` holding `values` (C order).
template <class T>
Tensor<T> tensor(const Shape& shape, const std::vector<T>& values) {
  Tensor<T> t(shape, "test tensor");
  auto mirror = Kokkos::create_mirror_view(t.values());
  for (std::size_t i = 0; i < values.size(); ++i) mirror(i) = values[i];
  Kokkos::deep_copy(t.values(), mirror);
  return t;
}

/// A tensor of `shape` with standard normal values of stream (seed, stream).
template <class T>
Tensor<T> random_tensor(const Shape& shape, std::uint64_t seed, std::uint64_t stream = 0) {
  Tensor<T> t(shape, "test random tensor");
  fill_normal(t.values(), RandomKey{seed, stream});
  return t;
}

/// The same values in another precision.
template <class To, class From>
Tensor<To> cast(const Tensor<From>& t) {
  const auto values = host(t);
  return tensor<To>(t.shape(), std::vector<To>(values.begin(), values.end()));
}

/// max_i |a_i - b_i|, in double.
template <class A, class B>
double max_difference(const std::vector<A>& a, const std::vector<B>& b) {
  double worst = a.size() == b.size() ? 0.0 : INFINITY;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    worst = std::max(worst, std::abs(static_cast<double>(a[i]) - static_cast<double>(b[i])));
  }
  return worst;
}

/// max_i |a_i|, in double.
template <class A>
double max_abs(const std::vector<A>& a) {
  double worst = 0.0;
  for (const auto v : a) worst = std::max(worst, std::abs(static_cast<double>(v)));
  return worst;
}

}  // namespace torus::nn::testing
