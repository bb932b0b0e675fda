#pragma once
/// \file
/// fft::LowModeTransform: the two transforms of FNO's 2-D Fourier layer, pruned to the low-mode
/// block it keeps, on fields held whole by one rank.
///
///   forward:  block = the low modes of rfft2(x)                      (no scaling)
///   backward: x = irfft2(the spectrum equal to block on its modes, 0 elsewhere)   (scaled 1/N)
///
/// with the block laid out as fft::gather_low_modes lays it out, (fields, 2 m0, m1): row j0 holds
/// frequency j0 for j0 < m0 and j0 - 2 m0 for j0 >= m0; column j1 holds frequency j1. These are
/// exactly Plan::forward + gather_low_modes and scatter_low_modes + Plan::backward (NumPy's
/// "backward" norm), at less cost: a 2-D real transform is n0 real transforms of the rows
/// followed by n1/2 + 1 complex transforms of the columns, and only the m1 columns that reach
/// the block need the second pass (m1 = 12 of 33 at FNO's 64^2), in both directions. The gather
/// and scatter become row copies of the first pass's output.

#include <Kokkos_Core.hpp>

#include <array>
#include <memory>

#include "torus/fft/engine.hpp"

namespace torus::fft {

template <class T>
class LowModeTransform {
 public:
  /// Plans the transforms of `fields` fields of n0 x n1 points keeping modes m0 x m1 (the block
  /// (fields, 2 m0, m1)). Throws torus::Error unless 1 <= m0 <= n0 / 2, 1 <= m1 <= n1 / 2 + 1
  /// and fields >= 1.
  LowModeTransform(std::array<int, 2> n, std::array<int, 2> modes, int fields,
                   Planning planning = Planning::measure);
  ~LowModeTransform();
  LowModeTransform(const LowModeTransform&) = delete;
  LowModeTransform& operator=(const LowModeTransform&) = delete;

  /// block (fields x 2 m0 x m1 complex) = low modes of rfft2(x) (fields x n0 x n1 real). Host
  /// memory; x is not modified.
  void forward(const T* x, Kokkos::complex<T>* block);

  /// x (fields x n0 x n1) = irfft2 of block zero-padded to the full spectrum, scaled by
  /// 1 / (n0 n1). Host memory; block is not modified.
  void backward(const Kokkos::complex<T>* block, T* x);

  int fields() const { return fields_; }

 private:
  struct Plans;
  std::array<int, 2> n_;
  std::array<int, 2> modes_;
  int fields_;
  std::unique_ptr<Plans> plans_;
};

}  // namespace torus::fft
