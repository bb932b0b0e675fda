#pragma once
/// \file
/// torus::operators::T1ChannelMix: a real (out x in) matrix for every retained frequency, the
/// channel mixing of Transform-Once (T1) layers.
///
/// On a block of coefficients x (batch, in, M0, M1), with k = (k0, k1) a retained mode,
///   y(b, o, k) = sum_i W(o, i, k) x(b, i, k),
/// so each frequency has its own channel map, as FNO's spectral weights but real and without a
/// transform around it. W is (out, in, M0, M1). The adjoint is
///   dx(b, i, k) = sum_o W(o, i, k) dy(b, o, k),
///   dW(o, i, k) += sum_b dy(b, o, k) x(b, i, k).
/// There is no bias: a constant added to every coefficient is not a meaningful field.

#include <array>
#include <cstdint>
#include <vector>

#include "torus/core/random.hpp"
#include "torus/nn/module.hpp"

namespace torus::operators {

/// Per-mode channel mixing y(b, o, k) = sum_i W(o, i, k) x(b, i, k); see the file comment.
/// Initialised uniform on [-bound, bound] (bound <= 0 means PyTorch's 1/sqrt(in)).
template <class T>
class T1ChannelMix : public nn::Module<T> {
 public:
  /// Throws torus::Error for in, out or a block extent below 1.
  T1ChannelMix(int in, int out, std::array<int, 2> block, RandomKey key, double bound = 0.0);

  /// x is (batch, in, M0, M1); throws torus::Error for another shape.
  nn::Tensor<T> forward(const nn::Tensor<T>& x) override;
  nn::Tensor<T> backward(const nn::Tensor<T>& grad_y) override;
  std::string kind() const override { return "T1ChannelMix"; }
  nlohmann::json config() const override;

  int in() const { return in_; }
  int out() const { return out_; }
  const std::array<int, 2>& block() const { return block_; }
  nn::Parameter<T>& weight() { return *weight_; }

 private:
  int in_;
  int out_;
  std::array<int, 2> block_;
  nn::Parameter<T>* weight_;
  std::vector<nn::Tensor<T>> inputs_;
};

namespace detail {

/// y(b, o, k) = sum_i W(o, i, k) x(b, i, k) for contiguous x (batch, in, K), y (batch, out, K)
/// and W (out, in, K); with `transpose`, x is (batch, out, K), y (batch, in, K) and
/// y(b, i, k) = sum_o W(o, i, k) x(b, o, k) (the adjoint).
template <class T>
void mode_matmul(const T* W, const T* x, T* y, std::int64_t batch, int in, int out, std::int64_t K,
                 bool transpose);

/// dW(o, i, k) += sum_b dy(b, o, k) x(b, i, k).
template <class T>
void accumulate_mode_matmul_gradient(const T* x, const T* dy, T* dW, std::int64_t batch, int in,
                                     int out, std::int64_t K);

}  // namespace detail

}  // namespace torus::operators
