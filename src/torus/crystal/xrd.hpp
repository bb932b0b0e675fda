#pragma once
/// \file
/// Powder X-ray diffraction patterns with the semantics of pymatgen's XRDCalculator
/// (docs/design.md, "Crystals"):
///
/// 1. every reciprocal-lattice point g = h a* + k b* + l c* with
///    2 sin(theta_min)/lambda <= |g| <= 2 sin(theta_max)/lambda, g != 0, is a reflection at
///    Bragg's angle theta = asin(lambda |g| / 2), with s = sin(theta)/lambda = |g|/2;
/// 2. its intensity is |F(hkl)|^2 LP(theta), F from structure_factor.hpp and the
///    Lorentz-polarisation factor LP = (1 + cos^2 2theta) / (sin^2 theta cos theta);
/// 3. reflections are visited by increasing |g| (ties: decreasing h, k, l) and summed into one
///    peak when their 2theta lie within two_theta_tolerance of a peak's first reflection, so
///    multiplicities come from the enumeration itself;
/// 4. intensities are scaled to a largest peak of 100, and peaks of scaled intensity at or below
///    intensity_tolerance are dropped.
///
/// \code
/// auto pattern = crystal::xrd_pattern(c);                  // Cu K-alpha, 2theta in [0, 90]
/// for (const auto& p : pattern.peaks) std::printf("%.3f %.2f\n", p.two_theta, p.intensity);
/// \endcode

#include <array>
#include <map>
#include <string>
#include <vector>

#include "torus/crystal/crystal.hpp"
#include "torus/crystal/form_factors.hpp"

namespace torus::crystal {

/// Cu K-alpha (weighted K-alpha1/K-alpha2) in Å, the default wavelength.
inline constexpr double cu_k_alpha = 1.54184;

/// The wavelength in Å of an X-ray line named as pymatgen names them: "CuKa", "CuKa1", "CuKa2",
/// "CuKb1", and the same for Mo, Cr, Fe, Co and Ag. Throws torus::Error for another name.
double xray_wavelength(const std::string& line);

/// How a powder pattern is computed.
struct XrdOptions {
  /// X-ray wavelength lambda in Å.
  double wavelength = cu_k_alpha;
  /// The 2theta range in degrees, 0 <= min < max <= 180.
  double two_theta_min = 0.0;
  double two_theta_max = 90.0;
  /// Debye-Waller B factors in Å^2 by atomic number; none by default.
  std::map<int, double> debye_waller;
  /// The form factors; nullptr means form_factor_table_cromer_mann().
  const FormFactorTable* form_factors = nullptr;
  /// Reflections whose 2theta differ by less than this (degrees) form one peak (pymatgen's
  /// TWO_THETA_TOL).
  double two_theta_tolerance = 1e-5;
  /// Peaks with scaled intensity (largest 100) at or below this are dropped (pymatgen's
  /// SCALED_INTENSITY_TOL).
  double intensity_tolerance = 1e-3;
};

/// A family of Miller indices within one peak: the members are permutations of each other up to
/// sign; `hkl` is the largest member in lexicographic order. Always three indices (pymatgen
/// writes hexagonal cells' families as four Miller-Bravais indices hkil, i = -h-k).
struct HklFamily {
  std::array<int, 3> hkl{};
  int multiplicity = 0;
};

/// One peak of a powder pattern.
struct XrdPeak {
  /// Position in degrees.
  double two_theta = 0.0;
  /// Scaled intensity: the largest peak is 100.
  double intensity = 0.0;
  /// d = 1 / |g| of the peak's first reflection, in Å.
  double d_spacing = 0.0;
  /// The reflections summed into the peak, by family, in order of first appearance.
  std::vector<HklFamily> families;
};

/// A powder pattern: peaks by increasing 2theta.
struct XrdPattern {
  std::vector<XrdPeak> peaks;
  double wavelength = 0.0;
  /// The unscaled intensity |F|^2 LP of the largest peak (electrons^2), 0 for no reflections.
  double max_intensity = 0.0;
};

/// The powder pattern of `crystal` (file comment). A crystal with no reflection in the range
/// gives no peaks. Throws torus::Error when the wavelength is not a positive finite number, the
/// 2theta range is not within [0, 180] and increasing, the crystal has no atoms or an element the
/// form-factor table lacks, or the range holds more than 50 million reflections.
XrdPattern xrd_pattern(const Crystal& crystal, const XrdOptions& options = {});

}  // namespace torus::crystal
