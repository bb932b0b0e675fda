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
#include <cstdint>
#include <cstring>
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
  // Plain selects, not std::fmin: without -ffinite-math-only GCC turns fminf into a libm call,
  // which stops the loop from vectorising. The selects become min/blend instructions where
  // floating-point operations may be assumed not to trap (nn/activation.cpp is compiled with
  // -fno-trapping-math). A NaN fails every comparison, so it stays NaN through a and e.
  const float ax = std::fabs(x);
  const float a = ax > 3.92f ? 3.92f : ax;
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
  const float fit = a < 1.0f ? small : r;
  const float e = fit > 1.0f ? 1.0f : fit;
  return std::copysign(e, x);
}

/// exp(x) in float for x <= 0, branch-free so a loop of it vectorises (the derivative of GELU
/// needs exp(-x^2/2)). With n = round(x / ln 2) and r = x - n ln 2 in [-ln2/2, ln2/2] (ln 2 split
/// in two parts, Cody and Waite, so r is exact to float rounding): exp(x) = 2^n exp(r), exp(r) by
/// its Taylor polynomial of degree 6 (truncation below 2.3e-8 relative on that interval), 2^n
/// made from the exponent bits. x is clamped to -87, where exp is still a normal float
/// (1.6e-38); below that the true value is flushed to it, which no caller can tell from 0. NaN
/// gives NaN.
KOKKOS_INLINE_FUNCTION float exp_nonpositive_float(float x) {
  const float c = x < -87.0f ? -87.0f : x;
  // Adding 1.5 * 2^23 rounds c / ln 2 to the nearest integer n (the sum has no bits below 1)
  // and leaves n in the low bits of the sum: no float-to-int conversion, which would not
  // vectorise on baseline x86-64 and is undefined for NaN.
  constexpr float kShift = 12582912.0f;
  const float shifted = c * 1.44269504088896341f + kShift;
  const float n = shifted - kShift;
  const float r = (c - n * 0.693359375f) + n * 2.12194440e-4f;
  float p = 1.0f / 720.0f;
  p = p * r + 1.0f / 120.0f;
  p = p * r + 1.0f / 24.0f;
  p = p * r + 1.0f / 6.0f;
  p = p * r + 0.5f;
  p = p * r + 1.0f;
  p = p * r + 1.0f;
  // 2^n for n in [-126, 0]: the biased exponent n + 127 in bits 23...30. The bits of kShift are
  // 0x4B400000, so bits(shifted) - 0x4B400000 is n (mod 2^32).
  std::uint32_t shifted_bits;
  std::memcpy(&shifted_bits, &shifted, sizeof shifted_bits);
  const std::uint32_t bits = (shifted_bits - 0x4B400000u + 127u) << 23;
  float scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return p * scale;
}

/// erf in the precision of the tensors: erf_float for float, std::erf for double.
KOKKOS_INLINE_FUNCTION float erf_of(float x) { return erf_float(x); }
KOKKOS_INLINE_FUNCTION double erf_of(double x) { return std::erf(x); }

/// exp(x), x <= 0, in the precision of the tensors: exp_nonpositive_float for float, std::exp
/// for double.
KOKKOS_INLINE_FUNCTION float exp_nonpositive_of(float x) { return exp_nonpositive_float(x); }
KOKKOS_INLINE_FUNCTION double exp_nonpositive_of(double x) { return std::exp(x); }

}  // namespace detail

}  // namespace torus::nn
