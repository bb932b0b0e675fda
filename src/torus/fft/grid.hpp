#pragma once
/// \file
/// torus::fft::Grid: a periodic grid and how its points are split over MPI ranks.
///
/// Physical fields are split in slabs along x (the first spatial axis): rank r holds
/// x in [local_start, local_start + local_extents[0]). Their real-to-complex transforms halve the
/// last axis, (nx, ny, nz) -> (nx, ny, nz/2+1), and are split the same way, or, when the grid is
/// made with `transposed_spectral`, along ky with the first two spectral axes swapped:
/// (ky, kx, kz/2+1) in 3-D and (ky/2+1, kx) in 2-D. The transposed layout saves the final
/// all-to-all of a distributed transform for callers that stay in frequency space (solvers
/// whose every operation is diagonal in k).
///
/// A Grid on MPI_COMM_SELF (the default) is not split: each rank transforms whole fields of its
/// own, which is what data-parallel training wants.

#include <mpi.h>

#include <array>
#include <cstdint>
#include <string>

namespace torus::fft {

/// Choices made when a Grid is built.
struct GridOptions {
  /// Keep distributed spectral data in the transposed (ky-split) layout; see the file comment.
  bool transposed_spectral = false;
};

template <int Dim>
class Grid {
  static_assert(Dim == 2 || Dim == 3, "torus::fft::Grid is 2-D or 3-D");

 public:
  using Extents = std::array<int, Dim>;
  using Lengths = std::array<double, Dim>;

  /// A grid of n[0] x n[1] (x n[2]) points on the box [0, L0) x [0, L1) (x [0, L2)), split over
  /// `comm`. Throws torus::Error if an extent is below 1 or n[0] is not a multiple of the number
  /// of ranks (every rank must hold an equal slab).
  explicit Grid(Extents n, MPI_Comm comm = MPI_COMM_SELF, GridOptions options = {},
                Lengths lengths = unit_lengths());

  /// Global physical extents (nx, ny[, nz]).
  const Extents& extents() const { return extents_; }
  /// Side lengths of the periodic box.
  const Lengths& lengths() const { return lengths_; }
  /// Number of points of one field: the N of the normalisation.
  std::int64_t points() const;

  /// Global spectral extents in physical axis order: (nx, ny/2+1) or (nx, ny, nz/2+1).
  Extents spectral_extents() const;

  /// This rank's physical slab: (nx / ranks, ny[, nz]).
  const Extents& local_extents() const { return local_extents_; }
  /// Global x index of this rank's first plane.
  int local_start() const { return local_start_; }
  /// Points in this rank's physical slab.
  std::int64_t local_points() const;

  /// This rank's spectral block in storage order (see spectral_axis()).
  const Extents& local_spectral_extents() const { return local_spectral_extents_; }
  /// Global index, along spectral storage axis 0, of this rank's first row.
  int local_spectral_start() const { return local_spectral_start_; }
  /// Complex values in this rank's spectral block.
  std::int64_t local_spectral_points() const;
  /// The physical axis held by spectral storage axis `storage_axis`: the identity, or axes 0 and
  /// 1 swapped when the spectral layout is transposed.
  int spectral_axis(int storage_axis) const;

  /// The signed frequency of global spectral index `index` along physical axis `axis`, in
  /// numpy.fft.fftfreq's convention (index - n for index >= ceil(n/2)); the halved last axis
  /// holds 0..n/2.
  int frequency(int axis, int index) const;

  bool transposed() const { return options_.transposed_spectral && distributed(); }
  bool distributed() const { return ranks_ > 1; }
  MPI_Comm comm() const { return comm_; }
  int rank() const { return rank_; }
  int ranks() const { return ranks_; }

  /// "256x256 on [0,1)^2 over 2 ranks (x slabs of 128)".
  std::string describe() const;

  friend bool operator==(const Grid& a, const Grid& b) {
    return a.extents_ == b.extents_ && a.lengths_ == b.lengths_ && a.comm_ == b.comm_ &&
           a.transposed() == b.transposed();
  }
  friend bool operator!=(const Grid& a, const Grid& b) { return !(a == b); }

  static Lengths unit_lengths() {
    Lengths ones;
    ones.fill(1.0);
    return ones;
  }

 private:
  Extents extents_;
  Lengths lengths_;
  GridOptions options_;
  MPI_Comm comm_;
  int rank_ = 0;
  int ranks_ = 1;
  Extents local_extents_;
  int local_start_ = 0;
  Extents local_spectral_extents_;
  int local_spectral_start_ = 0;
};

/// "64x64x32", for messages.
template <int Dim>
std::string format_extents(const std::array<int, Dim>& n);

}  // namespace torus::fft
