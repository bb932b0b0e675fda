#pragma once
/// \file
/// torus::nn::Linear: an affine map along one axis of a tensor, the same at every other index.
///
/// With the tensor seen as (outer, features, inner) around axis `axis`,
///   y(a, o, s) = sum_i W(o, i) x(a, i, s) + b(o),
/// so on a field (batch, channel, x, y) with axis 1 it is FNO's pointwise channel mixing (a
/// 1x1 convolution), on (batch, features) PyTorch's nn.Linear, and on another axis the dense
/// mixing across modes of T1. W is (out, in), as in PyTorch. The adjoint is
///   dx(a, i, s) = sum_o W(o, i) dy(a, o, s),
///   dW(o, i) += sum_{a, s} dy(a, o, s) x(a, i, s),    db(o) += sum_{a, s} dy(a, o, s).

#include <cstdint>
#include <vector>

#include "torus/core/random.hpp"
#include "torus/nn/module.hpp"

namespace torus::nn {

/// Options of a Linear map.
struct LinearOptions {
  /// The axis the map acts along (1: channels of a field or features of a vector).
  int axis = 1;
  bool bias = true;
};

/// y = W x + b along one axis; see the file comment. Initialised as PyTorch does:
/// W and b uniform on [-1/sqrt(in), 1/sqrt(in)].
template <class T>
class Linear : public Module<T> {
 public:
  /// Throws torus::Error for in or out below 1 or a negative axis.
  Linear(int in, int out, RandomKey key, LinearOptions options = {});

  Tensor<T> forward(const Tensor<T>& x) override;
  Tensor<T> backward(const Tensor<T>& grad_y) override;
  std::string kind() const override { return "Linear"; }
  nlohmann::json config() const override;

  int in() const { return in_; }
  int out() const { return out_; }
  Parameter<T>& weight() { return *weight_; }
  /// Throws torus::Error when the map has no bias.
  Parameter<T>& bias();

 private:
  int in_;
  int out_;
  LinearOptions options_;
  Parameter<T>* weight_;
  Parameter<T>* bias_ = nullptr;
  std::vector<Tensor<T>> inputs_;
};

namespace detail {

/// The (outer, features, inner) split of `shape` around `axis`; throws torus::Error when the
/// axis is missing or its extent is not `features`.
struct AxisSplit {
  std::int64_t outer = 1;
  std::int64_t features = 1;
  std::int64_t inner = 1;
};
AxisSplit split_around(const Shape& shape, int axis, std::int64_t features, const std::string& who,
                       const std::string& role);

/// y(a, o, s) = sum_i W(o, i) x(a, i, s) (+ b(o)) for contiguous (outer, in, inner) x and
/// (outer, out, inner) y; `transpose` applies W^T instead (in and out swap roles), which is the
/// adjoint used by backward passes. `bias` may be null.
template <class T>
void apply_matrix(const T* W, const T* bias, const T* x, T* y, std::int64_t outer, int in, int out,
                  std::int64_t inner, bool transpose);

/// dW(o, i) += sum_{a, s} dy(a, o, s) x(a, i, s) and, with db non-null, db(o) += sum dy(a, o, s).
template <class T>
void accumulate_matrix_gradient(const T* x, const T* dy, T* dW, T* db, std::int64_t outer, int in,
                                int out, std::int64_t inner);

}  // namespace detail

}  // namespace torus::nn
