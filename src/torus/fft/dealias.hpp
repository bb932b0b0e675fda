#pragma once
/// \file
/// The 2/3 rule (Orszag): removing the modes that a quadratic product would alias.
///
/// A mode is kept when, on every axis a of n_a points, its signed frequency f_a satisfies
///   3 |f_a| < n_a,   i.e.   |f_a| <= floor((n_a - 1) / 3) = dealias_cutoff(n_a),
/// and zeroed otherwise. Why exactly this bound: if u and v hold only |f| <= K, their product
/// holds |f| <= 2K, and the grid folds a frequency f with |f| > n/2 onto f - n or f + n. The folded
/// frequencies of the product stay outside the kept band as long as n - 2K > K, i.e. 3K < n;
/// so K = floor((n - 1)/3) is the largest band whose products can be truncated back without
/// aliasing. (This is the "|k| < n/3" form of pseudo-spectral Navier–Stokes codes; for n not a
/// multiple of 3 it equals "|k| <= 2/3 * n/2".) The halved last axis uses the same rule with
/// its full n.

#include <Kokkos_Core.hpp>

#include <string>
#include <type_traits>

#include "torus/fft/fields.hpp"
#include "torus/fft/grid.hpp"
#include "torus/fft/wavenumbers.hpp"

namespace torus::fft {

/// The largest |f| the 2/3 rule keeps on an axis of n points: floor((n - 1) / 3).
inline int dealias_cutoff(int n) { return (n - 1) / 3; }

/// A real 0/1 mask over a local spectral block in storage order: (kx, ky/2+1) or
/// (kx, ky, kz/2+1), with the first two axes swapped on a transposed grid.
template <class T, int Dim, class MemorySpace = DefaultMemorySpace>
using SpectralMask =
    std::conditional_t<Dim == 2, Kokkos::View<T**, Kokkos::LayoutRight, MemorySpace>,
                       Kokkos::View<T***, Kokkos::LayoutRight, MemorySpace>>;

namespace detail {

/// True when every frequency of the local storage indices (i0, i1[, i2]) obeys 3|f| < n.
template <int Dim>
KOKKOS_INLINE_FUNCTION bool kept_by_two_thirds(const SpectralAxes<Dim>& axes, int i0, int i1,
                                               int i2) {
  const int i[3] = {i0, i1, i2};
  bool kept = true;
  for (int s = 0; s < Dim; ++s) {
    const int f = axes.frequency(s, i[s]);
    kept = kept && 3 * (f < 0 ? -f : f) < axes.n[s];
  }
  return kept;
}

}  // namespace detail

/// Zeroes, in place, every mode of x_hat that the 2/3 rule removes (3|f_a| >= n_a on some axis
/// a; see the file comment). Works on split and transposed grids. Throws torus::Error when the
/// extents are not the grid's local spectral block.
template <int Dim, class View>
void dealias(const Grid<Dim>& grid, const View& x_hat) {
  detail::assert_spectral_view<Dim, View>();
  static_assert(!std::is_const_v<typename View::value_type>, "dealias() writes into x_hat");
  detail::require_spectral_block(grid, x_hat, "the spectral field",
                                 "fft::dealias on grid " + grid.describe());
  using complex = typename View::value_type;

  const auto axes = detail::spectral_axes(grid);
  // x_hat(f) <- 0 unless 3|f_a| < n_a on every axis a.
  detail::for_each_entry(
      "torus::fft::dealias", x_hat,
      KOKKOS_LAMBDA(const int b, const int c, const int i0, const int i1, const int i2) {
        if (!detail::kept_by_two_thirds(axes, i0, i1, i2)) {
          detail::entry(x_hat, b, c, i0, i1, i2) = complex(0, 0);
        }
      });
}

/// The 2/3 rule as a mask over `grid`'s local spectral block (storage order): 1 where a mode is
/// kept, 0 where dealias() zeroes it. Multiply a spectral field by it to dealias. Throws
/// nothing beyond allocation failures.
template <class T, int Dim, class MemorySpace = DefaultMemorySpace>
SpectralMask<T, Dim, MemorySpace> dealias_mask(const Grid<Dim>& grid) {
  using mask_type = SpectralMask<T, Dim, MemorySpace>;
  using execution_space = typename MemorySpace::execution_space;
  const auto& local = grid.local_spectral_extents();
  const auto axes = detail::spectral_axes(grid);

  mask_type mask;
  if constexpr (Dim == 2) {
    mask = mask_type(Kokkos::view_alloc("torus::fft::dealias_mask"), local[0], local[1]);
    // mask(f) = 1 if 3|f_a| < n_a on every axis a, else 0.
    Kokkos::parallel_for(
        "torus::fft::dealias_mask",
        Kokkos::MDRangePolicy<execution_space, Kokkos::Rank<2>>({0, 0}, {local[0], local[1]}),
        KOKKOS_LAMBDA(const int i0, const int i1) {
          mask(i0, i1) = detail::kept_by_two_thirds(axes, i0, i1, 0) ? T(1) : T(0);
        });
  } else {
    mask = mask_type(Kokkos::view_alloc("torus::fft::dealias_mask"), local[0], local[1], local[2]);
    Kokkos::parallel_for(
        "torus::fft::dealias_mask",
        Kokkos::MDRangePolicy<execution_space, Kokkos::Rank<3>>({0, 0, 0},
                                                                {local[0], local[1], local[2]}),
        KOKKOS_LAMBDA(const int i0, const int i1, const int i2) {
          mask(i0, i1, i2) = detail::kept_by_two_thirds(axes, i0, i1, i2) ? T(1) : T(0);
        });
  }
  return mask;
}

}  // namespace torus::fft
