#pragma once
/// \file
/// torus::operators::FNO2d: the Fourier neural operator of the FNO paper's 2-D code
/// (fourier_2d.py / fourier_2d_time.py), on fields (batch, channels, x, y).
///
///   h0 = P(x, g_x, g_y)                    lift: Linear over channels, in + 2 -> width
///   h_{l+1} = GELU(K_l h_l + W_l h_l)      l = 0 .. layers - 1, no GELU after the last block
///   y = Q2 GELU(Q1 h_L)                    projection: width -> projection -> out
/// K_l is a SpectralConv<T, 2> on (modes1, modes2) modes, W_l a Linear over channels (the
/// reference's 1x1 Conv2d), and (g_x, g_y) are two channels of grid coordinates appended after
/// the input channels, as the reference does with torch.linspace(0, 1, n): the end point is
/// included, g_x(i) = i / (n_x - 1) and g_y(j) = j / (n_y - 1) (0 on a one-point axis). There is
/// no padding (the Navier-Stokes FNO2d has none), so the model is periodic like its data.
///
/// The model is made of child modules ("lift", "blocks.l.spectral", "blocks.l.pointwise",
/// "blocks.l.gelu", "project", "project_gelu", "output"), so parameters(), zero_grad(), train()
/// and checkpoints walk it; config() holds the options that rebuild it. Like SpectralConv it
/// runs on any grid that holds its modes.
///
/// \code
/// operators::FNO2dOptions options;            // modes 12, width 32, 4 layers, 10 -> 1
/// operators::FNO2d<float> model(options, RandomKey{42});
/// auto y = model.forward(x);                  // x: (20, 10, 64, 64) -> y: (20, 1, 64, 64)
/// auto dx = model.backward(dy);               // accumulates every parameter's gradient
/// \endcode

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "torus/core/random.hpp"
#include "torus/fft/engine.hpp"
#include "torus/nn/activation.hpp"
#include "torus/nn/linear.hpp"
#include "torus/nn/module.hpp"
#include "torus/operators/spectral_conv.hpp"

namespace torus::operators {

/// The hyper-parameters of FNO2d (defaults: the paper's Navier-Stokes model).
struct FNO2dOptions {
  /// Retained modes along x (the block takes 2 modes1 frequencies) and along y (halved axis).
  int modes1 = 12;
  int modes2 = 12;
  /// Channels of the hidden fields.
  int width = 32;
  /// Fourier blocks.
  int layers = 4;
  /// Input channels before the two grid channels: 10 for the autoregressive task (ten past
  /// snapshots), 1 for w0 -> wT.
  int in_channels = 10;
  int out_channels = 1;
  /// Hidden features of the projection (the reference's fc1).
  int projection = 128;
  /// How FFTW plans the spectral convolutions' transforms.
  fft::Planning planning = fft::Planning::measure;
};

/// x with two channels of grid coordinates appended: (B, C, X, Y) -> (B, C + 2, X, Y), channel C
/// holding g_x(i) = i / (X - 1) and channel C + 1 holding g_y(j) = j / (Y - 1)
/// (torch.linspace(0, 1, n); 0 on a one-point axis). Throws torus::Error unless x is rank 4.
template <class T>
nn::Tensor<T> append_grid_channels(const nn::Tensor<T>& x);

/// FNO's 2-D model; see the file comment.
template <class T>
class FNO2d : public nn::Module<T> {
 public:
  /// Throws torus::Error for a non-positive option (layers, width, channels, modes, projection).
  FNO2d(FNO2dOptions options, RandomKey key);

  /// y (B, out_channels, X, Y) from x (B, in_channels, X, Y). Throws torus::Error for another
  /// rank or channel count, or a grid too small for the modes (2 modes1 <= X,
  /// modes2 <= Y / 2 + 1).
  nn::Tensor<T> forward(const nn::Tensor<T>& x) override;
  /// dL/dx (B, in_channels, X, Y) for the latest forward; accumulates every parameter gradient.
  nn::Tensor<T> backward(const nn::Tensor<T>& grad_y) override;

  std::string kind() const override { return "FNO2d"; }
  /// {"modes1", "modes2", "width", "layers", "in_channels", "out_channels", "projection"}.
  nlohmann::json config() const override;
  std::vector<std::pair<std::string, nn::Module<T>*>> children() override;

  const FNO2dOptions& options() const { return options_; }
  nn::Linear<T>& lift() { return *lift_; }
  SpectralConv<T, 2>& spectral(int layer) { return *spectral_.at(static_cast<std::size_t>(layer)); }
  nn::Linear<T>& pointwise(int layer) { return *pointwise_.at(static_cast<std::size_t>(layer)); }
  nn::Linear<T>& project() { return *project_; }
  nn::Linear<T>& output() { return *output_; }

 private:
  FNO2dOptions options_;
  std::unique_ptr<nn::Linear<T>> lift_;
  std::vector<std::unique_ptr<SpectralConv<T, 2>>> spectral_;
  std::vector<std::unique_ptr<nn::Linear<T>>> pointwise_;
  std::vector<std::unique_ptr<nn::Activation<T>>> gelu_;  // after blocks 0 .. layers - 2
  std::unique_ptr<nn::Linear<T>> project_;
  std::unique_ptr<nn::Activation<T>> project_gelu_;
  std::unique_ptr<nn::Linear<T>> output_;
  std::vector<nn::Shape> inputs_;
};

}  // namespace torus::operators
