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
/// In float, erf is detail::erf_float (branch-free polynomials that vectorise, within 2.4 float
/// ulps of erf); in double it is std::erf, so float64 gradient checks see the exact function.

#include <cmath>
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

namespace detail {

/// erf(x) in float, branch-free so a loop of it vectorises (std::erf in float does not). Two
/// least-squares polynomial fits of our own to erf (computed in double against std::erf):
///   |x| < 1:         erf(x) = x P(u),  u = x^2, P of degree 6 (an odd polynomial in x);
///   1 <= |x| < 3.92: erf(|x|) = R(t), t = |x| - 2.46, R of degree 13 (Chebyshev fit, as powers);
///   |x| >= 3.92:     erf(|x|) = 1 (erf(3.92) rounds to 1 in float);
/// erf(-x) = -erf(x). Measured (tests/nn/test_activation.cpp, dense grid on [0, 4.5]) within
/// 2.4 float ulps of erf, relative error below 1.8e-7. NaN gives NaN.
KOKKOS_INLINE_FUNCTION float erf_float(float x) {
  // Written with fabs, fmin, copysign and a 0/1 weight instead of selects so that compilers keep
  // the loop free of branches (and vectorise it) even under the default -ftrapping-math.
  const float a = std::fmin(std::fabs(x), 3.92f);
  const float u = a * a;
  float p = 7.898050914e-05f;
  p = p * u - 8.024308094e-04f;
  p = p * u + 5.190048548e-03f;
  p = p * u - 2.685480596e-02f;
  p = p * u + 1.128361237e-01f;
  p = p * u - 3.761262884e-01f;
  p = p * u + 1.128379167e+00f;
  const float small = a * p;
  const float t = a - 2.46f;
  float r = 9.472544978e-08f;
  r = r * t - 9.166632060e-06f;
  r = r * t + 2.470686418e-05f;
  r = r * t + 5.189471056e-05f;
  r = r * t - 2.996181911e-04f;
  r = r * t + 3.906824190e-04f;
  r = r * t + 4.593329042e-04f;
  r = r * t - 2.963123570e-03f;
  r = r * t + 6.799544611e-03f;
  r = r * t - 9.904963604e-03f;
  r = r * t + 9.832457268e-03f;
  r = r * t - 6.535748922e-03f;
  r = r * t + 2.656237060e-03f;
  r = r * t + 9.994966731e-01f;
  // inside = [a < 1]; one of the two products is exactly 0, so e is exactly small or r.
  const float inside = static_cast<float>(a < 1.0f);
  const float e = std::fmin(inside * small + (1.0f - inside) * r, 1.0f);
  // fmin drops a NaN; give it back so a blown-up activation is not hidden as +-1.
  return x != x ? x : std::copysign(e, x);
}

/// erf in the precision of the tensors: erf_float for float, std::erf for double.
KOKKOS_INLINE_FUNCTION float erf_of(float x) { return erf_float(x); }
KOKKOS_INLINE_FUNCTION double erf_of(double x) { return std::erf(x); }

}  // namespace detail

}  // namespace torus::nn
