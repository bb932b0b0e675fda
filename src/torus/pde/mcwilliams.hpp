#pragma once
/// \file
/// A McWilliams (1984)-style initial vorticity for decaying 2-D turbulence: random phases under
/// an energy spectrum peaked at a wavenumber k0, normalised to a chosen energy or enstrophy.
///
/// \code
/// fft::Plan<double, 2> plan(grid, /*batch=*/4, /*channels=*/1);
/// auto omega = plan.make_real("omega");
/// pde::mcwilliams_vorticity(grid, plan, omega, /*seed=*/7, /*first_sample=*/0);  // E = 0.5
/// \endcode
///
/// **The spectrum.** On a box of lengths (L0, L1) a mode's
/// wavenumber in cycles per unit length is k = (f0 / L0, f1 / L1), and its shell index
/// kappa = |k| max(L0, L1) (on the unit square, kappa = |f|). The isotropic energy spectrum
/// targeted is McWilliams's
///   E(kappa) ∝ kappa^-1 (1 + (kappa / k0)^4)^-1,
/// whose energy sits at kappa ~ k0 and falls as kappa^-5 beyond. In 2-D a shell of radius kappa
/// holds ~ 2 pi kappa modes and a mode's energy is 1/2 |c|^2 / |k|^2, so the vorticity variance
/// per mode that gives this E is
///   S(kappa) = E(kappa) kappa / (2 pi kappa) ∝ (1 + (kappa / k0)^4)^-1,    S(0) = 0.
/// The coefficients are Hermitian, as for the Gaussian random field (initial_fields.hpp):
///   h_f = sqrt(S(f)) / 2 ((xi_f + xi_-f) + i (eta_f - eta_-f)),   E|h_f|^2 = S(f),
/// with xi_f, eta_f standard normals; h_f = sqrt(S) xi_f on self-conjugate frequencies. One
/// inverse transform gives a real field of zero mean, which is then scaled per sample so that
/// its kinetic energy E = 1/2 <|u|^2> (or enstrophy Z = 1/2 <omega^2>, diagnostics.hpp) is
/// exactly the requested value.
///
/// **Random numbers.** xi_f and eta_f are numbers 2 N + 2 j and 2 N + 2 j + 1 of the stream
/// RandomKey{seed, sample} (N = n0 n1 the grid's points, j = g0 n1 + g1 the full-grid index of
/// f): the same stream as the Gaussian random field, past the numbers it uses, so the two fields
/// of one (seed, sample) are independent. Sample s is the same on any rank count, layout or
/// batch position.

#include <Kokkos_Core.hpp>

#include <cstdint>
#include <string>

#include "torus/core/error.hpp"
#include "torus/core/math.hpp"
#include "torus/core/random.hpp"
#include "torus/fft/fields.hpp"
#include "torus/fft/grid.hpp"
#include "torus/fft/plan.hpp"
#include "torus/fft/wavenumbers.hpp"

namespace torus::pde {

/// What the McWilliams field is normalised to.
enum class McWilliamsNorm { energy, enstrophy };

/// The parameters of the McWilliams field (file comment).
struct McWilliamsOptions {
  /// The peak wavenumber k0 of the energy spectrum, in shells (whole periods per box side);
  /// McWilliams (1984) used 6. Must be > 0.
  double peak = 6.0;
  /// Normalise the kinetic energy or the enstrophy of every sample.
  McWilliamsNorm norm = McWilliamsNorm::energy;
  /// The value of that quantity (a domain mean, diagnostics.hpp). Must be > 0.
  double value = 0.5;
};

/// Throws torus::Error for a peak or value that is not positive and finite.
void validate(const McWilliamsOptions& options);

/// S(kappa) = (1 + (kappa / k0)^4)^-1 for kappa > 0 and 0 at kappa = 0: the vorticity variance
/// per mode, up to the normalisation (file comment).
KOKKOS_INLINE_FUNCTION double mcwilliams_mode_variance(double kappa, double peak) {
  if (kappa == 0.0) return 0.0;
  const double r = kappa / peak;
  return 1.0 / (1.0 + r * r * r * r);
}

/// Fills every field b of `h_hat` ((batch, 1, local spectral block of `grid`)) with the
/// unnormalised Hermitian coefficients h_f of sample first_sample + b (file comment), so that
/// fft::Plan::backward with Norm::backward gives a real field of zero mean. Throws torus::Error
/// for bad options, a channel count other than 1, or extents that are not the grid's block.
template <class SpectralView>
void mcwilliams_coefficients(const fft::Grid<2>& grid, const SpectralView& h_hat,
                             std::uint64_t seed, std::uint64_t first_sample,
                             const McWilliamsOptions& options = {}) {
  fft::detail::assert_spectral_view<2, SpectralView>();
  const std::string where = "pde::mcwilliams_coefficients on grid " + grid.describe();
  validate(options);
  fft::detail::require_spectral_block(grid, h_hat, "the coefficients", where);
  TORUS_REQUIRE(
      h_hat.extent(1) == 1,
      "the McWilliams field fills one channel, but the View has " + std::to_string(h_hat.extent(1)),
      where, "pass a (batch, 1, ...) View");
  using complex = typename SpectralView::non_const_value_type;
  using T = typename complex::value_type;

  const auto axes = fft::detail::spectral_axes(grid);
  const std::int64_t n0 = grid.extents()[0], n1 = grid.extents()[1];
  const std::uint64_t offset = 2 * static_cast<std::uint64_t>(n0 * n1);
  const double side = grid.lengths()[0] > grid.lengths()[1] ? grid.lengths()[0] : grid.lengths()[1];
  const double scale0 = side / grid.lengths()[0], scale1 = side / grid.lengths()[1];
  const double peak = options.peak;

  // h_f = sqrt(S(kappa_f)) / 2 ((xi_f + xi_-f) + i (eta_f - eta_-f)), kappa_f = |k_f| max(L),
  // xi_f, eta_f = numbers 2N + 2j, 2N + 2j + 1 of stream (seed, sample).
  fft::detail::for_each_entry(
      "torus::pde::mcwilliams_coefficients", h_hat,
      KOKKOS_LAMBDA(const int b, const int c, const int i0, const int i1, const int) {
        const int i[2] = {i0, i1};
        std::int64_t g[2];
        int f[2];
        for (int s = 0; s < 2; ++s) {
          g[axes.axis[s]] = axes.global(s, i[s]);
          f[axes.axis[s]] = axes.frequency(s, i[s]);
        }
        const std::uint64_t j = offset + static_cast<std::uint64_t>(g[0] * n1 + g[1]);
        const std::uint64_t j_minus =
            offset + static_cast<std::uint64_t>(((n0 - g[0]) % n0) * n1 + (n1 - g[1]) % n1);
        const RandomKey key{seed, first_sample + static_cast<std::uint64_t>(b)};

        const double k0 = f[0] * scale0, k1 = f[1] * scale1;
        const double kappa = math::sqrt(k0 * k0 + k1 * k1);
        const double half_amplitude = 0.5 * math::sqrt(mcwilliams_mode_variance(kappa, peak));
        const double re =
            half_amplitude * (random_normal(key, 2 * j) + random_normal(key, 2 * j_minus));
        const double im =
            half_amplitude * (random_normal(key, 2 * j + 1) - random_normal(key, 2 * j_minus + 1));
        h_hat(b, c, i0, i1) = complex(static_cast<T>(re), static_cast<T>(im));
      });
}

/// Fills every field b of `omega` ((batch, 1, local x, y), the plan's real shape) with sample
/// first_sample + b of the McWilliams field, normalised to options.value (file comment).
/// Collective over the grid's communicator. Throws torus::Error for bad options, a plan made
/// on another grid, or a plan or View with a channel count other than 1.
void mcwilliams_vorticity(const fft::Grid<2>& grid, fft::Plan<double, 2>& plan,
                          const fft::RealField<double, 2>& omega, std::uint64_t seed,
                          std::uint64_t first_sample, const McWilliamsOptions& options = {});

}  // namespace torus::pde
