#pragma once
/// \file
/// torus::operators::SpectralConv: the Fourier layer of FNO, a channel mixing that acts on the
/// low Fourier modes only.
///
/// On fields x(b, i, t) of shape (batch, in, n0, n1[, n2]), with X = rfftn(x) (unnormalised) and
/// K the low-mode block of fft/low_modes.hpp ((2 m0, m1) in 2-D, (2 m0, 2 m1, m2) in 3-D: the
/// corners FNO's weights1..weights4 cover),
///   Y(b, o, k) = sum_i X(b, i, k) W(i, o, k)   for k in K,   Y = 0 elsewhere,
///   y = irfftn(Y)                               (with its 1/N, N = n0 n1 [n2]).
/// This is what torch.fft.irfftn does with a half spectrum that is not Hermitian: on the halved
/// axis the modes k_last = 0 and k_last = n_last/2 (the Nyquist, n_last even) enter once and the
/// others twice, as the real part of their term,
///   y(t) = (1/N) Re sum_{k in K} c_k Y(k) e^{2 pi i k.t/n},   c_k = 1 (k_last = 0 or Nyquist),
///                                                              c_k = 2 (otherwise).
///
/// Adjoint. Write a complex variable's gradient as G_Z = dL/dRe Z + i dL/dIm Z, so that
/// dL = Re(conj(G_Z) dZ); a complex parameter stored as (re, im) pairs has exactly these pairs
/// as its gradient (what PyTorch reports for complex leaves). Given dy = dL/dy:
///   G_Y(k)       = (c_k / N) D(k),   D = rfftn(dy) (unnormalised), from the Re-sum above;
///   G_X(b, i, k) = sum_o G_Y(b, o, k) conj W(i, o, k);
///   G_W(i, o, k) = sum_b conj X(b, i, k) G_Y(b, o, k);
///   dx(t)        = Re sum_{k in K} G_X(k) e^{2 pi i k.t/n} = N irfftn(G_X / c).
/// The c_k cancel in dx, which is the same operator with W replaced by its conjugate transpose,
///   dx = irfftn(P W^H rfftn(dy)),     G_W(i, o, k) = (c_k / N) sum_b conj X(b, i, k) D(b, o, k),
/// while the weight gradient keeps both the 1/N of the inverse transform and the factor c_k of
/// the Hermitian half-spectrum. backward() implements these two lines; the tests check them
/// against finite differences and the identities <y, r> = <x, dx> = <W, dW> of a bilinear map.
///
/// Transforms. In 2-D the layer goes straight between fields and blocks through
/// fft::LowModeTransform, whose column pass runs only over the m1 columns the block keeps; in 3-D
/// it uses full plans with gather_low_modes / scatter_low_modes.
///
/// Resolution. The weights are tied to mode numbers, not grid points, so one module runs on any
/// grid that holds its modes (FNO's zero-shot super-resolution): plans and buffers are made on
/// the first call with a (batch, grid) pair and cached for later calls.
///
/// \code
/// operators::SpectralConv<float, 2> conv(32, 32, {12, 12}, RandomKey{7});
/// nn::Tensor<float> x({20, 32, 64, 64});
/// auto y = conv.forward(x);        // (20, 32, 64, 64)
/// auto dx = conv.backward(dy);     // and conv.weight().grad += dL/dW
/// \endcode

#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "torus/core/random.hpp"
#include "torus/fft/engine.hpp"
#include "torus/fft/fields.hpp"
#include "torus/nn/module.hpp"

namespace torus::operators {

/// Choices of a SpectralConv that do not change what it computes.
struct SpectralConvOptions {
  /// How hard FFTW plans the cached transforms (made once per batch size and grid).
  fft::Planning planning = fft::Planning::measure;
};

/// FNO's spectral convolution on 2-D or 3-D fields; see the file comment for the formulas.
///
/// The weight is one parameter "weight" of shape (in, out, 2 m0, m1, 2) in 2-D or
/// (in, out, 2 m0, 2 m1, m2, 2) in 3-D holding (re, im) pairs; compact index j < m_a of a
/// non-halved axis is frequency j and j >= m_a is frequency j - 2 m_a (FNO's weights1 and
/// weights2 are W[:, :, :m0] and W[:, :, m0:]). It is initialised as the FNO reference code
/// does: real and imaginary parts scale * uniform[0, 1) with scale = 1 / (in out).
template <class T, int Dim>
class SpectralConv : public nn::Module<T> {
  static_assert(Dim == 2 || Dim == 3, "SpectralConv acts on 2-D or 3-D fields");

 public:
  using Modes = std::array<int, Dim>;

  /// Mixes `in` channels into `out` channels on `modes` retained modes per axis (m0, m1[, m2]),
  /// the last being the halved axis. Throws torus::Error for in, out or a mode count below 1.
  SpectralConv(int in, int out, Modes modes, RandomKey key, SpectralConvOptions options = {});
  ~SpectralConv() override;

  /// y = irfftn(P W rfftn(x)) on x of shape (batch, in, n0, n1[, n2]), any grid that holds the
  /// modes. Throws torus::Error for another rank or channel count, or a grid too small for the
  /// modes (FNO's limits: m_a <= n_a / 2 on the full axes, m_last <= n_last / 2 + 1).
  nn::Tensor<T> forward(const nn::Tensor<T>& x) override;

  /// dx = irfftn(P W^H rfftn(dy)) for the latest forward; adds dL/dW to weight().grad.
  /// Throws torus::Error without a training forward() or for dy of another shape than y.
  nn::Tensor<T> backward(const nn::Tensor<T>& grad_y) override;

  /// "SpectralConv2d" or "SpectralConv3d".
  std::string kind() const override;
  /// {"in", "out", "modes"}.
  nlohmann::json config() const override;

  int in() const { return in_; }
  int out() const { return out_; }
  const Modes& modes() const { return modes_; }
  nn::Parameter<T>& weight() { return *weight_; }
  /// How many (batch, grid) pairs have plans cached.
  std::size_t cached_grids() const { return cache_.size(); }

 private:
  // The cache key: batch and grid extents.
  using Key = std::array<int, Dim + 1>;
  struct Transforms;  // plans and scratch of one (batch, grid); defined in the .cpp
  // What backward() needs of one forward(): its key and the low-mode block X of its input.
  struct Saved {
    Key key;
    fft::SpectralField<T, Dim> x_block;
  };

  Key check_input(const nn::Tensor<T>& x, const std::string& who) const;
  Transforms& transforms(const Key& key);

  int in_;
  int out_;
  Modes modes_;
  SpectralConvOptions options_;
  nn::Parameter<T>* weight_;
  std::map<Key, std::unique_ptr<Transforms>> cache_;
  std::vector<Saved> saved_;
};

}  // namespace torus::operators
