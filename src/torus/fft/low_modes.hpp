#pragma once
/// \file
/// The low-mode block that FNO and T1 weights act on: gathering it out of a spectral field and
/// scattering it back.
///
/// For retained modes m = (m0, m1[, m2]) the block holds every frequency with
///   f_a in {0, ..., m_a - 1} u {-m_a, ..., -1}   on the non-halved axes,
///   f    in {0, ..., m - 1}                       on the halved last axis,
/// i.e. all the corners of the spectral field, in a compact Kokkos::View
///   2-D: (batch, channel, 2 m0, m1)        3-D: (batch, channel, 2 m0, 2 m1, m2),
/// always in physical axis order (also on a transposed grid). On a non-halved axis, compact
/// index j holds frequency f = j for j < m and f = j - 2m for j >= m (so m..2m-1 hold -m..-1).
///
/// On a split grid a rank holds only part of the spectral field: gather_low_modes() fills the
/// entries that rank owns and zeros the others, so the sum of the blocks over the ranks
/// (MPI_Allreduce with MPI_SUM) is the full block; scatter_low_modes() takes a full block and
/// picks the entries the rank owns.

#include <Kokkos_Core.hpp>

#include <array>
#include <string>
#include <type_traits>

#include "torus/core/error.hpp"
#include "torus/fft/grid.hpp"
#include "torus/fft/wavenumbers.hpp"

namespace torus::fft {

/// Extents of the low-mode block of `batch` x `channels` fields for retained modes `modes`:
/// (batch, channels, 2 m0, m1) or (batch, channels, 2 m0, 2 m1, m2).
template <std::size_t Dim>
std::array<std::size_t, Dim + 2> low_mode_extents(const std::array<int, Dim>& modes, int batch,
                                                  int channels) {
  std::array<std::size_t, Dim + 2> extents;
  extents[0] = static_cast<std::size_t>(batch);
  extents[1] = static_cast<std::size_t>(channels);
  for (std::size_t a = 0; a < Dim; ++a) {
    extents[a + 2] = static_cast<std::size_t>(a + 1 == Dim ? modes[a] : 2 * modes[a]);
  }
  return extents;
}

namespace detail {

/// Per physical axis: the points n, the retained modes m, and the storage axis that holds it.
template <int Dim>
struct LowModeAxes {
  SpectralAxes<Dim> spectral;
  Kokkos::Array<int, Dim> n;
  Kokkos::Array<int, Dim> m;
  Kokkos::Array<int, Dim> storage;

  /// The global spectral index of compact index j along physical axis a:
  /// j for the positive frequencies (and on the halved axis), n - 2m + j for j >= m.
  KOKKOS_INLINE_FUNCTION int global_of_compact(int a, int j) const {
    return (a == Dim - 1 || j < m[a]) ? j : n[a] - 2 * m[a] + j;
  }

  /// The compact index of global spectral index g along physical axis a, or -1 outside the block.
  KOKKOS_INLINE_FUNCTION int compact_of_global(int a, int g) const {
    if (g < m[a]) return g;
    if (a != Dim - 1 && g >= n[a] - m[a]) return g - n[a] + 2 * m[a];
    return -1;
  }
};

template <int Dim, class SpectralView, class BlockView>
LowModeAxes<Dim> check_low_modes(const Grid<Dim>& grid, const typename Grid<Dim>::Extents& modes,
                                 const SpectralView& x_hat, const BlockView& block,
                                 const std::string& where) {
  assert_spectral_view<Dim, SpectralView>();
  assert_spectral_view<Dim, BlockView>();
  static_assert(std::is_same_v<typename SpectralView::non_const_value_type,
                               typename BlockView::non_const_value_type>,
                "the spectral field and the block hold the same complex type");
  static_assert(
      std::is_same_v<typename SpectralView::memory_space, typename BlockView::memory_space>,
      "the spectral field and the block live in the same memory space");

  LowModeAxes<Dim> axes;
  axes.spectral = spectral_axes(grid);
  const auto& n = grid.extents();
  for (int a = 0; a < Dim; ++a) {
    const bool halved = a == Dim - 1;
    const int limit = halved ? n[a] / 2 + 1 : n[a] / 2;
    TORUS_REQUIRE(
        modes[a] >= 1 && modes[a] <= limit,
        "retaining " + std::to_string(modes[a]) + " modes along axis " + std::to_string(a) +
            " does not fit grid " + grid.describe() +
            (halved ? " (the halved axis holds n/2 + 1 frequencies)"
                    : " (the block takes 2 m frequencies, m positive and m negative)"),
        "modes",
        "retain between 1 and " + std::to_string(limit) + " modes along axis " + std::to_string(a));
    axes.n[a] = n[a];
    axes.m[a] = modes[a];
    axes.storage[a] = grid.spectral_axis(a);
  }
  require_spectral_block(grid, x_hat, "the spectral field", where);

  const auto expected = low_mode_extents<Dim>(modes, static_cast<int>(x_hat.extent(0)),
                                              static_cast<int>(x_hat.extent(1)));
  bool same = true;
  std::string want = "(";
  for (int r = 0; r < Dim + 2; ++r) {
    same = same && block.extent(r) == expected[r];
    want += (r ? ", " : "") + std::to_string(expected[r]);
  }
  TORUS_REQUIRE(same,
                "the low-mode block has extents " + shape_of(block) + " but " + want +
                    ") is expected for modes " + format_extents<Dim>(modes) +
                    " of the spectral field " + shape_of(x_hat),
                where, "allocate the block with fft::low_mode_extents(modes, batch, channels)");
  return axes;
}

}  // namespace detail

/// Copies the low modes of x_hat into the compact block (see the file comment for the layout):
/// block(b, c, j) = x_hat(b, c, f(j)). On a split grid this rank's entries are filled and the
/// others set to 0; an MPI_Allreduce (sum) of the blocks over grid.comm() gives the full block.
/// Throws torus::Error when 2 m_a > n_a on a non-halved axis, m > n/2 + 1 on the halved one,
/// m < 1, or the Views' extents do not match the grid, the modes and each other.
template <int Dim, class SpectralView, class BlockView>
void gather_low_modes(const Grid<Dim>& grid, const typename Grid<Dim>::Extents& modes,
                      const SpectralView& x_hat, const BlockView& block) {
  static_assert(!std::is_const_v<typename BlockView::value_type>, "gather writes into the block");
  const auto axes = detail::check_low_modes(grid, modes, x_hat, block,
                                            "fft::gather_low_modes on grid " + grid.describe());
  using complex = typename BlockView::value_type;

  // block(j) = x_hat(g(j)) where this rank owns the global index g(j), else 0. Row by row of
  // the block (rows run along the last physical axis), so ownership along the other axes is
  // decided once per row.
  detail::for_each_row(
      "torus::fft::gather_low_modes", block,
      KOKKOS_LAMBDA(const int b, const int c, const int r0, const int r1) {
        const int row[2] = {r0, r1};
        int local[3] = {0, 0, 0};
        bool owned = true;
        for (int a = 0; a + 1 < Dim; ++a) {
          const int s = axes.storage[a];
          local[s] = axes.global_of_compact(a, row[a]) - axes.spectral.start[s];
          owned = owned && local[s] >= 0 && local[s] < axes.spectral.local[s];
        }
        const int last = Dim - 1;
        const int s = axes.storage[last];
        const int count = static_cast<int>(block.extent(Dim + 1));
        for (int j = 0; j < count; ++j) {
          local[s] = axes.global_of_compact(last, j) - axes.spectral.start[s];
          const bool here = owned && local[s] >= 0 && local[s] < axes.spectral.local[s];
          detail::row_entry(block, b, c, r0, r1, j) =
              here ? complex(detail::entry(x_hat, b, c, local[0], local[1], local[2]))
                   : complex(0, 0);
        }
      });
}

/// The adjoint of gather_low_modes(): writes the block's entries into the low modes of x_hat,
/// x_hat(b, c, f(j)) = block(b, c, j), and sets every other mode of x_hat to 0. `block` is the
/// full block on every rank; a split grid's rank picks the entries it owns. Throws torus::Error
/// as gather_low_modes() does.
template <int Dim, class BlockView, class SpectralView>
void scatter_low_modes(const Grid<Dim>& grid, const typename Grid<Dim>::Extents& modes,
                       const BlockView& block, const SpectralView& x_hat) {
  static_assert(!std::is_const_v<typename SpectralView::value_type>,
                "scatter writes into the spectral field");
  const auto axes = detail::check_low_modes(grid, modes, x_hat, block,
                                            "fft::scatter_low_modes on grid " + grid.describe());
  TORUS_REQUIRE(!detail::overlap(x_hat, block), "the block and the spectral field share memory",
                "fft::scatter_low_modes", "pass separate Views");
  using complex = typename SpectralView::value_type;

  // x_hat(g) = block(j(g)) where the global index g lies in the block on every axis, else 0.
  // Row by row of x_hat: a row whose leading indices fall outside the block is zeroed without
  // looking at its entries.
  detail::for_each_row(
      "torus::fft::scatter_low_modes", x_hat,
      KOKKOS_LAMBDA(const int b, const int c, const int r0, const int r1) {
        const int row[2] = {r0, r1};
        int j[3] = {0, 0, 0};
        int last = 0;  // the physical axis stored along the row
        bool inside = true;
        for (int a = 0; a < Dim; ++a) {
          const int s = axes.storage[a];
          if (s == Dim - 1) {
            last = a;
            continue;
          }
          j[a] = axes.compact_of_global(a, axes.spectral.global(s, row[s]));
          inside = inside && j[a] >= 0;
        }
        const int count = axes.spectral.local[Dim - 1];
        for (int i = 0; i < count; ++i) {
          j[last] = inside ? axes.compact_of_global(last, axes.spectral.global(Dim - 1, i)) : -1;
          detail::row_entry(x_hat, b, c, r0, r1, i) =
              j[last] >= 0 ? complex(detail::entry(block, b, c, j[0], j[1], j[2])) : complex(0, 0);
        }
      });
}

}  // namespace torus::fft
