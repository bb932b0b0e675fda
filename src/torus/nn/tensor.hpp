#pragma once
/// \file
/// torus::nn::Tensor: the activations and gradients that flow between modules.
///
/// A Tensor is a shape and one contiguous Kokkos::View holding its values in C order. Fields
/// follow the data contract of the FFT layer, (batch, channel, x, y[, z]); feature vectors are
/// (batch, features). Modules read a Tensor through a rank-R view of the same memory
/// (`as<R>()`), so reshaping never copies.
///
/// \code
/// nn::Tensor<float> x({20, 3, 64, 64}, "x");  // zero-filled
/// auto x4 = x.as<4>();                         // Kokkos::View<float****> over the same data
/// auto y = x.reshaped({20, 3 * 64 * 64});      // shares the data
/// \endcode

#include <Kokkos_Core.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "torus/core/error.hpp"

namespace torus::nn {

/// The memory space module values and gradients live in.
using MemorySpace = Kokkos::DefaultExecutionSpace::memory_space;
using ExecutionSpace = Kokkos::DefaultExecutionSpace;

/// The extents of a Tensor, outermost first.
using Shape = std::vector<std::int64_t>;

/// "(20, 3, 64, 64)", for messages.
std::string shape_text(const Shape& shape);

/// The number of values a tensor of `shape` holds; throws torus::Error on a negative extent.
std::int64_t shape_size(const Shape& shape);

namespace detail {
template <class T, int R>
struct RankedData;
template <class T>
struct RankedData<T, 1> {
  using type = T*;
};
template <class T>
struct RankedData<T, 2> {
  using type = T**;
};
template <class T>
struct RankedData<T, 3> {
  using type = T***;
};
template <class T>
struct RankedData<T, 4> {
  using type = T****;
};
template <class T>
struct RankedData<T, 5> {
  using type = T*****;
};
template <class T>
struct RankedData<T, 6> {
  using type = T******;
};
}  // namespace detail

/// A rank-R, C-ordered, unmanaged View over a Tensor's values (the Tensor keeps them alive).
template <class T, int R>
using RankedView = Kokkos::View<typename detail::RankedData<T, R>::type, Kokkos::LayoutRight,
                                MemorySpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>>;

/// A shape and a contiguous View of values; copies share the values (like a Kokkos::View).
template <class T>
class Tensor {
 public:
  using value_type = T;
  using View = Kokkos::View<T*, Kokkos::LayoutRight, MemorySpace>;

  /// An empty tensor (no shape, no values).
  Tensor() = default;

  /// A zero-filled tensor of `shape`.
  explicit Tensor(Shape shape, const std::string& label = "torus::nn::Tensor")
      : shape_(std::move(shape)), values_(Kokkos::view_alloc(label), shape_size(shape_)) {}

  /// A tensor of `shape` whose values are not initialised: for outputs a kernel fills.
  static Tensor uninitialized(Shape shape, const std::string& label = "torus::nn::Tensor") {
    const auto n = shape_size(shape);
    return Tensor(std::move(shape),
                  View(Kokkos::view_alloc(Kokkos::WithoutInitializing, label), n));
  }

  /// Wraps `values` (at least shape_size(shape) long) as a tensor of `shape`.
  Tensor(Shape shape, View values) : shape_(std::move(shape)), values_(std::move(values)) {
    TORUS_REQUIRE(static_cast<std::int64_t>(values_.extent(0)) >= shape_size(shape_),
                  "a View of " + std::to_string(values_.extent(0)) +
                      " values cannot hold a tensor of shape " + shape_text(shape_),
                  "nn::Tensor", "allocate shape_size(shape) values");
  }

  const Shape& shape() const { return shape_; }
  int rank() const { return static_cast<int>(shape_.size()); }
  /// Extent of axis `axis`; negative axes count from the end, as in NumPy.
  std::int64_t extent(int axis) const {
    return shape_.at(static_cast<std::size_t>(axis < 0 ? axis + rank() : axis));
  }
  std::int64_t size() const { return shape_size(shape_); }
  bool empty() const { return values_.extent(0) == 0 && shape_.empty(); }

  /// The values, C order (its extent may exceed size() for a reshaped slice).
  const View& values() const { return values_; }
  T* data() const { return values_.data(); }

  /// The values as a rank-R View; throws torus::Error when R differs from rank().
  template <int R>
  RankedView<T, R> as() const {
    TORUS_REQUIRE(R == rank(),
                  "a tensor of shape " + shape_text(shape_) + " read as rank " + std::to_string(R),
                  "nn::Tensor::as", "reshape the tensor first");
    return make<R>(std::make_index_sequence<R>());
  }

  /// The same values under another shape of equal size; throws torus::Error otherwise.
  Tensor reshaped(Shape shape) const {
    TORUS_REQUIRE(shape_size(shape) == size(),
                  "cannot reshape " + shape_text(shape_) + " to " + shape_text(shape),
                  "nn::Tensor::reshaped", "keep the number of values");
    return Tensor(std::move(shape), values_);
  }

 private:
  template <int R, std::size_t... I>
  RankedView<T, R> make(std::index_sequence<I...>) const {
    return RankedView<T, R>(values_.data(), static_cast<std::size_t>(shape_[I])...);
  }

  Shape shape_;
  View values_;
};

/// A new tensor of `like`'s shape holding a copy of its values.
template <class T>
Tensor<T> clone(const Tensor<T>& like, const std::string& label = "torus::nn::Tensor") {
  Tensor<T> copy(like.shape(), label);
  const auto n = static_cast<std::size_t>(like.size());
  Kokkos::deep_copy(copy.values(),
                    Kokkos::subview(like.values(), std::make_pair(std::size_t{0}, n)));
  return copy;
}

/// Throws torus::Error naming `who` and `role` unless `t` has exactly `expected` shape
/// (entries of -1 in `expected` match any extent).
void require_shape(const Shape& actual, const Shape& expected, const std::string& who,
                   const std::string& role);

}  // namespace torus::nn
