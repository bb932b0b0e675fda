#include "torus/io/colormap.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <string>

#include "torus/core/error.hpp"

namespace torus::io {
namespace {

/// A colour in OKLab: lightness L in [0, 1] and the two opponent axes a (green-red) and
/// b (blue-yellow).
struct Lab {
  double L = 0;
  double a = 0;
  double b = 0;
};

/// sRGB's transfer function undone: an 8-bit channel to linear light in [0, 1].
double to_linear(std::uint8_t channel) {
  const double c = channel / 255.0;
  return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

/// Linear light in [0, 1] (clipped) to the nearest 8-bit sRGB channel.
std::uint8_t to_srgb(double linear) {
  const double c = std::clamp(linear, 0.0, 1.0);
  const double encoded = c <= 0.0031308 ? 12.92 * c : 1.055 * std::pow(c, 1.0 / 2.4) - 0.055;
  return static_cast<std::uint8_t>(std::lround(255.0 * encoded));
}

// NOTE: OKLab (B. Ottosson, 2020). Linear sRGB goes to cone responses (l, m, s) by a 3x3 matrix,
// these are compressed by a cube root, and a second 3x3 matrix gives (L, a, b). The inverse runs
// the same steps backwards, with the inverse matrices and a cube.

Lab to_lab(Rgb colour) {
  const double r = to_linear(colour.r);
  const double g = to_linear(colour.g);
  const double b = to_linear(colour.b);

  const double l = std::cbrt(0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b);
  const double m = std::cbrt(0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b);
  const double s = std::cbrt(0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b);

  return {0.2104542553 * l + 0.7936177850 * m - 0.0040720468 * s,
          1.9779984951 * l - 2.4285922050 * m + 0.4505937099 * s,
          0.0259040371 * l + 0.7827717662 * m - 0.8086757660 * s};
}

Rgb to_rgb(const Lab& colour) {
  const double l_root = colour.L + 0.3963377774 * colour.a + 0.2158037573 * colour.b;
  const double m_root = colour.L - 0.1055613458 * colour.a - 0.0638541728 * colour.b;
  const double s_root = colour.L - 0.0894841775 * colour.a - 1.2914855480 * colour.b;
  const double l = l_root * l_root * l_root;
  const double m = m_root * m_root * m_root;
  const double s = s_root * s_root * s_root;

  return {to_srgb(+4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s),
          to_srgb(-1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s),
          to_srgb(-0.0041960863 * l - 0.7034186147 * m + 1.7076147010 * s)};
}

/// Five anchor colours at equal steps of a map's position t in [0, 1].
using Anchors = std::array<Rgb, 5>;

// The anchors of colormap.hpp's table.
constexpr Anchors kDiverging{
    {{30, 50, 130}, {95, 150, 215}, {245, 245, 245}, {220, 114, 90}, {120, 16, 30}}};
constexpr Anchors kSequential{
    {{253, 248, 228}, {238, 180, 92}, {205, 98, 62}, {135, 34, 68}, {40, 14, 44}}};

/// The colour at position t in [0, 1] (clamped) of the map through `anchors`: with
/// t (n - 1) = k + f, the OKLab mix (1 - f) anchor[k] + f anchor[k + 1]. An anchor's own
/// position gives the anchor exactly.
Rgb interpolate(const Anchors& anchors, double t) {
  const double position = std::clamp(t, 0.0, 1.0) * (anchors.size() - 1);
  const std::size_t k = std::min(static_cast<std::size_t>(position), anchors.size() - 2);
  const double f = position - static_cast<double>(k);
  if (f == 0.0) return anchors[k];
  if (f == 1.0) return anchors[k + 1];

  const Lab from = to_lab(anchors[k]);
  const Lab to = to_lab(anchors[k + 1]);
  return to_rgb(
      {(1 - f) * from.L + f * to.L, (1 - f) * from.a + f * to.a, (1 - f) * from.b + f * to.b});
}

}  // namespace

Rgb diverging_colour(double value, double limit) {
  TORUS_REQUIRE(std::isfinite(limit) && limit > 0,
                "the limit of a diverging colour map is " + std::to_string(limit) +
                    ", not a finite number above 0",
                "limit", "pass the largest |value| the picture should resolve (e.g. max |field|)");
  if (std::isnan(value)) return nan_colour;
  // value / limit in [-1, 1] is the position 2t - 1 along the anchors.
  return interpolate(kDiverging, 0.5 * (value / limit + 1.0));
}

Rgb sequential_colour(double value, double lo, double hi) {
  TORUS_REQUIRE(std::isfinite(lo) && std::isfinite(hi) && hi > lo,
                "the range of a sequential colour map is [" + std::to_string(lo) + ", " +
                    std::to_string(hi) + "], not a finite range with hi above lo",
                "lo, hi", "pass finite bounds with lo < hi (e.g. 0 and max |field|)");
  if (std::isnan(value)) return nan_colour;
  return interpolate(kSequential, (value - lo) / (hi - lo));
}

}  // namespace torus::io
