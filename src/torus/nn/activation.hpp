#pragma once
/// \file
/// Pointwise activations y = f(x) with their adjoints dx = f'(x) dy: GELU, ReLU, SiLU and sin.
///
/// Each is one Kokkos kernel over the tensor's values; the function and its derivative are
/// inlined into it (no per-element virtual call). Formulas:
///   GELU  f = x Phi(x) = x (1 + erf(x / sqrt 2)) / 2,  f' = Phi(x) + x phi(x)   (exact, as
///         PyTorch's default F.gelu; phi(x) = exp(-x^2/2) / sqrt(2 pi))
///   ReLU  f = max(x, 0),                                f' = [x > 0]
///   SiLU  f = x s(x), s = 1 / (1 + exp(-x)),            f' = s(x) (1 + x (1 - s(x)))
///   sin   f = sin(w x),                                 f' = w cos(w x)   (w = frequency)

#include <string>
#include <vector>

#include "torus/nn/module.hpp"

namespace torus::nn {

/// Which pointwise function an Activation applies.
enum class ActivationKind { gelu, relu, silu, sin };

/// "gelu", "relu", "silu", "sin".
std::string to_string(ActivationKind kind);
/// Parses the names of to_string(); throws torus::Error naming the known ones otherwise.
ActivationKind parse_activation(const std::string& name);

/// y = f(x) elementwise on a tensor of any shape; see the file comment.
template <class T>
class Activation : public Module<T> {
 public:
  /// `frequency` is the w of sin(w x) and ignored by the others.
  explicit Activation(ActivationKind kind, double frequency = 1.0);

  Tensor<T> forward(const Tensor<T>& x) override;
  Tensor<T> backward(const Tensor<T>& grad_y) override;
  std::string kind() const override { return "Activation"; }
  nlohmann::json config() const override;

  ActivationKind function() const { return function_; }

 private:
  ActivationKind function_;
  double frequency_;
  std::vector<Tensor<T>> inputs_;
};

/// f(x) of `kind` applied in place to n contiguous values (for modules that fuse activations).
template <class T>
void apply_activation(ActivationKind kind, T* x, std::int64_t n, double frequency = 1.0);

/// dx = f'(x) dy for n contiguous values; dx may alias dy.
template <class T>
void activation_adjoint(ActivationKind kind, const T* x, const T* dy, T* dx, std::int64_t n,
                        double frequency = 1.0);

}  // namespace torus::nn
