#pragma once
/// \file
/// torus::operators::T1: Transform-Once (Poli et al., NeurIPS 2022), a neural operator on 2-D
/// fields that transforms to frequency space once and learns there.
///
///   x (B, Cin, X, Y)  --[append (x/X, y/Y) if grid_coordinates]-->  (B, Cin', X, Y)
///     --lift: Linear over channels, Cin' -> width, in physical space-->  u (B, width, X, Y)
///     --the one transform (T1Spectrum: DCT-II, or rfft as re/im channels)-->  c
///     --keep the retained block h = c[..., :M0, :M1]  (all of c is h without keep_high)-->
///     --L blocks  h <- h + act(C h + Y X h)  (T1Block; only the block)-->
///     --keep_high: put h back into c, the high modes of u passing through unchanged-->
///     --head per mode: Linear width' -> hidden, act, Linear hidden -> Cout' (no bias)-->
///     --rfft: the real-field projection H-->  y  = the output's retained coefficients
///
/// width' = width and Cout' = Cout for the DCT, 2 width and 2 Cout for the rfft (real and
/// imaginary parts as channels, see t1_spectrum.hpp). The output is
/// (B, Cout', M0, M1) with (M0, M1) = (m0, m1) (dct) or (2 m0, m1) (rfft); with keep_high
/// (DCT only) it is (B, Cout, X, Y): the head acts pointwise on every coefficient, those outside
/// the block carrying the lifted input's. A trainer compares y with coefficients(target): by
/// Parseval ||y - coefficients(target)|| = ||to_physical(y) - P target|| with P the projection
/// on the retained band, so the relative L2 on coefficients is the physical one on that band.
/// Without keep_high every coefficient outside the block is exactly zero in to_physical(y).
///
/// Defaults (width 32, 12 x 12 modes, 4 layers, hidden 128, gelu, DCT) are the T1 Navier-Stokes
/// configuration of the paper on a 64 x 64 grid; with the rfft, 12 x 12 modes is a block of
/// 24 x 12 complex frequencies, twice the DCT's real coefficients: halve m0 to compare like with
/// like.

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "torus/core/random.hpp"
#include "torus/nn/activation.hpp"
#include "torus/nn/linear.hpp"
#include "torus/operators/t1_block.hpp"
#include "torus/operators/t1_init.hpp"
#include "torus/operators/t1_spectrum.hpp"

namespace torus::operators {

/// Every option of a T1 (all in config()).
struct T1Options {
  int in_channels = 1;
  int out_channels = 1;
  /// The grid (X, Y) of the input fields.
  std::array<int, 2> grid = {64, 64};
  /// Retained modes (m0, m1): the DCT block, or the rfft corner block of fft/low_modes.hpp.
  std::array<int, 2> modes = {12, 12};
  int width = 32;
  /// Channels of the head's hidden layer.
  int hidden = 128;
  int layers = 4;
  T1Transform transform = T1Transform::dct;
  /// Carry the modes outside the block through (DCT only); see the file comment.
  bool keep_high = false;
  /// Append the coordinates (i/X, j/Y) of each point as two input channels, as FNO does.
  bool grid_coordinates = true;
  nn::ActivationKind activation = nn::ActivationKind::gelu;
  T1Init init = T1Init::variance_preserving;
  /// FFTW planning of the transforms (made once per batch size).
  fft::Planning planning = fft::Planning::measure;
};

/// The Transform-Once operator; see the file comment. Children: "lift", "layers.<l>",
/// "head.0", "head.activation", "head.1".
template <class T>
class T1 : public nn::Module<T> {
 public:
  /// Throws torus::Error for channels, width, hidden or layers below 1, and for modes that do
  /// not fit the grid (dct: m <= n; rfft: 2 m0 <= X, m1 <= Y/2) or keep_high with the rfft.
  T1(const T1Options& options, RandomKey key);

  /// The predicted retained coefficients of x (B, in_channels, X, Y): (B, Cout', M0, M1) (see
  /// the file comment). Throws torus::Error for another channel count or grid.
  nn::Tensor<T> forward(const nn::Tensor<T>& x) override;
  nn::Tensor<T> backward(const nn::Tensor<T>& grad_y) override;
  /// The part of forward() after the transform: from the lifted coefficients
  /// c = analyse(lift(x)) (B, width', M0, M1) (or all coefficients with keep_high) to the
  /// prediction. A model that keeps its data in coefficients (T1CoefficientStep) calls it.
  nn::Tensor<T> forward_lifted(const nn::Tensor<T>& c);
  /// The adjoint of forward_lifted(): dL/dc for dL/dy.
  nn::Tensor<T> backward_lifted(const nn::Tensor<T>& grad_y);

  std::string kind() const override { return "T1"; }
  nlohmann::json config() const override;
  std::vector<std::pair<std::string, nn::Module<T>*>> children() override;

  /// The target's coefficients in the layout forward() predicts (same transform and block):
  /// field is (B, out_channels, X, Y). Throws torus::Error for another shape.
  nn::Tensor<T> coefficients(const nn::Tensor<T>& field);

  /// Coefficients (forward()'s or coefficients()'s layout) zero-padded and transformed back to a
  /// physical (B, out_channels, X, Y) field. Another grid than options().grid resamples: the
  /// coefficients are scaled by sqrt(X Y / (X0 Y0)) so the field is the same continuous one
  /// (keep_high needs the model's grid). Throws torus::Error for a wrong shape or a grid too
  /// small for the modes.
  nn::Tensor<T> to_physical(const nn::Tensor<T>& coeffs, int X, int Y);

  /// Diagnostics (evaluation mode, nothing kept): the lifted field u, the block entering the
  /// first layer, the block after each layer, and the output: L + 3 tensors.
  std::vector<nn::Tensor<T>> activations(const nn::Tensor<T>& x);

  const T1Options& options() const { return options_; }
  T1Spectrum<T>& spectrum() { return spectrum_; }
  T1Block<T>& layer(int l) { return *layers_.at(static_cast<std::size_t>(l)); }
  nn::Linear<T>& lift() { return lift_; }
  /// x (B, in_channels, X, Y) with the coordinate channels appended when grid_coordinates, as
  /// forward() feeds the lift.
  nn::Tensor<T> with_coordinates(const nn::Tensor<T>& x) const;

 private:
  void initialise_variance_preserving(RandomKey key);
  // dL/dx from dL/d(x with coordinates): the coordinate channels are constants.
  nn::Tensor<T> backward_input(const nn::Tensor<T>& grad_in) const;

  T1Options options_;
  T1Spectrum<T> spectrum_;
  int width_f_;  // channels in frequency space: width, or 2 width (rfft)
  nn::Linear<T> lift_;
  std::vector<std::unique_ptr<T1Block<T>>> layers_;
  nn::Linear<T> head0_;
  nn::Activation<T> head_activation_;
  nn::Linear<T> head1_;
  std::map<std::pair<int, int>, std::unique_ptr<T1Spectrum<T>>> resampling_;
  std::int64_t pending_ = 0;  // forward passes in training mode not yet undone by backward
};

}  // namespace torus::operators
