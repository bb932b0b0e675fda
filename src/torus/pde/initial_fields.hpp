#pragma once
/// \file
/// Initial vorticity fields for the 2-D Navier–Stokes solver: the Gaussian random field of the
/// FNO data sets (Li et al. 2021) and the Taylor–Green vortex with its exact decay.
///
/// \code
/// fft::Grid<2> grid({64, 64}, runtime.comm());
/// fft::Plan<double, 2> plan(grid, /*batch=*/8, /*channels=*/1);
/// auto omega = plan.make_real("omega");
/// pde::gaussian_random_field(grid, plan, omega, /*seed=*/42, /*first_sample=*/0);
/// \endcode
///
/// **The Gaussian random field.** FNO draws independent complex normal coefficients on the
/// full grid of frequencies f = (f0, f1) (numpy.fft.fftfreq(n) * n),
///   c_f = sqrt_eig(f) (xi_f + i eta_f),        xi, eta ~ N(0, 1),
///   sqrt_eig(f) = N sqrt(2) sigma (4 pi^2 |k|^2 + tau^2)^(-alpha/2),   sqrt_eig(0) = 0,
/// with N = n0 n1 and k = f on the unit square, and keeps u = Re(ifft2(c)) (NumPy's backward
/// normalisation, 1/N). Since Re(ifft2(c)) = ifft2(h) with the Hermitian
///   h_f = (c_f + conj(c_-f)) / 2
///       = sqrt_eig(f) / 2 ((xi_f + xi_-f) + i (eta_f - eta_-f)),
/// torus computes h on each rank's r2c block and makes one inverse transform. On a
/// self-conjugate frequency (f = -f modulo the grid: f = 0 and the Nyquist rows and columns)
/// the same expression gives h_f = sqrt_eig(f) xi_f = Re(c_f), as it must.
///
/// xi_f and eta_f are numbers 2j and 2j + 1 of the stream RandomKey{seed, sample}, where
/// j = g0 n1 + g1 is the row-major index of f in the FULL n0 x n1 grid of frequencies
/// (g = the fftfreq storage index, 0..n-1). The field therefore depends only on the seed, the
/// sample index and the grid's extents and lengths: not on the number of ranks, the transposed
/// layout, the batch position or the backend.
///
/// On a box of lengths (L0, L1) the wavenumber in cycles per unit length is k = (f0/L0, f1/L1),
/// so the spectrum keeps its physical meaning (tau is a physical inverse length scale); the
/// prefactor N sqrt(2) sigma is kept as it is (no box-area factor). On the unit square this is
/// FNO's field exactly in distribution.

#include <Kokkos_Core.hpp>

#include <cstdint>
#include <optional>
#include <string>

#include "torus/core/error.hpp"
#include "torus/core/math.hpp"
#include "torus/core/random.hpp"
#include "torus/fft/fields.hpp"
#include "torus/fft/grid.hpp"
#include "torus/fft/plan.hpp"
#include "torus/fft/wavenumbers.hpp"

namespace torus::pde {

/// The parameters of the FNO Gaussian random field (see the file comment).
struct GaussianFieldOptions {
  /// Decay exponent of the spectrum: sqrt_eig ~ |k|^-alpha. Must be > 1 (in 2-D the variance
  /// sum over |k|^(-2 alpha) converges only then).
  double alpha = 2.5;
  /// Inverse length scale tau >= 0 (the spectrum is flat below |k| ~ tau / (2 pi)).
  double tau = 7.0;
  /// The amplitude sigma > 0; unset means FNO's tau^(0.5 (2 alpha - d)) = tau^(alpha - 1)
  /// (7^1.5 for the defaults).
  std::optional<double> sigma;
};

/// sigma as used: options.sigma, or tau^(alpha - 1) when unset. Throws torus::Error when alpha
/// <= 1, tau < 0, sigma <= 0 or any of them is not finite.
double gaussian_field_sigma(const GaussianFieldOptions& options);

/// sqrt_eig = N sqrt(2) sigma (4 pi^2 k2 + tau^2)^(-alpha/2) for |k|^2 = k2 (cycles per unit
/// length, squared) on a grid of N = `points` points; 0 at k2 = 0. Throws as
/// gaussian_field_sigma().
double gaussian_field_sqrt_eigenvalue(const GaussianFieldOptions& options, std::int64_t points,
                                      double k2);

namespace detail {

/// The constants of one spectrum, trivially copyable into kernels.
struct GaussianSpectrum {
  double amplitude;                          // N sqrt(2) sigma
  double half_alpha;                         // alpha / 2
  double tau2;                               // tau^2
  Kokkos::Array<double, 2> inverse_length2;  // 1 / L_a^2

  /// sqrt_eig for the integer frequency (f0, f1); 0 at f = 0.
  KOKKOS_INLINE_FUNCTION double sqrt_eigenvalue(int f0, int f1) const {
    if (f0 == 0 && f1 == 0) return 0.0;
    constexpr double four_pi2 = 39.478417604357434;  // 4 pi^2
    const double k2 = f0 * double(f0) * inverse_length2[0] + f1 * double(f1) * inverse_length2[1];
    return amplitude * math::exp(-half_alpha * math::log(four_pi2 * k2 + tau2));
  }
};

/// Validates `options` and tabulates the spectrum's constants for `grid`.
GaussianSpectrum gaussian_spectrum(const fft::Grid<2>& grid, const GaussianFieldOptions& options);

}  // namespace detail

/// Fills every field b of `h_hat` (a (batch, 1, local spectral block) View of `grid`, any
/// layout) with the r2c coefficients h_f of sample first_sample + b of the Gaussian random field
/// (file comment), scaled so that fft::Plan::backward with Norm::backward gives the field.
/// h_hat is Hermitian where the r2c block stores both f and -f, and h_0 = 0.
/// Throws torus::Error for bad options, a channel count other than 1, or extents that are not
/// the grid's local spectral block.
template <class SpectralView>
void gaussian_random_coefficients(const fft::Grid<2>& grid, const SpectralView& h_hat,
                                  std::uint64_t seed, std::uint64_t first_sample,
                                  const GaussianFieldOptions& options = {}) {
  fft::detail::assert_spectral_view<2, SpectralView>();
  const std::string where = "pde::gaussian_random_coefficients on grid " + grid.describe();
  fft::detail::require_spectral_block(grid, h_hat, "the coefficients", where);
  TORUS_REQUIRE(h_hat.extent(1) == 1,
                "the Gaussian random field fills one channel, but the View has " +
                    std::to_string(h_hat.extent(1)),
                where, "pass a (batch, 1, ...) View");
  using complex = typename SpectralView::non_const_value_type;
  using T = typename complex::value_type;

  const detail::GaussianSpectrum spectrum = detail::gaussian_spectrum(grid, options);
  const auto axes = fft::detail::spectral_axes(grid);
  const std::int64_t n0 = grid.extents()[0], n1 = grid.extents()[1];

  // h_f = sqrt_eig(f) / 2 ((xi_f + xi_-f) + i (eta_f - eta_-f)), with xi_f, eta_f numbers 2j,
  // 2j + 1 of stream (seed, sample), j the full-grid index of f. At f = -f: h_f = sqrt_eig xi_f.
  fft::detail::for_each_entry(
      "torus::pde::gaussian_random_coefficients", h_hat,
      KOKKOS_LAMBDA(const int b, const int c, const int i0, const int i1, const int) {
        const int i[2] = {i0, i1};
        std::int64_t g[2];  // full-grid storage indices, by physical axis
        int f[2];           // signed frequencies, by physical axis
        for (int s = 0; s < 2; ++s) {
          g[axes.axis[s]] = axes.global(s, i[s]);
          f[axes.axis[s]] = axes.frequency(s, i[s]);
        }
        const std::uint64_t j = static_cast<std::uint64_t>(g[0] * n1 + g[1]);
        const std::uint64_t j_minus =
            static_cast<std::uint64_t>(((n0 - g[0]) % n0) * n1 + (n1 - g[1]) % n1);
        const RandomKey key{seed, first_sample + static_cast<std::uint64_t>(b)};

        const double half_sqrt_eig = 0.5 * spectrum.sqrt_eigenvalue(f[0], f[1]);
        const double re =
            half_sqrt_eig * (random_normal(key, 2 * j) + random_normal(key, 2 * j_minus));
        const double im =
            half_sqrt_eig * (random_normal(key, 2 * j + 1) - random_normal(key, 2 * j_minus + 1));
        h_hat(b, c, i0, i1) = complex(static_cast<T>(re), static_cast<T>(im));
      });
}

/// Fills every field b of `omega` ((batch, 1, local x, y), the plan's real shape) with sample
/// first_sample + b of the FNO Gaussian random field: coefficients by
/// gaussian_random_coefficients(), then one plan.backward (Norm::backward). The field has zero
/// mean. Samples come from RandomKey{seed, sample}, so sample s is the same whichever batch or
/// rank count generates it. Throws torus::Error for bad options, a plan made on another grid, or
/// a plan or View with a channel count other than 1 or extents other than the plan's.
template <class T, class MemorySpace>
void gaussian_random_field(const fft::Grid<2>& grid, fft::Plan<T, 2, MemorySpace>& plan,
                           const typename fft::Plan<T, 2, MemorySpace>::real_view& omega,
                           std::uint64_t seed, std::uint64_t first_sample,
                           const GaussianFieldOptions& options = {}) {
  const std::string where = "pde::gaussian_random_field on grid " + grid.describe();
  TORUS_REQUIRE(
      plan.grid() == grid,
      "the FFT plan was made on grid " + plan.grid().describe() + ", not on the field's grid",
      where, "make the plan on the same grid (extents, lengths, communicator, layout)");
  TORUS_REQUIRE(plan.channels() == 1 && omega.extent(1) == 1,
                "the Gaussian random field fills one channel, but the plan has " +
                    std::to_string(plan.channels()) + " and the View " +
                    std::to_string(omega.extent(1)),
                where, "make the plan and the View with one channel");
  auto h_hat = plan.make_spectral("torus::pde::gaussian_random_field h_hat");
  gaussian_random_coefficients(grid, h_hat, seed, first_sample, options);
  plan.backward_overwriting(h_hat, omega, fft::Norm::backward);
}

/// The Taylor–Green vortex on a square box [0, L)^2, wavenumber kappa = 2 pi m / L (m whole
/// periods per side; on L = 2 pi, kappa = m): the stream function and velocity
///   psi = (U / kappa) sin(kappa x) sin(kappa y),
///   u = d psi/dy = U sin(kappa x) cos(kappa y),   v = -d psi/dx = -U cos(kappa x) sin(kappa y),
/// and the vorticity
///   omega = dv/dx - du/dy = -lap psi = 2 U kappa sin(kappa x) sin(kappa y).
/// It solves the 2-D Navier–Stokes equations with every field decaying by
/// taylor_green_decay(nu, kappa, t).
/// \return kappa = 2 pi m / L. Throws torus::Error unless the box is square and 1 <= m < n/2.
double taylor_green_wavenumber(const fft::Grid<2>& grid, int m);

/// Fills every field of `omega` ((batch, channels, local x, y) of `grid`) with the Taylor–Green
/// vorticity 2 U kappa sin(kappa x) sin(kappa y), U = `amplitude`, kappa =
/// taylor_green_wavenumber(grid, m). Throws torus::Error as taylor_green_wavenumber() or when
/// the View's spatial extents are not the grid's local slab.
void taylor_green_vorticity(const fft::Grid<2>& grid, const fft::RealField<double, 2>& omega,
                            double amplitude, int m);

/// Fills `velocity` ((batch, 2, local x, y)) with the Taylor–Green velocity: channel 0 is
/// u = U sin(kappa x) cos(kappa y), channel 1 is v = -U cos(kappa x) sin(kappa y). Throws
/// torus::Error as taylor_green_vorticity() or when the View has not 2 channels.
void taylor_green_velocity(const fft::Grid<2>& grid, const fft::RealField<double, 2>& velocity,
                           double amplitude, int m);

/// The exact decay factor of the Taylor–Green vortex, exp(-2 nu kappa^2 t): vorticity,
/// velocity and stream function at time t are their initial values times this (the energy
/// times its square). Throws torus::Error for nu < 0 or t < 0.
double taylor_green_decay(double nu, double kappa, double t);

}  // namespace torus::pde
