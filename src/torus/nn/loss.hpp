#pragma once
/// \file
/// Losses: a value and its gradient with respect to the prediction, the start of every
/// backward pass (model.backward(loss.grad)).
///
/// mse (PyTorch's MSELoss, reduction 'mean') over the N entries of p and t:
///   L = (s / N) sum_i (p_i - t_i)^2,           dL/dp_i = (2 s / N) (p_i - t_i).
/// relative_l2 (the relative LpLoss of the FNO code, p = 2, size_average) over the B samples of
/// the leading axis, with d_b = ||p_b - t_b||_2 and n_b = ||t_b||_2 over each sample's entries:
///   L = (s / B') sum_b d_b / n_b,              dL/dp_b = (s / B') (p_b - t_b) / (d_b n_b),
/// where s is `scale` (1 by default) and B' the local batch B unless `batch_for_mean` is given.
/// A sample predicted exactly (d_b = 0) has gradient 0, the subgradient of the norm there.
/// Sums are taken in double; the gradient is returned in T.
///
/// Data parallelism: when each rank holds B_r of the B = sum_r B_r samples of a global batch,
/// relative_l2(p, t, B) on each rank gives that rank's share of the global mean, so summing the
/// values and all-reducing the gradients (a sum, as the gradient all-reduce does) yields the
/// loss and gradient of the whole batch. For mse, scale = N_r / N (the rank's share of the
/// entries) does the same.

#include <cstdint>

#include "torus/nn/tensor.hpp"

namespace torus::nn {

/// A loss value and dL/dprediction (same shape as the prediction).
template <class T>
struct LossResult {
  double value = 0.0;
  Tensor<T> grad;
};

/// Mean squared error times `scale`; see the file comment. Throws torus::Error when the shapes
/// differ, the tensors are empty, either holds a NaN or an infinity, or scale is not finite.
template <class T>
LossResult<T> mse(const Tensor<T>& prediction, const Tensor<T>& target, double scale = 1.0);

/// Mean over samples of ||p_b - t_b||_2 / ||t_b||_2 times `scale`, dividing by
/// `batch_for_mean` instead of the local batch when it is given (>= 1; see the file comment).
/// Throws torus::Error when the shapes differ, the tensors are empty, either holds a NaN or an
/// infinity, a target sample is zero (its relative error is undefined), batch_for_mean is 0 or
/// below -1, or scale is not finite.
template <class T>
LossResult<T> relative_l2(const Tensor<T>& prediction, const Tensor<T>& target,
                          std::int64_t batch_for_mean = -1, double scale = 1.0);

}  // namespace torus::nn
