#pragma once
/// \file
/// Wavenumbers of a Grid's local spectral block, and the index arithmetic that every spectral
/// kernel of the FFT layer shares.
///
/// Storage axis s of a spectral block holds physical axis grid.spectral_axis(s). Its local index
/// i is the global index g = i + local_spectral_start() on storage axis 0 (the split axis) and
/// g = i on the others. A non-halved axis of n points holds the signed frequencies
///   f = g            for g <  ceil(n/2)
///   f = g - n        for g >= ceil(n/2)        (numpy.fft.fftfreq(n) * n),
/// and the halved last axis f = g = 0..n/2 (numpy.fft.rfftfreq(n) * n). The wavenumber of a box
/// side of length L is
///   k = 2 pi f / L.
///
/// \code
/// fft::Wavenumbers<double, 2> k(grid);          // k.k[s](i): storage axis s, local index i
/// Kokkos::parallel_for(..., KOKKOS_LAMBDA(...) { const double k2 = k.squared(i0, i1); ... });
/// \endcode

#include <Kokkos_Core.hpp>

#include <array>
#include <string>
#include <type_traits>

#include "torus/core/error.hpp"
#include "torus/fft/fields.hpp"
#include "torus/fft/grid.hpp"
#include "torus/fft/plan.hpp"

namespace torus::fft {

/// Choices made when wavenumbers are tabulated.
struct WavenumberOptions {
  /// Set k = 0 at the Nyquist frequency (index n/2 of every even axis, halved or not), as odd-order
  /// derivatives need.
  ///
  /// NOTE: why. On an even axis the frequencies +n/2 and -n/2 share one storage slot, and the
  /// Nyquist mode of a real field is the cosine cos(pi j) (its sine partner sin(pi j) vanishes
  /// at every grid point j). Multiplying by i k would make the slot i k_N X: that is the sine,
  /// which the grid cannot represent, and the result breaks the Hermitian symmetry
  /// X(-f) = conj(X(f)) that a real field's coefficients obey (the slot would have to be both
  /// +i k_N X and -i k_N X), so an inverse transform would silently mangle it. The derivative of
  /// the sampled trigonometric interpolant is zero there, which is what k = 0 gives. Even-order
  /// operators (-k^2) are symmetric in k and keep the Nyquist mode.
  bool zero_nyquist = false;
};

/// The wavenumbers k = 2 pi f / L of a Grid's local spectral block, one 1-D table per storage
/// axis, in `MemorySpace` so that kernels read them. Copying the struct is cheap (it holds Views).
template <class T, int Dim, class MemorySpace = DefaultMemorySpace>
struct Wavenumbers {
  static_assert(std::is_floating_point_v<T>, "torus::fft::Wavenumbers holds float or double");
  using view_type = Kokkos::View<T*, MemorySpace>;

  /// k[s](i): the wavenumber at local index i of storage axis s (physical axis
  /// grid.spectral_axis(s)); k[s].extent(0) == grid.local_spectral_extents()[s].
  Kokkos::Array<view_type, Dim> k;

  /// Empty tables, to be assigned from a constructed Wavenumbers.
  Wavenumbers() = default;

  /// Tabulates k = 2 pi f / L along every storage axis of `grid`'s local spectral block on the
  /// host, then copies the tables to MemorySpace. Throws nothing beyond allocation failures.
  explicit Wavenumbers(const Grid<Dim>& grid, WavenumberOptions options = {}) {
    constexpr double two_pi = 6.283185307179586476925286766559;
    for (int s = 0; s < Dim; ++s) {
      const int axis = grid.spectral_axis(s);
      const int n = grid.extents()[axis];
      const int start = s == 0 ? grid.local_spectral_start() : 0;
      const double length = grid.lengths()[axis];
      const bool zero_nyquist = options.zero_nyquist && n % 2 == 0;
      k[s] = view_type(Kokkos::view_alloc("torus::fft::wavenumbers " + std::to_string(s)),
                       grid.local_spectral_extents()[s]);
      auto table = Kokkos::create_mirror_view(k[s]);
      // k_i = 2 pi f(start + i) / L, with k = 0 at |f| = n/2 when asked (see WavenumberOptions).
      Kokkos::parallel_for(
          "torus::fft::tabulate_wavenumbers",
          Kokkos::RangePolicy<Kokkos::DefaultHostExecutionSpace>(0, table.extent(0)),
          [&](const std::size_t i) {
            const int f = grid.frequency(axis, start + static_cast<int>(i));
            const bool nyquist = zero_nyquist && 2 * (f < 0 ? -f : f) == n;
            table(i) = nyquist ? T(0) : static_cast<T>(two_pi * f / length);
          });
      Kokkos::fence();
      Kokkos::deep_copy(k[s], table);
    }
  }

  /// The wavenumber at local index i of storage axis s.
  KOKKOS_INLINE_FUNCTION T operator()(int s, int i) const { return k[s](i); }

  /// |k|^2 = sum over storage axes s of k[s](i_s)^2 at local storage indices (i0, i1[, i2]).
  KOKKOS_INLINE_FUNCTION T squared(int i0, int i1, int i2 = 0) const {
    const int i[3] = {i0, i1, i2};
    T sum = 0;
    for (int s = 0; s < Dim; ++s) sum += k[s](i[s]) * k[s](i[s]);
    return sum;
  }
};

namespace detail {

/// What a kernel needs to know about a Grid's local spectral block, by storage axis s:
/// the points n[s] of the physical axis it holds, that axis axis[s], and the global index
/// start[s] of local index 0. Trivially copyable into kernels.
template <int Dim>
struct SpectralAxes {
  Kokkos::Array<int, Dim> n;
  Kokkos::Array<int, Dim> axis;
  Kokkos::Array<int, Dim> start;
  Kokkos::Array<int, Dim> local;

  /// The global index of local index i along storage axis s.
  KOKKOS_INLINE_FUNCTION int global(int s, int i) const { return i + start[s]; }

  /// True when storage axis s holds the halved last physical axis (frequencies 0..n/2).
  KOKKOS_INLINE_FUNCTION bool halved(int s) const { return axis[s] == Dim - 1; }

  /// The signed frequency of local index i along storage axis s (see the file comment).
  KOKKOS_INLINE_FUNCTION int frequency(int s, int i) const {
    const int g = global(s, i);
    if (halved(s)) return g;
    return g < (n[s] + 1) / 2 ? g : g - n[s];
  }
};

template <int Dim>
SpectralAxes<Dim> spectral_axes(const Grid<Dim>& grid) {
  SpectralAxes<Dim> axes;
  for (int s = 0; s < Dim; ++s) {
    axes.axis[s] = grid.spectral_axis(s);
    axes.n[s] = grid.extents()[axes.axis[s]];
    axes.start[s] = s == 0 ? grid.local_spectral_start() : 0;
    axes.local[s] = grid.local_spectral_extents()[s];
  }
  return axes;
}

/// The entry (b, c, i0, i1[, i2]) of a rank-4 or rank-5 View; i2 is ignored in rank 4.
template <class View>
KOKKOS_INLINE_FUNCTION typename View::reference_type entry(const View& view, int b, int c, int i0,
                                                           int i1, int i2) {
  if constexpr (View::rank == 4) {
    (void)i2;
    return view(b, c, i0, i1);
  } else {
    return view(b, c, i0, i1, i2);
  }
}

/// Runs f(b, c, i0, i1, i2) in parallel over every entry of a (batch, channel, i0, i1[, i2])
/// View, in the View's execution space; i2 = 0 for rank-4 Views.
template <class View, class Functor>
void for_each_entry(const char* label, const View& view, const Functor& f) {
  using execution_space = typename View::execution_space;
  static_assert(View::rank == 4 || View::rank == 5, "fields are (batch, channel, x, y[, z])");
  if constexpr (View::rank == 4) {
    using policy = Kokkos::MDRangePolicy<execution_space, Kokkos::Rank<4>, Kokkos::IndexType<int>>;
    const typename policy::point_type lower{0, 0, 0, 0};
    const typename policy::point_type upper{
        static_cast<std::int64_t>(view.extent(0)), static_cast<std::int64_t>(view.extent(1)),
        static_cast<std::int64_t>(view.extent(2)), static_cast<std::int64_t>(view.extent(3))};
    Kokkos::parallel_for(
        label, policy(lower, upper),
        KOKKOS_LAMBDA(const int b, const int c, const int i0, const int i1) {
          f(b, c, i0, i1, 0);
        });
  } else {
    using policy = Kokkos::MDRangePolicy<execution_space, Kokkos::Rank<5>, Kokkos::IndexType<int>>;
    const typename policy::point_type lower{0, 0, 0, 0, 0};
    const typename policy::point_type upper{
        static_cast<std::int64_t>(view.extent(0)), static_cast<std::int64_t>(view.extent(1)),
        static_cast<std::int64_t>(view.extent(2)), static_cast<std::int64_t>(view.extent(3)),
        static_cast<std::int64_t>(view.extent(4))};
    Kokkos::parallel_for(
        label, policy(lower, upper),
        KOKKOS_LAMBDA(const int b, const int c, const int i0, const int i1, const int i2) {
          f(b, c, i0, i1, i2);
        });
  }
}

/// Runs f(b, c, r0, r1) in parallel over every row of a (batch, channel, i0, i1[, i2]) View, a
/// row being all entries that differ only in the last (contiguous) index: (b, c, i0) for rank 4
/// with r0 = i0 and r1 = 0, (b, c, i0, i1) for rank 5. f loops over the row itself, so kernels
/// that copy or zero whole rows pay for the index arithmetic once per row, not per entry.
template <class View, class Functor>
void for_each_row(const char* label, const View& view, const Functor& f) {
  using execution_space = typename View::execution_space;
  static_assert(View::rank == 4 || View::rank == 5, "fields are (batch, channel, x, y[, z])");
  const int channels = static_cast<int>(view.extent(1));
  const int n0 = static_cast<int>(view.extent(2));
  const int n1 = View::rank == 5 ? static_cast<int>(view.extent(3)) : 1;
  const std::int64_t rows = static_cast<std::int64_t>(view.extent(0)) * channels * n0 * n1;
  Kokkos::parallel_for(
      label, Kokkos::RangePolicy<execution_space>(0, rows), KOKKOS_LAMBDA(const std::int64_t row) {
        const int r1 = static_cast<int>(row % n1);
        const int r0 = static_cast<int>((row / n1) % n0);
        const int c = static_cast<int>((row / (static_cast<std::int64_t>(n1) * n0)) % channels);
        const int b = static_cast<int>(row / (static_cast<std::int64_t>(n1) * n0 * channels));
        f(b, c, r0, r1);
      });
}

/// The entry at last index i of row (b, c, r0, r1) of for_each_row().
template <class View>
KOKKOS_INLINE_FUNCTION typename View::reference_type row_entry(const View& view, int b, int c,
                                                               int r0, int r1, int i) {
  if constexpr (View::rank == 4) {
    (void)r1;
    return view(b, c, r0, i);
  } else {
    return view(b, c, r0, r1, i);
  }
}

/// Compile-time checks on a View that holds spectral fields of a Dim-dimensional grid.
template <int Dim, class View>
constexpr void assert_spectral_view() {
  using value = typename View::non_const_value_type;
  static_assert(View::rank == Dim + 2,
                "spectral fields are (batch, channel, kx, ky/2+1) or (batch, channel, kx, ky, "
                "kz/2+1) Views");
  static_assert(std::is_same_v<value, Kokkos::complex<float>> ||
                    std::is_same_v<value, Kokkos::complex<double>>,
                "spectral fields hold Kokkos::complex<float> or Kokkos::complex<double>");
  static_assert(std::is_same_v<typename View::array_layout, Kokkos::LayoutRight>,
                "torus fields are LayoutRight Views");
}

/// Compile-time checks on an (input, output) pair of spectral Views: both spectral, the same
/// complex type, a writable output, one memory space.
template <int Dim, class In, class Out>
constexpr void assert_spectral_pair() {
  assert_spectral_view<Dim, In>();
  assert_spectral_view<Dim, Out>();
  static_assert(std::is_same_v<typename In::non_const_value_type, typename Out::value_type>,
                "input and output hold the same complex type, and the output is not const");
  static_assert(std::is_same_v<typename In::memory_space, typename Out::memory_space>,
                "input and output live in the same memory space");
}

/// Throws torus::Error unless the spatial extents of `view` are the grid's local spectral block.
template <int Dim, class View>
void require_spectral_block(const Grid<Dim>& grid, const View& view, const std::string& role,
                            const std::string& where) {
  bool same = true;
  std::string want = "(batch, channels";
  for (int s = 0; s < Dim; ++s) {
    const int expected = grid.local_spectral_extents()[s];
    same = same && view.extent(s + 2) == static_cast<std::size_t>(expected);
    want += ", " + std::to_string(expected);
  }
  TORUS_REQUIRE(same,
                role + " has extents " + shape_of(view) + " but the local spectral block of grid " +
                    grid.describe() + " is " + want + ")",
                where, "allocate it with fft::Plan::make_spectral() on the same grid");
}

/// Throws torus::Error when `in` and `out` overlap without being the very same View data:
/// pointwise kernels may run in place, but not on shifted memory.
template <class In, class Out>
void require_same_or_disjoint(const In& in, const Out& out, const std::string& where) {
  TORUS_REQUIRE(in.data() == static_cast<const void*>(out.data()) || !overlap(in, out),
                "input and output Views partly overlap", where,
                "pass the same View for in-place use, or separate Views");
}

}  // namespace detail
}  // namespace torus::fft
