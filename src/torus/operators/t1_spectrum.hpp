#pragma once
/// \file
/// torus::operators::T1Spectrum: the one transform of Transform-Once (T1), from physical fields
/// to the real coefficients of a retained low-frequency block, and back.
///
/// **DCT** (T1Transform::dct, the default). c = the m0 x m1 lowest coefficients of the
/// orthonormal DCT-II over (x, y) (fft::DctPlan, norm ortho), shape (batch, C, m0, m1). The
/// DCT is orthonormal, so synthesis (zero-pad, DCT-III) is the adjoint of analysis, and
/// ||c||^2 = ||P x||^2 where P x = synthesise(analyse(x)) is the orthogonal projection of x on
/// the retained cosines (Parseval). With keep_high, c is all X x Y coefficients.
///
/// **Real FFT** (T1Transform::rfft). The FNO corner block of fft/low_modes.hpp, frequencies
/// f0 in {0..m0-1} u {-m0..-1} and f1 in {0..m1-1} of the orthonormal rfft2, carried as real
/// channels: channel ch holds the real parts and channel C + ch the imaginary parts of
/// physical channel ch, shape (batch, 2 C, 2 m0, m1). The entries are weighted so that the
/// plain Euclidean norm of c is the L2 norm of the real field they stand for:
///   c = w(f) X_hat(f),   w = sqrt(2) for f1 >= 1 (their conjugates f -> -f are not stored),
///                        w = sqrt(2) for (f0, f1) = (-m0, 0) when 2 m0 < X (its partner +m0
///                        is not in the block: the entry stands for both),
///                        w = 1 for the other entries of the f1 = 0 column.
/// A real field has X_hat(-f0, 0) = conj X_hat(f0, 0) on the f1 = 0 column; analysis and
/// synthesis apply the orthogonal projection H onto that constraint (average each stored pair
/// (f0, -f0) with its conjugate, zero the imaginary part of self-conjugate entries), so any
/// coefficient tensor, predicted or not, is read as the coefficients of a real field. Then
///   synthesise = analyse^T,  analyse(synthesise(c)) = H c,  ||H c|| = ||synthesise(c)||,
/// and synthesise(analyse(x)) = P x, the orthogonal projection of x onto the band (the block
/// and its conjugate mirror, which includes +m0 on the f1 = 0 column). The Nyquist column
/// f1 = Y/2 is never retained (m1 <= Y/2), 2 m0 <= X.
///
/// Plans are made on first use for each (batch, channels) and kept.

#include <array>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "torus/fft/dct.hpp"
#include "torus/fft/plan.hpp"
#include "torus/nn/tensor.hpp"

namespace torus::operators {

/// Which transform T1 applies once: the orthonormal DCT-II or the orthonormal real FFT.
enum class T1Transform { dct, rfft };

/// "dct", "rfft".
std::string to_string(T1Transform transform);
/// Parses the names of to_string(); throws torus::Error naming them otherwise.
T1Transform parse_t1_transform(const std::string& name);

/// Analysis (physical -> retained real coefficients) and synthesis (its adjoint) on one grid;
/// see the file comment.
template <class T>
class T1Spectrum {
 public:
  /// Throws torus::Error for grid extents below 1, modes below 1 or beyond the grid (dct:
  /// m0 <= X, m1 <= Y; rfft: 2 m0 <= X, m1 <= Y/2), or keep_high with rfft (not supported).
  T1Spectrum(T1Transform transform, std::array<int, 2> grid, std::array<int, 2> modes,
             bool keep_high = false, fft::Planning planning = fft::Planning::measure);

  /// Coefficients of `channels` physical channels: channels (dct) or 2 channels (rfft).
  int coefficient_channels(int channels) const;
  /// The retained block inside the coefficient tensor: (m0, m1) (dct) or (2 m0, m1) (rfft).
  std::array<int, 2> block() const;
  /// The extents of the coefficient tensor's last two axes: block(), or (X, Y) with keep_high.
  std::array<int, 2> coefficient_extents() const;
  /// (batch, coefficient_channels(channels), coefficient_extents()).
  nn::Shape coefficient_shape(std::int64_t batch, int channels) const;
  /// The number of real degrees of freedom one channel keeps: m0 m1 (dct; X Y with keep_high),
  /// 4 m0 m1 - 2 m0 + [2 m0 < X] (rfft: the band and its conjugate mirror).
  std::int64_t retained_dimensions() const;

  /// c = analysis of x (batch, C, X, Y); throws torus::Error for another grid.
  nn::Tensor<T> analyse(const nn::Tensor<T>& x);
  /// x = synthesis of c (coefficient_shape(batch, C)) on the grid: the adjoint of analyse();
  /// throws torus::Error for a shape analyse() does not produce.
  nn::Tensor<T> synthesise(const nn::Tensor<T>& c);
  /// H c: the real-field projection of the rfft coefficients (a copy of c for dct).
  nn::Tensor<T> project(const nn::Tensor<T>& c) const;

  T1Transform transform() const { return transform_; }
  const std::array<int, 2>& grid() const { return grid_; }
  const std::array<int, 2>& modes() const { return modes_; }
  bool keep_high() const { return keep_high_; }

 private:
  int physical_channels(const nn::Tensor<T>& c, const char* who) const;
  fft::DctPlan<T, 2>& dct_plan(int batch, int channels);
  fft::Plan<T, 2>& rfft_plan(int batch, int channels);

  T1Transform transform_;
  std::array<int, 2> grid_;
  std::array<int, 2> modes_;
  bool keep_high_;
  fft::Planning planning_;
  std::unique_ptr<fft::Grid<2>> fft_grid_;
  std::map<std::pair<int, int>, std::unique_ptr<fft::DctPlan<T, 2>>> dct_plans_;
  std::map<std::pair<int, int>, std::unique_ptr<fft::Plan<T, 2>>> rfft_plans_;
};

namespace detail {

/// dst(b, c, i, j) = src(b, c, i, j) for i < n0, j < n1 (the low corner), between contiguous
/// (B, C, S0, S1) src and (B, C, D0, D1) dst; the rest of dst is untouched.
template <class T>
void copy_corner(const nn::Tensor<T>& src, const nn::Tensor<T>& dst, int n0, int n1);

/// dst(b, c, i, j) = 0 for i < n0, j < n1.
template <class T>
void zero_corner(const nn::Tensor<T>& dst, int n0, int n1);

}  // namespace detail

}  // namespace torus::operators
