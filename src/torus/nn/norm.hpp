#pragma once
/// \file
/// Layer and group normalisation with PyTorch's semantics (nn.LayerNorm, nn.GroupNorm).
///
/// Both standardise each set of M values x_m that share their statistics and then apply a
/// learned affine map:
///   mu = (1/M) sum_m x_m,   var = (1/M) sum_m (x_m - mu)^2   (biased, as PyTorch),
///   r = 1 / sqrt(var + eps),   xhat_m = (x_m - mu) r,   y_m = gamma_k xhat_m + beta_k,
/// where k is the affine index of value m (its position in the normalised shape for LayerNorm,
/// its channel for GroupNorm). With g_m = gamma_k dy_m the adjoint is
///   dx_m = (r / M) (M g_m - sum_n g_n - xhat_m sum_n g_n xhat_n),
///   dgamma_k += sum over the values with affine index k of dy xhat,   dbeta_k += sum of dy,
/// which follows from dxhat_m/dx_n = (r / M) (M delta_mn - 1 - xhat_m xhat_n).
///
/// The statistics are summed in double (two passes: the mean, then the centred variance), so
/// float training does not lose the variance of large groups to round-off.

#include <cstdint>
#include <vector>

#include "torus/nn/module.hpp"

namespace torus::nn {

/// Layer normalisation over `normalized_shape` (PyTorch's nn.LayerNorm, and its
/// "channels first" variant).
///
/// With axis = -1 (the default) the statistics are taken over the trailing
/// normalized_shape.size() axes of the input, which must equal normalized_shape, at every index
/// of the leading axes: LayerNorm({F}) on (B, L, F) normalises each feature vector, exactly as
/// PyTorch. With axis >= 0 they are taken over the axes axis, axis + 1, ... (again equal to
/// normalized_shape) at every index of the axes before and after them: LayerNorm({C}, eps, true,
/// 1) on a field (B, C, X, Y) normalises the channels at each point, as ConvNeXt's
/// channels-first LayerNorm. gamma (named "weight", initially 1) and beta ("bias", initially 0)
/// have normalized_shape. Supported: any rank up to the input's.
template <class T>
class LayerNorm : public Module<T> {
 public:
  /// Throws torus::Error for an empty shape, an extent below 1, eps <= 0 or axis < -1. Write
  /// the shape as Shape{L, F}: a bare braced list of two to four numbers does not compile, as
  /// it could also be read as (features, eps, affine, axis).
  explicit LayerNorm(Shape normalized_shape, double eps = 1e-5, bool affine = true, int axis = -1);
  /// LayerNorm({features}, ...).
  explicit LayerNorm(std::int64_t features, double eps = 1e-5, bool affine = true, int axis = -1)
      : LayerNorm(Shape{features}, eps, affine, axis) {}

  /// y = gamma xhat + beta (file comment). Throws torus::Error when the input's normalised axes
  /// do not have normalized_shape.
  Tensor<T> forward(const Tensor<T>& x) override;
  Tensor<T> backward(const Tensor<T>& grad_y) override;
  std::string kind() const override { return "LayerNorm"; }
  /// {"normalized_shape": [...], "eps": ..., "affine": ..., "axis": ...}.
  nlohmann::json config() const override;

  /// gamma and beta; throw torus::Error without affine.
  Parameter<T>& weight();
  Parameter<T>& bias();

 private:
  struct Saved {
    Tensor<T> x;
    Tensor<double> mean, rstd;  // per set of values sharing statistics
  };
  Shape normalized_shape_;
  double eps_;
  bool affine_;
  int axis_;
  Parameter<T>* weight_ = nullptr;
  Parameter<T>* bias_ = nullptr;
  std::vector<Saved> saved_;
};

/// Group normalisation of a field (B, C, ...) (PyTorch's nn.GroupNorm): the C channels split
/// into `groups` consecutive groups of C / groups, and each sample's group is standardised over
/// its channels and all spatial points together (biased variance); gamma ("weight", initially
/// 1) and beta ("bias", initially 0) are per channel. groups = 1 is LayerNorm over (C, ...),
/// groups = C instance normalisation.
template <class T>
class GroupNorm : public Module<T> {
 public:
  /// Throws torus::Error when groups or channels are below 1, groups does not divide channels,
  /// or eps <= 0.
  GroupNorm(int groups, int channels, double eps = 1e-5, bool affine = true);

  /// Throws torus::Error for an input of rank below 2 or whose axis 1 is not `channels`.
  Tensor<T> forward(const Tensor<T>& x) override;
  Tensor<T> backward(const Tensor<T>& grad_y) override;
  std::string kind() const override { return "GroupNorm"; }
  /// {"groups": ..., "channels": ..., "eps": ..., "affine": ...}.
  nlohmann::json config() const override;

  int groups() const { return groups_; }
  int channels() const { return channels_; }
  /// gamma and beta; throw torus::Error without affine.
  Parameter<T>& weight();
  Parameter<T>& bias();

 private:
  struct Saved {
    Tensor<T> x;
    Tensor<double> mean, rstd;  // per set of values sharing statistics
  };
  int groups_;
  int channels_;
  double eps_;
  bool affine_;
  Parameter<T>* weight_ = nullptr;
  Parameter<T>* bias_ = nullptr;
  std::vector<Saved> saved_;
};

}  // namespace torus::nn
