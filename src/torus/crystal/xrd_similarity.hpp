#pragma once
/// \file
/// Powder patterns as curves, and how alike two crystals' patterns are.
///
/// A stick pattern becomes a curve on a common 2theta grid by Gaussian broadening:
///
///   y(2theta) = sum_p I_p exp(-(2theta - 2theta_p)^2 / (2 sigma^2)),
///   sigma = FWHM / (2 sqrt(2 ln 2)),
///
/// and the similarity of two crystals is the cosine of their curves,
///
///   S(a, b) = (y_a . y_b) / (|y_a| |y_b|)  in [0, 1],
///
/// 1 for patterns with the same peaks in the same proportions; broadening makes peaks a fraction
/// of the FWHM apart count as nearly the same.

#include <vector>

#include "torus/crystal/crystal.hpp"
#include "torus/crystal/xrd.hpp"

namespace torus::crystal {

/// The grid and peak width of broadened patterns.
struct BroadeningOptions {
  /// Full width at half maximum of each peak, degrees 2theta.
  double fwhm = 0.2;
  /// Spacing of the 2theta grid in degrees.
  double step = 0.02;
  /// The grid runs from two_theta_min to two_theta_max inclusive.
  double two_theta_min = 0.0;
  double two_theta_max = 90.0;
};

/// The points of the 2theta grid of `options`.
std::vector<double> broadening_grid(const BroadeningOptions& options = {});

/// y(2theta) of `pattern` at the points of broadening_grid(options). Throws torus::Error when the
/// FWHM or step is not positive or the range is empty.
std::vector<double> broadened_pattern(const XrdPattern& pattern,
                                      const BroadeningOptions& options = {});

/// S(a, b) for the patterns of `a` and `b` computed with `xrd` over the range of `broadening`.
/// Throws torus::Error as xrd_pattern does, or when a crystal has no peak in the range.
double xrd_similarity(const Crystal& a, const Crystal& b, const XrdOptions& xrd = {},
                      const BroadeningOptions& broadening = {});

}  // namespace torus::crystal
