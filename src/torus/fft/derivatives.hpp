#pragma once
/// \file
/// Spectral derivatives of batches of fields: partial derivatives, the gradient, the Laplacian
/// and its inverse, as pointwise multiplications of the coefficients u_hat(k) of a Plan's
/// spectral Views (split or transposed grids included: every operation is local in k).
///
/// \code
/// plan.forward(u, u_hat);
/// fft::derivative(grid, 0, u_hat, du_dx_hat);      // d/dx
/// fft::inverse_laplacian(grid, omega_hat, psi_hat); // solve lap psi = omega (mean dropped)
/// \endcode
///
/// Every function takes `(batch, channel, ...)` spectral Views whose spatial extents are the
/// grid's local spectral block, any normalisation (the operators are linear and diagonal, so
/// they commute with the scaling), and runs in place when the input and output are the same
/// View.

#include <Kokkos_Core.hpp>

#include <string>
#include <type_traits>

#include "torus/core/error.hpp"
#include "torus/fft/grid.hpp"
#include "torus/fft/wavenumbers.hpp"

namespace torus::fft {

namespace detail {

template <int Dim, class In, class Out>
void check_pointwise(const Grid<Dim>& grid, const In& in_hat, const Out& out_hat,
                     const std::string& where) {
  assert_spectral_pair<Dim, In, Out>();
  require_spectral_block(grid, in_hat, "the spectral input", where);
  require_spectral_block(grid, out_hat, "the spectral output", where);
  TORUS_REQUIRE(in_hat.extent(0) == out_hat.extent(0) && in_hat.extent(1) == out_hat.extent(1),
                "the spectral input " + shape_of(in_hat) + " and output " + shape_of(out_hat) +
                    " hold different numbers of fields",
                where, "give both the same batch and channel counts");
  require_same_or_disjoint(in_hat, out_hat, where);
}

template <int Dim>
void check_axis(const Grid<Dim>& grid, int axis, const std::string& where) {
  TORUS_REQUIRE(
      axis >= 0 && axis < Dim,
      "derivative axis " + std::to_string(axis) + " is not an axis of grid " + grid.describe(),
      where, "give a physical axis 0.." + std::to_string(Dim - 1) + " (0 is x)");
}

template <class View>
using real_type_of = typename View::non_const_value_type::value_type;

}  // namespace detail

/// out_hat = the coefficients of du/dx_axis, for the fields u whose coefficients are in_hat
/// (`axis` is physical: 0 is x). The Nyquist mode of `axis` becomes 0 (see WavenumberOptions).
/// in_hat and out_hat may be the same View. Throws torus::Error for an axis outside 0..Dim-1,
/// extents that are not the grid's local spectral block, or different field counts.
template <int Dim, class InView, class OutView>
void derivative(const Grid<Dim>& grid, int axis, const InView& in_hat, const OutView& out_hat) {
  const std::string where = "fft::derivative on grid " + grid.describe();
  detail::check_axis(grid, axis, where);
  detail::check_pointwise(grid, in_hat, out_hat, where);
  using T = detail::real_type_of<OutView>;
  using complex = Kokkos::complex<T>;

  const int s = grid.spectral_axis(axis);  // the storage axis that holds `axis`
  const auto k_s =
      Wavenumbers<T, Dim, typename OutView::memory_space>(grid, {/*zero_nyquist=*/true}).k[s];
  // d/dx_a: u_hat(k) -> i k_a u_hat(k), i.e. (re, im) -> (-k_a im, k_a re).
  detail::for_each_entry(
      "torus::fft::derivative", out_hat,
      KOKKOS_LAMBDA(const int b, const int c, const int i0, const int i1, const int i2) {
        const int i[3] = {i0, i1, i2};
        const T k_a = k_s(i[s]);
        const complex u = detail::entry(in_hat, b, c, i0, i1, i2);
        detail::entry(out_hat, b, c, i0, i1, i2) = complex(-k_a * u.imag(), k_a * u.real());
      });
}

/// In place: x_hat becomes the coefficients of du/dx_axis. See the out-of-place form.
template <int Dim, class View>
void derivative(const Grid<Dim>& grid, int axis, const View& x_hat) {
  derivative(grid, axis, x_hat, x_hat);
}

/// out_hat = the coefficients of the gradient of every input channel: output channel
/// c * Dim + a holds du_c/dx_a (the Jacobian of a vector field, row by row). The Nyquist mode
/// of each derivative's axis becomes 0. Throws torus::Error when out_hat does not have Dim times
/// the input's channels, extents are not the grid's local spectral block, or the Views overlap.
template <int Dim, class InView, class OutView>
void gradient(const Grid<Dim>& grid, const InView& in_hat, const OutView& out_hat) {
  const std::string where = "fft::gradient on grid " + grid.describe();
  detail::assert_spectral_pair<Dim, InView, OutView>();
  detail::require_spectral_block(grid, in_hat, "the spectral input", where);
  detail::require_spectral_block(grid, out_hat, "the spectral output", where);
  TORUS_REQUIRE(
      out_hat.extent(0) == in_hat.extent(0) && out_hat.extent(1) == Dim * in_hat.extent(1),
      "the gradient output " + detail::shape_of(out_hat) + " does not hold " + std::to_string(Dim) +
          " channels per channel of the input " + detail::shape_of(in_hat),
      where,
      "allocate the output with " + std::to_string(Dim) + " x " + std::to_string(in_hat.extent(1)) +
          " channels");
  TORUS_REQUIRE(!detail::overlap(in_hat, out_hat), "gradient input and output share memory", where,
                "pass separate Views");
  using T = detail::real_type_of<OutView>;
  using complex = Kokkos::complex<T>;

  const Wavenumbers<T, Dim, typename OutView::memory_space> k(grid, {/*zero_nyquist=*/true});
  Kokkos::Array<int, Dim> storage_of;  // storage axis of each physical axis (an involution)
  for (int a = 0; a < Dim; ++a) storage_of[a] = grid.spectral_axis(a);
  // grad u_c: out(c Dim + a) = i k_a u_hat_c(k) for every physical axis a.
  detail::for_each_entry(
      "torus::fft::gradient", in_hat,
      KOKKOS_LAMBDA(const int b, const int c, const int i0, const int i1, const int i2) {
        const int i[3] = {i0, i1, i2};
        const complex u = detail::entry(in_hat, b, c, i0, i1, i2);
        for (int a = 0; a < Dim; ++a) {
          const T k_a = k(storage_of[a], i[storage_of[a]]);
          detail::entry(out_hat, b, c * Dim + a, i0, i1, i2) =
              complex(-k_a * u.imag(), k_a * u.real());
        }
      });
}

/// out_hat = the coefficients of the Laplacian of the fields u_hat = in_hat, -|k|^2 u_hat(k)
/// (the Nyquist modes are kept: -k^2 is even in k). in_hat and out_hat may be the same View.
/// Throws torus::Error for extents that are not the grid's local spectral block.
template <int Dim, class InView, class OutView>
void laplacian(const Grid<Dim>& grid, const InView& in_hat, const OutView& out_hat) {
  detail::check_pointwise(grid, in_hat, out_hat, "fft::laplacian on grid " + grid.describe());
  using T = detail::real_type_of<OutView>;

  const Wavenumbers<T, Dim, typename OutView::memory_space> k(grid);
  // lap u: u_hat(k) -> -|k|^2 u_hat(k).
  detail::for_each_entry(
      "torus::fft::laplacian", out_hat,
      KOKKOS_LAMBDA(const int b, const int c, const int i0, const int i1, const int i2) {
        const T k2 = k.squared(i0, i1, i2);
        detail::entry(out_hat, b, c, i0, i1, i2) = -k2 * detail::entry(in_hat, b, c, i0, i1, i2);
      });
}

/// In place: x_hat becomes the coefficients of the Laplacian. See the out-of-place form.
template <int Dim, class View>
void laplacian(const Grid<Dim>& grid, const View& x_hat) {
  laplacian(grid, x_hat, x_hat);
}

/// out_hat = the coefficients of the zero-mean solution psi of lap psi = u, -u_hat(k) / |k|^2,
/// for the fields u_hat = in_hat. The k = 0 mode (the mean, which the Laplacian cannot produce)
/// is set to 0, so u's mean is dropped. in_hat and out_hat may be the same View. Throws
/// torus::Error for extents that are not the grid's local spectral block.
template <int Dim, class InView, class OutView>
void inverse_laplacian(const Grid<Dim>& grid, const InView& in_hat, const OutView& out_hat) {
  detail::check_pointwise(grid, in_hat, out_hat,
                          "fft::inverse_laplacian on grid " + grid.describe());
  using T = detail::real_type_of<OutView>;
  using complex = Kokkos::complex<T>;

  const Wavenumbers<T, Dim, typename OutView::memory_space> k(grid);
  // lap^-1 u: u_hat(k) -> -u_hat(k) / |k|^2 for k != 0, and 0 at k = 0 (|k| = 0 only there).
  detail::for_each_entry(
      "torus::fft::inverse_laplacian", out_hat,
      KOKKOS_LAMBDA(const int b, const int c, const int i0, const int i1, const int i2) {
        const T k2 = k.squared(i0, i1, i2);
        const complex u = detail::entry(in_hat, b, c, i0, i1, i2);
        detail::entry(out_hat, b, c, i0, i1, i2) = k2 > T(0) ? u * (T(-1) / k2) : complex(0, 0);
      });
}

/// In place: x_hat becomes the coefficients of the inverse Laplacian. See the out-of-place form.
template <int Dim, class View>
void inverse_laplacian(const Grid<Dim>& grid, const View& x_hat) {
  inverse_laplacian(grid, x_hat, x_hat);
}

}  // namespace torus::fft
