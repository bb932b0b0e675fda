#pragma once
/// \file
/// torus::nn::MLP: a multilayer perceptron along one axis, Linear maps with an activation
/// between them.
///
/// For widths (w_0, w_1, ..., w_L) it is
///   x_l = f(W_l x_{l-1} + b_l),  l = 1..L-1,     y = W_L x_{L-1} + b_L,
/// with W_l of shape (w_l, w_{l-1}) acting along `axis` (nn/linear.hpp) and no activation after
/// the last map. On (batch, features) with axis 1 it is the usual MLP; on a field
/// (batch, channel, x, y) with axis 1 it is FNO's lifting and projection (pointwise in space).
/// The children are the Linear and Activation modules in order, named as in a PyTorch
/// nn.Sequential ("0" Linear, "1" Activation, "2" Linear, ...), so parameters read "0.weight",
/// "2.bias"; the adjoint is theirs in reverse order (nn/sequential.hpp).

#include <vector>

#include "torus/core/random.hpp"
#include "torus/nn/activation.hpp"
#include "torus/nn/linear.hpp"
#include "torus/nn/sequential.hpp"

namespace torus::nn {

/// Linear maps of `widths` along one axis with `activation` between them; see the file comment.
template <class T>
class MLP : public Module<T> {
 public:
  /// Layer l (0-based) draws its initial values (PyTorch's uniform bound, nn/linear.hpp) from
  /// the stream layer_key(key, l). Throws torus::Error with fewer than two widths, a width below
  /// 1 or a negative axis.
  MLP(std::vector<int> widths, ActivationKind activation, RandomKey key, int axis = 1);

  Tensor<T> forward(const Tensor<T>& x) override { return layers_.forward(x); }
  Tensor<T> backward(const Tensor<T>& grad_y) override { return layers_.backward(grad_y); }
  std::string kind() const override { return "MLP"; }
  /// {"widths": [...], "activation": "gelu", "axis": 1}.
  nlohmann::json config() const override;
  std::vector<std::pair<std::string, Module<T>*>> children() override { return layers_.children(); }

  const std::vector<int>& widths() const { return widths_; }
  /// The l-th Linear map (0-based, l < widths().size() - 1); throws torus::Error otherwise.
  Linear<T>& linear(std::size_t l);

  /// The key of layer l's initial values: key.seed with a stream hashed from (key.stream, l),
  /// so two MLPs with different key streams share no layer.
  static RandomKey layer_key(RandomKey key, std::size_t l);

 private:
  std::vector<int> widths_;
  ActivationKind activation_;
  int axis_;
  Sequential<T> layers_;
};

}  // namespace torus::nn
