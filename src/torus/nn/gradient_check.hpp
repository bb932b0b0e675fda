#pragma once
/// \file
/// A finite-difference check of a module's backward(): the test every module passes.
///
/// For a random direction r the scalar L(x, theta) = <r, f(x; theta)> has the gradients
/// backward(r) computes. Each checked entry z (of the input or of a parameter) is compared with
/// the central difference
///   dL/dz ~ (L(z + h) - L(z - h)) / (2 h),   error O(h^2 f''') + O(eps_T |L| / h),
/// and the check reports the worst error relative to max(|analytic|, |numeric|, scale), where
/// `scale` (the typical size of the gradients) keeps entries whose gradient is zero from
/// dividing by nothing. In float64 with h = 1e-6 a correct adjoint gives ~1e-8; a wrong one
/// O(1).
///
/// \code
/// nn::Linear<double> linear(3, 4, key);
/// nn::Tensor<double> x({2, 3, 5, 5});
/// fill_normal(x.values(), key);
/// auto report = nn::check_gradients(linear, x);
/// EXPECT_LT(report.worst_error, 1e-7) << report.worst;
/// \endcode

#include <cstdint>
#include <string>

#include "torus/core/random.hpp"
#include "torus/nn/module.hpp"

namespace torus::nn {

/// How a gradient check runs.
struct GradientCheckOptions {
  /// The finite-difference step h.
  double step = 1e-6;
  /// At most this many entries of the input and of each parameter are checked (chosen at
  /// random, always including the first and the last); 0 checks every entry.
  std::int64_t max_entries = 200;
  /// Seed of the direction r and of the choice of entries.
  std::uint64_t seed = 1234;
};

/// The outcome of check_gradients().
struct GradientCheckReport {
  /// max over checked entries of |analytic - numeric| / max(|analytic|, |numeric|, scale).
  double worst_error = 0.0;
  /// Which entry gave it: "input[17]: analytic 0.31, numeric 0.30" (for failure messages).
  std::string worst;
  /// How many entries were compared.
  std::int64_t checked = 0;
};

/// Compares backward() of `module` at input `x` with central differences of forward(), for the
/// input and every parameter (see the file comment). The module is left in training mode with
/// its parameters as they were and its gradients zeroed. Throws torus::Error when forward()
/// fails on x.
template <class T>
GradientCheckReport check_gradients(Module<T>& module, const Tensor<T>& x,
                                    GradientCheckOptions options = {});

}  // namespace torus::nn
