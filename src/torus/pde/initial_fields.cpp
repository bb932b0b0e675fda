#include "torus/pde/initial_fields.hpp"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace torus::pde {

namespace {

constexpr double two_pi = 6.283185307179586476925286766559;
constexpr double four_pi2 = 39.478417604357434;

std::string number(double x) {
  std::ostringstream text;
  text << x;
  return text.str();
}

void require_slab(const fft::Grid<2>& grid, const fft::RealField<double, 2>& view,
                  const std::string& where) {
  const auto& local = grid.local_extents();
  TORUS_REQUIRE(view.extent(2) == static_cast<std::size_t>(local[0]) &&
                    view.extent(3) == static_cast<std::size_t>(local[1]),
                "the field has extents " + fft::detail::shape_of(view) +
                    " but the local slab of grid " + grid.describe() + " is (batch, channels, " +
                    std::to_string(local[0]) + ", " + std::to_string(local[1]) + ")",
                where, "allocate it with fft::Plan::make_real() on the same grid");
}

// Fills every (b, c) field of `view` with amplitude * wave_c(kappa x) wave'_c(kappa y), where
// channel c uses (sin, sin) for `kind` 0 (vorticity), and for the velocity (kind 1) channel 0
// is (sin, cos) and channel 1 is -(cos, sin).
void fill_taylor_green(const fft::Grid<2>& grid, const fft::RealField<double, 2>& view,
                       double amplitude, double kappa, int kind) {
  const double dx = grid.lengths()[0] / grid.extents()[0];
  const double dy = grid.lengths()[1] / grid.extents()[1];
  const int x_start = grid.local_start();
  fft::detail::for_each_entry(
      "torus::pde::taylor_green", view,
      KOKKOS_LAMBDA(const int b, const int c, const int i0, const int i1, const int) {
        const double x = (x_start + i0) * dx, y = i1 * dy;
        const double sx = math::sin(kappa * x), cx = math::cos(kappa * x);
        const double sy = math::sin(kappa * y), cy = math::cos(kappa * y);
        double value;
        if (kind == 0) {
          value = amplitude * sx * sy;  // amplitude = 2 U kappa
        } else {
          value = c == 0 ? amplitude * sx * cy : -amplitude * cx * sy;  // amplitude = U
        }
        view(b, c, i0, i1) = value;
      });
}

}  // namespace

double gaussian_field_sigma(const GaussianFieldOptions& options) {
  const std::string where = "pde::GaussianFieldOptions";
  TORUS_REQUIRE(std::isfinite(options.alpha) && options.alpha > 1.0,
                "alpha = " + number(options.alpha) +
                    " gives a Gaussian random field whose variance diverges in 2-D (the sum of "
                    "|k|^(-2 alpha) converges only for alpha > 1)",
                where + ".alpha", "use alpha > 1 (FNO uses 2.5)");
  TORUS_REQUIRE(std::isfinite(options.tau) && options.tau >= 0.0,
                "tau = " + number(options.tau) + " is not a length scale", where + ".tau",
                "use tau >= 0 (FNO uses 7)");
  if (!options.sigma) return std::pow(options.tau, options.alpha - 1.0);
  TORUS_REQUIRE(std::isfinite(*options.sigma) && *options.sigma > 0.0,
                "sigma = " + number(*options.sigma) + " is not a positive amplitude",
                where + ".sigma", "use sigma > 0, or leave it unset for tau^(alpha - 1)");
  return *options.sigma;
}

double gaussian_field_sqrt_eigenvalue(const GaussianFieldOptions& options, std::int64_t points,
                                      double k2) {
  const double sigma = gaussian_field_sigma(options);
  if (k2 == 0.0) return 0.0;
  return static_cast<double>(points) * std::sqrt(2.0) * sigma *
         std::pow(four_pi2 * k2 + options.tau * options.tau, -0.5 * options.alpha);
}

namespace detail {

GaussianSpectrum gaussian_spectrum(const fft::Grid<2>& grid, const GaussianFieldOptions& options) {
  GaussianSpectrum spectrum;
  spectrum.amplitude =
      static_cast<double>(grid.points()) * std::sqrt(2.0) * gaussian_field_sigma(options);
  spectrum.half_alpha = 0.5 * options.alpha;
  spectrum.tau2 = options.tau * options.tau;
  for (int a = 0; a < 2; ++a) {
    spectrum.inverse_length2[a] = 1.0 / (grid.lengths()[a] * grid.lengths()[a]);
  }
  return spectrum;
}

}  // namespace detail

double taylor_green_wavenumber(const fft::Grid<2>& grid, int m) {
  const std::string where = "pde::taylor_green on grid " + grid.describe();
  TORUS_REQUIRE(grid.lengths()[0] == grid.lengths()[1],
                "the Taylor-Green vortex is defined here on a square box", where,
                "make the grid with equal side lengths");
  const int n = std::min(grid.extents()[0], grid.extents()[1]);
  TORUS_REQUIRE(m >= 1 && 2 * m < n,
                "Taylor-Green wavenumber " + std::to_string(m) +
                    " is not resolved (it needs 1 <= m < n/2 = " + std::to_string(n) + "/2)",
                where, "choose m between 1 and (n - 1)/2, or refine the grid");
  return two_pi * m / grid.lengths()[0];
}

void taylor_green_vorticity(const fft::Grid<2>& grid, const fft::RealField<double, 2>& omega,
                            double amplitude, int m) {
  const double kappa = taylor_green_wavenumber(grid, m);
  require_slab(grid, omega, "pde::taylor_green_vorticity");
  // omega = 2 U kappa sin(kappa x) sin(kappa y)
  fill_taylor_green(grid, omega, 2.0 * amplitude * kappa, kappa, 0);
}

void taylor_green_velocity(const fft::Grid<2>& grid, const fft::RealField<double, 2>& velocity,
                           double amplitude, int m) {
  const double kappa = taylor_green_wavenumber(grid, m);
  require_slab(grid, velocity, "pde::taylor_green_velocity");
  TORUS_REQUIRE(
      velocity.extent(1) == 2,
      "the velocity View has " + std::to_string(velocity.extent(1)) + " channels, not 2 (u, v)",
      "pde::taylor_green_velocity", "allocate (batch, 2, x, y)");
  // u = U sin(kappa x) cos(kappa y), v = -U cos(kappa x) sin(kappa y)
  fill_taylor_green(grid, velocity, amplitude, kappa, 1);
}

double taylor_green_decay(double nu, double kappa, double t) {
  TORUS_REQUIRE(nu >= 0.0 && t >= 0.0,
                "Taylor-Green decay needs nu >= 0 and t >= 0, got nu = " + number(nu) +
                    " and t = " + number(t),
                "pde::taylor_green_decay", "pass a non-negative viscosity and time");
  return std::exp(-2.0 * nu * kappa * kappa * t);
}

}  // namespace torus::pde
