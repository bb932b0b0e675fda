#pragma once
/// \file
/// Autoregressive rollout of a one-step operator over a window of a trajectory, and its adjoint:
/// the training task of FNO's 2-D Navier–Stokes benchmark (10 input steps -> the next step,
/// rolled out to T). With one input and one output step it is the single map w(0) -> w(T).
///
/// A window holds S = n_in + n_out snapshots of each sample as channels, w(b, s, ...), the
/// trailing axes being a field (x, y) or a block of coefficients (T1). With h_0 = w[:, 0:n_in]
///   p_t = G(h_t),     h_{t+1} = [h_t[:, 1:n_in], p_t],     t = 0, ..., n_out - 1,
///   L = sum_t l(p_t, w[:, n_in + t]),
/// where l is the relative L2 error averaged over the global batch (nn/loss.hpp). The adjoint
/// runs t backwards carrying g = dL/dh_{t+1} (zero after the last step):
///   dL/dp_t = dl_t/dp_t + g[:, n_in - 1],
///   dL/dh_t = G'(h_t)^T dL/dp_t + [0, g[:, 0:n_in - 1]]          (the shift, reversed).
/// The model keeps one cache per forward and backward() pops them in reverse (nn/module.hpp),
/// which is this order. The first window's gradient is not needed, so it is dropped.
///
/// \code
/// auto result = operators::rollout(model, window, /*input_steps=*/10, /*train=*/true, 20);
/// // result.loss: this rank's share of the loss; parameter gradients accumulated
/// \endcode

#include <cstdint>

#include "torus/nn/module.hpp"

namespace torus::operators {

/// What rollout() computed.
template <class T>
struct RolloutResult {
  /// sum_t l(p_t, w[:, n_in + t]): this rank's share of the global batch's loss.
  double loss = 0.0;
  /// The n_out predictions, (B, n_out, ...).
  nn::Tensor<T> prediction;
};

/// Rolls `model` (one step: (B, n_in, ...) -> (B, 1, ...)) over `window` (B, S, ...), S > n_in,
/// and returns the loss against the window's last S - n_in snapshots and the predictions. With
/// `train`, runs the adjoint too and accumulates the parameter gradients (the model is put in
/// training mode); otherwise the model runs in evaluation mode. `global_batch` is the batch
/// the loss is averaged over (the sum of every rank's B; B on one rank). Throws torus::Error
/// for a window too short or a model whose output is not one snapshot.
template <class T>
RolloutResult<T> rollout(nn::Module<T>& model, const nn::Tensor<T>& window, int input_steps,
                         bool train, std::int64_t global_batch);

/// The relative L2 error of whole trajectories, sum_b ||p_b - w_b|| / ||w_b|| over this
/// rank's samples (divide the sum over ranks by the global count): FNO's reported test error,
/// with `prediction` (B, n_out, ...) and the reference the window's last n_out snapshots.
template <class T>
double trajectory_relative_l2_sum(const nn::Tensor<T>& prediction, const nn::Tensor<T>& window);

namespace detail {

/// dst(b, c, i) = src(b, first + c, i) for c < dst's channels: a run of channels of
/// (B, S, inner) into a contiguous (B, count, inner).
template <class T>
void copy_channels(const nn::Tensor<T>& src, int first, const nn::Tensor<T>& dst);

/// dst(b, first + c, i) = src(b, c, i): the reverse of copy_channels.
template <class T>
void paste_channels(const nn::Tensor<T>& src, const nn::Tensor<T>& dst, int first);

}  // namespace detail

}  // namespace torus::operators
