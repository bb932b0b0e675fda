#pragma once
/// \file
/// Changing the resolution of periodic fields in frequency space: zero-padding (finer grid) and
/// truncation (coarser grid), the band-limited interpolation of the field.
///
/// \code
/// coarse_plan.forward(u, u_hat);
/// fft::resample(coarse, u_hat, fine, v_hat);     // same norm on both sides
/// fine_plan.backward(v_hat, v);                  // v(x) = u's trigonometric interpolant at x
/// \endcode
///
/// Which modes travel: with m_a = min(n_a, n'_a) on every axis, a mode is copied when its
/// signed frequency obeys
///   2 |f_a| < m_a   on every axis a    (|f| < m/2 for even m, |f| <= (m-1)/2 for odd m),
/// and every other mode of the output is 0. The Nyquist frequency of an even m is dropped: it
/// is one real cosine on the smaller grid, but on the larger grid it would need a +m/2 and a
/// -m/2 coefficient, and splitting it between them is a convention of its own; dropping it keeps
/// the result the coefficients of a real field. As a consequence, resampling to the same even
/// size removes the Nyquist modes and changes nothing else.

#include <Kokkos_Core.hpp>

#include <algorithm>
#include <cmath>
#include <string>
#include <type_traits>

#include "torus/core/error.hpp"
#include "torus/fft/grid.hpp"
#include "torus/fft/norm.hpp"
#include "torus/fft/wavenumbers.hpp"

namespace torus::fft {

namespace detail {

/// The factor that keeps physical amplitudes when coefficients move from a grid of N points to
/// one of N' points: a coefficient is forward_scale(norm, N) * N * amplitude, so the factor is
/// N'/N (backward), sqrt(N'/N) (ortho) or 1 (forward).
inline double resample_scale(Norm norm, std::int64_t from_points, std::int64_t to_points) {
  const double ratio = static_cast<double>(to_points) / static_cast<double>(from_points);
  switch (norm) {
    case Norm::backward:
      return ratio;
    case Norm::ortho:
      return std::sqrt(ratio);
    case Norm::forward:
      return 1.0;
  }
  return 1.0;
}

}  // namespace detail

/// y_hat = the coefficients, on grid `to`, of the band-limited fields whose coefficients on grid
/// `from` are x_hat: every mode with 2|f_a| < min(n_a, n'_a) on every axis is copied and scaled
/// by N'/N (backward), sqrt(N'/N) (ortho) or 1 (forward), so that the physical amplitude is
/// kept; all other modes of y_hat are 0 (see the file comment). Both Views use `norm`. Throws
/// torus::Error for a split grid, grids on boxes of different lengths, extents that are not the
/// grids' spectral blocks, different field counts, or Views that share memory.
template <int Dim, class InView, class OutView>
void resample(const Grid<Dim>& from, const InView& x_hat, const Grid<Dim>& to, const OutView& y_hat,
              Norm norm = Norm::backward) {
  detail::assert_spectral_pair<Dim, InView, OutView>();
  const std::string where = "fft::resample from " + from.describe() + " to " + to.describe();
  // TODO(fft): resample split grids. The modes a rank keeps land on other ranks of the target
  // grid (the slabs of kx differ with n'x), so this needs an all-to-all redistribution.
  TORUS_REQUIRE(!from.distributed() && !to.distributed(), "resample() needs undistributed grids",
                where,
                "resample on grids made on MPI_COMM_SELF, with the whole fields on one rank");
  TORUS_REQUIRE(from.lengths() == to.lengths(),
                "resample() changes the resolution of one box, but the grids' boxes differ", where,
                "give both grids the same lengths");
  detail::require_spectral_block(from, x_hat, "the spectral input", where);
  detail::require_spectral_block(to, y_hat, "the spectral output", where);
  TORUS_REQUIRE(x_hat.extent(0) == y_hat.extent(0) && x_hat.extent(1) == y_hat.extent(1),
                "the spectral input " + detail::shape_of(x_hat) + " and output " +
                    detail::shape_of(y_hat) + " hold different numbers of fields",
                where, "give both the same batch and channel counts");
  TORUS_REQUIRE(!detail::overlap(x_hat, y_hat), "resample() input and output share memory", where,
                "pass separate Views");
  using T = typename OutView::value_type::value_type;
  using complex = typename OutView::value_type;

  const auto out = detail::spectral_axes(to);
  Kokkos::Array<int, Dim> n_in, m;
  for (int a = 0; a < Dim; ++a) {
    n_in[a] = from.extents()[a];
    m[a] = std::min(from.extents()[a], to.extents()[a]);
  }
  const T scale = static_cast<T>(detail::resample_scale(norm, from.points(), to.points()));
  // y_hat(f) = scale * x_hat(f) if 2|f_a| < m_a on every axis a, else 0; on an undistributed grid
  // storage axis a is physical axis a, and frequency f sits at index f (f >= 0) or n + f.
  detail::for_each_entry(
      "torus::fft::resample", y_hat,
      KOKKOS_LAMBDA(const int b, const int c, const int i0, const int i1, const int i2) {
        const int i[3] = {i0, i1, i2};
        int source[3] = {0, 0, 0};
        bool kept = true;
        for (int a = 0; a < Dim; ++a) {
          const int f = out.frequency(a, i[a]);
          kept = kept && 2 * (f < 0 ? -f : f) < m[a];
          source[a] = f >= 0 ? f : n_in[a] + f;
        }
        detail::entry(y_hat, b, c, i0, i1, i2) =
            kept ? scale * complex(detail::entry(x_hat, b, c, source[0], source[1], source[2]))
                 : complex(0, 0);
      });
}

}  // namespace torus::fft
