#pragma once
/// \file
/// torus::operators::T1Block: one Transform-Once layer, acting on the retained block of
/// coefficients only, with a residual connection and the nonlinearity in frequency space.
///
/// On h (batch, width, M0, M1),
///   a   = C h + Y X h,          h_out = h + act(a),
/// where C is the per-mode channel mix (T1ChannelMix: a width x width matrix per mode), X the
/// dense mixing across modes along axis 2 (an M0 x M0 Linear, shared by channels and by the
/// modes of axis 3) and Y the same along axis 3 (M1 x M1). X and Y compose, so Y X mixes every
/// retained mode with every other through a Kronecker-factored M0 M1 x M0 M1 matrix. None of
/// them has a bias (a constant added to coefficients is not a meaningful field). The adjoint is
///   da = act'(a) dh_out,      dh = dh_out + C^T da + X^T Y^T da,
/// with the parameter gradients accumulated by C, X and Y.

#include <array>
#include <memory>
#include <vector>

#include "torus/nn/activation.hpp"
#include "torus/nn/linear.hpp"
#include "torus/operators/t1_channel_mix.hpp"

namespace torus::operators {

/// h -> h + act(C h + Y X h) on a block of coefficients; see the file comment. Children:
/// "channel_mix" (C), "mix_x" (X, along axis 2), "mix_y" (Y, along axis 3). Weights start as
/// PyTorch's default (uniform, +-1/sqrt(fan in)); T1 re-initialises them (operators/t1_init.hpp).
template <class T>
class T1Block : public nn::Module<T> {
 public:
  /// Throws torus::Error for a width or block extent below 1.
  T1Block(int width, std::array<int, 2> block, nn::ActivationKind activation, RandomKey key);

  /// h is (batch, width, M0, M1); throws torus::Error for another shape.
  nn::Tensor<T> forward(const nn::Tensor<T>& h) override;
  nn::Tensor<T> backward(const nn::Tensor<T>& grad_out) override;
  std::string kind() const override { return "T1Block"; }
  nlohmann::json config() const override;
  std::vector<std::pair<std::string, nn::Module<T>*>> children() override;

  T1ChannelMix<T>& channel_mix() { return channel_mix_; }
  nn::Linear<T>& mix_x() { return mix_x_; }
  nn::Linear<T>& mix_y() { return mix_y_; }

 private:
  int width_;
  std::array<int, 2> block_;
  nn::ActivationKind activation_;
  T1ChannelMix<T> channel_mix_;
  nn::Linear<T> mix_x_;
  nn::Linear<T> mix_y_;
  std::vector<nn::Tensor<T>> pre_activations_;
};

namespace detail {

/// y(i) += x(i) for n contiguous values.
template <class T>
void add_into(T* y, const T* x, std::int64_t n);

}  // namespace detail

}  // namespace torus::operators
