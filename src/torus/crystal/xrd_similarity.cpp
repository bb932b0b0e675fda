#include "torus/crystal/xrd_similarity.hpp"

#include <cmath>
#include <string>

#include "torus/core/error.hpp"

namespace torus::crystal {

std::vector<double> broadening_grid(const BroadeningOptions& options) {
  TORUS_REQUIRE(
      options.fwhm > 0 && options.step > 0 && options.two_theta_max > options.two_theta_min,
      "the broadening needs a positive FWHM and step and a non-empty 2theta range",
      "BroadeningOptions", "e.g. fwhm 0.2, step 0.02, range [0, 90] degrees");
  const auto points = static_cast<std::size_t>(std::floor(
                          (options.two_theta_max - options.two_theta_min) / options.step + 1e-9)) +
                      1;
  std::vector<double> grid(points);
  for (std::size_t i = 0; i < points; ++i) grid[i] = options.two_theta_min + i * options.step;
  return grid;
}

std::vector<double> broadened_pattern(const XrdPattern& pattern, const BroadeningOptions& options) {
  const auto grid = broadening_grid(options);
  std::vector<double> y(grid.size(), 0.0);
  // sigma from the FWHM of a Gaussian: FWHM = 2 sqrt(2 ln 2) sigma. Terms beyond 8 sigma are
  // below 1e-13 of the peak and skipped.
  const double sigma = options.fwhm / (2 * std::sqrt(2 * std::log(2.0)));
  for (const auto& p : pattern.peaks) {
    const auto first = static_cast<long>(
        std::ceil((p.two_theta - 8 * sigma - options.two_theta_min) / options.step));
    const auto last = static_cast<long>(
        std::floor((p.two_theta + 8 * sigma - options.two_theta_min) / options.step));
    for (long i = std::max(first, 0L); i <= last && i < static_cast<long>(grid.size()); ++i) {
      const double u = (grid[static_cast<std::size_t>(i)] - p.two_theta) / sigma;
      y[static_cast<std::size_t>(i)] += p.intensity * std::exp(-0.5 * u * u);
    }
  }
  return y;
}

double xrd_similarity(const Crystal& a, const Crystal& b, const XrdOptions& xrd,
                      const BroadeningOptions& broadening) {
  XrdOptions range = xrd;
  range.two_theta_min = broadening.two_theta_min;
  range.two_theta_max = broadening.two_theta_max;
  const auto ya = broadened_pattern(xrd_pattern(a, range), broadening);
  const auto yb = broadened_pattern(xrd_pattern(b, range), broadening);
  // S = y_a . y_b / (|y_a| |y_b|)
  double ab = 0, aa = 0, bb = 0;
  for (std::size_t i = 0; i < ya.size(); ++i) {
    ab += ya[i] * yb[i];
    aa += ya[i] * ya[i];
    bb += yb[i] * yb[i];
  }
  TORUS_REQUIRE(aa > 0 && bb > 0, "a crystal has no diffraction peak in the 2theta range",
                "xrd_similarity", "widen the 2theta range or use a shorter wavelength");
  return ab / std::sqrt(aa * bb);
}

}  // namespace torus::crystal
