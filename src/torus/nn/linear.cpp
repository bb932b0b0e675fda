#include "torus/nn/linear.hpp"

#include <cmath>
#include <string>

#include "torus/nn/gemm.hpp"

namespace torus::nn {

namespace detail {

AxisSplit split_around(const Shape& shape, int axis, std::int64_t features, const std::string& who,
                       const std::string& role) {
  TORUS_REQUIRE(axis >= 0 && axis < static_cast<int>(shape.size()),
                role + " of shape " + shape_text(shape) + " has no axis " + std::to_string(axis),
                who, "pass a tensor with the axis the map acts along");
  TORUS_REQUIRE(shape[static_cast<std::size_t>(axis)] == features,
                role + " of shape " + shape_text(shape) + " has " +
                    std::to_string(shape[static_cast<std::size_t>(axis)]) + " entries along axis " +
                    std::to_string(axis) + " but the map takes " + std::to_string(features),
                who,
                "pass a tensor whose axis " + std::to_string(axis) + " has " +
                    std::to_string(features) + " entries");
  AxisSplit split;
  split.features = features;
  for (int a = 0; a < axis; ++a) split.outer *= shape[static_cast<std::size_t>(a)];
  for (std::size_t a = static_cast<std::size_t>(axis) + 1; a < shape.size(); ++a) {
    split.inner *= shape[a];
  }
  return split;
}

// With x_a the in x inner matrix x(a, ., .) and y_a, dy_a likewise, the map and its adjoint
// are matrix products per a, done by gemm (the BLAS on the host):
//   y_a = W x_a + b 1^T,   dx_a = W^T dy_a,   dW += sum_a dy_a x_a^T,   db += sum_{a, s} dy_a.
// With inner = 1 (vectors, (batch, features)) the a's are the rows of one product instead:
//   Y = X W^T + 1 b^T,     dX = dY W,         dW += dY^T X.

// y(a, o, s) = b(o): the starting value the products accumulate onto. One work item per row
// (a, o), so the inner loop is a contiguous fill and no element pays for an integer division.
template <class T>
void fill_bias(const T* bias, T* y, std::int64_t outer, int out, std::int64_t inner) {
  Kokkos::parallel_for(
      "torus::nn::Linear bias", Kokkos::RangePolicy<ExecutionSpace>(0, outer * out),
      KOKKOS_LAMBDA(const std::int64_t row) {
        const T value = bias[row % out];
        T* y_row = y + row * inner;
        for (std::int64_t s = 0; s < inner; ++s) y_row[s] = value;
      });
}

template <class T>
void apply_matrix(const T* W, const T* bias, const T* x, T* y, std::int64_t outer, int in, int out,
                  std::int64_t inner, bool transpose) {
  const T beta = bias ? T(1) : T(0);
  if (bias) fill_bias(bias, y, outer, out, inner);
  // W is (out, in) for y = W x; for y = W^T x it is stored (in, out) with in and out swapped.
  const Transpose op = transpose ? Transpose::yes : Transpose::no;
  const std::int64_t ldw = transpose ? out : in;
  if (inner == 1) {
    // Y (outer x out) = X (outer x in) op(W)^T.
    gemm<T>(Transpose::no, transpose ? Transpose::no : Transpose::yes, outer, out, in, T(1), x, in,
            W, ldw, beta, y, out);
    return;
  }
  for (std::int64_t a = 0; a < outer; ++a) {
    gemm<T>(op, Transpose::no, out, inner, in, T(1), W, ldw, x + a * in * inner, inner, beta,
            y + a * out * inner, inner);
  }
}

template <class T>
void accumulate_matrix_gradient(const T* x, const T* dy, T* dW, T* db, std::int64_t outer, int in,
                                int out, std::int64_t inner) {
  if (inner == 1) {
    gemm<T>(Transpose::yes, Transpose::no, out, in, outer, T(1), dy, out, x, in, T(1), dW, in);
  } else {
    for (std::int64_t a = 0; a < outer; ++a) {
      gemm<T>(Transpose::no, Transpose::yes, out, in, inner, T(1), dy + a * out * inner, inner,
              x + a * in * inner, inner, T(1), dW, in);
    }
  }
  if (db == nullptr) return;
  // db(o) += sum_{a, s} dy(a, o, s), one work item per o over contiguous rows. Each row is summed
  // into kLanes partial sums (lane l takes s = l mod kLanes): a loop of independent sums
  // vectorises where one running sum cannot (reassociating it is not allowed), and the partial
  // sums are also more accurate than one long float sum.
  constexpr int kLanes = 16;
  Kokkos::parallel_for(
      "torus::nn::accumulate_bias_gradient", Kokkos::RangePolicy<ExecutionSpace>(0, out),
      KOKKOS_LAMBDA(const int o) {
        T lanes[kLanes] = {};
        T tail = 0;
        for (std::int64_t a = 0; a < outer; ++a) {
          const T* dyo = dy + (a * out + o) * inner;
          const std::int64_t full = inner - inner % kLanes;
          for (std::int64_t s = 0; s < full; s += kLanes) {
            for (int l = 0; l < kLanes; ++l) lanes[l] += dyo[s + l];
          }
          for (std::int64_t s = full; s < inner; ++s) tail += dyo[s];
        }
        T sum = tail;
        for (int l = 0; l < kLanes; ++l) sum += lanes[l];
        db[o] += sum;
      });
}

}  // namespace detail

template <class T>
Linear<T>::Linear(int in, int out, RandomKey key, LinearOptions options)
    : in_(in), out_(out), options_(options) {
  TORUS_REQUIRE(
      in >= 1 && out >= 1,
      "a linear map from " + std::to_string(in) + " to " + std::to_string(out) + " features",
      "nn::Linear", "give at least one input and one output feature");
  TORUS_REQUIRE(options.axis >= 0, "a linear map along axis " + std::to_string(options.axis),
                "nn::Linear", "give a non-negative axis (1 for channels)");
  const double bound = 1.0 / std::sqrt(static_cast<double>(in));
  weight_ = &this->add_parameter("weight", {out, in});
  fill_uniform(weight_->value.values(), key, -bound, bound);
  if (options.bias) {
    bias_ = &this->add_parameter("bias", {out});
    fill_uniform(bias_->value.values(), key, -bound, bound,
                 static_cast<std::uint64_t>(out) * static_cast<std::uint64_t>(in));
  }
}

template <class T>
Parameter<T>& Linear<T>::bias() {
  TORUS_REQUIRE(bias_ != nullptr, "this linear map has no bias", "nn::Linear::bias",
                "build it with LinearOptions::bias = true");
  return *bias_;
}

template <class T>
nlohmann::json Linear<T>::config() const {
  return {{"in", in_}, {"out", out_}, {"axis", options_.axis}, {"bias", options_.bias}};
}

template <class T>
Tensor<T> Linear<T>::forward(const Tensor<T>& x) {
  const auto split =
      detail::split_around(x.shape(), options_.axis, in_, "nn::Linear::forward", "the input");
  Shape shape = x.shape();
  shape[static_cast<std::size_t>(options_.axis)] = out_;
  auto y = Tensor<T>::uninitialized(shape, "torus::nn::Linear output");
  detail::apply_matrix<T>(weight_->value.data(), bias_ ? bias_->value.data() : nullptr, x.data(),
                          y.data(), split.outer, in_, out_, split.inner, false);
  if (this->training()) inputs_.push_back(x);
  return y;
}

template <class T>
Tensor<T> Linear<T>::backward(const Tensor<T>& grad_y) {
  this->require_forward(!inputs_.empty());
  const Tensor<T> x = inputs_.back();
  inputs_.pop_back();
  Shape expected = x.shape();
  expected[static_cast<std::size_t>(options_.axis)] = out_;
  require_shape(grad_y.shape(), expected, "nn::Linear::backward", "the output gradient");
  const auto split =
      detail::split_around(x.shape(), options_.axis, in_, "nn::Linear::backward", "the input");

  auto grad_x = Tensor<T>::uninitialized(x.shape(), "torus::nn::Linear input gradient");
  detail::apply_matrix<T>(weight_->value.data(), nullptr, grad_y.data(), grad_x.data(), split.outer,
                          out_, in_, split.inner, true);
  detail::accumulate_matrix_gradient<T>(x.data(), grad_y.data(), weight_->grad.data(),
                                        bias_ ? bias_->grad.data() : nullptr, split.outer, in_,
                                        out_, split.inner);
  return grad_x;
}

template class Linear<float>;
template class Linear<double>;
template void detail::apply_matrix<float>(const float*, const float*, const float*, float*,
                                          std::int64_t, int, int, std::int64_t, bool);
template void detail::apply_matrix<double>(const double*, const double*, const double*, double*,
                                           std::int64_t, int, int, std::int64_t, bool);
template void detail::accumulate_matrix_gradient<float>(const float*, const float*, float*, float*,
                                                        std::int64_t, int, int, std::int64_t);
template void detail::accumulate_matrix_gradient<double>(const double*, const double*, double*,
                                                         double*, std::int64_t, int, int,
                                                         std::int64_t);

}  // namespace torus::nn
