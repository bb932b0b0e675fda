#pragma once
/// \file
/// Gradient clipping, as torch.nn.utils.clip_grad_norm_ and clip_grad_value_.
///
/// clip_grad_norm computes the global L2 norm over every gradient entry of every parameter,
///   N = sqrt(sum_p sum_i g_{p,i}^2),
/// and scales all gradients by c = max_norm / (N + 1e-6) when c < 1 (PyTorch's formula, so the
/// clipped norm is just below max_norm). In data-parallel training call it after the
/// gradient all-reduce: every rank then holds the same gradients and computes the same N.

#include <vector>

#include "torus/nn/parameter.hpp"

namespace torus::nn {

/// Scales the gradients so their global L2 norm N is at most `max_norm` (see the file comment)
/// and returns N before clipping. A non-finite N leaves the gradients unchanged and is returned
/// (the caller may skip the step), unless `error_if_nonfinite`, which throws torus::Error.
/// Throws torus::Error for a negative or NaN max_norm or a null parameter.
template <class T>
double clip_grad_norm(const std::vector<Parameter<T>*>& parameters, double max_norm,
                      bool error_if_nonfinite = false);

/// Clamps every gradient entry to [-clip_value, clip_value]. Throws torus::Error for a negative
/// or NaN clip_value or a null parameter.
template <class T>
void clip_grad_value(const std::vector<Parameter<T>*>& parameters, double clip_value);

/// The global L2 norm of the gradients, sqrt(sum_p sum_i g_{p,i}^2), accumulated in double.
template <class T>
double gradient_norm(const std::vector<Parameter<T>*>& parameters);

}  // namespace torus::nn
