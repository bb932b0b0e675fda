#pragma once
/// \file
/// Colour maps for pictures of scalar fields: a diverging map for signed fields (vorticity,
/// a velocity component) and a sequential map for non-negative ones (a magnitude, an energy
/// density).
///
/// Both maps interpolate linearly in OKLab, a perceptual colour space in which equal steps look
/// about equally large, between a handful of anchor colours (sRGB, 0-255):
///
/// | value / limit | diverging       |   | (value - lo) / (hi - lo) | sequential      |
/// |---------------|-----------------|---|--------------------------|-----------------|
/// | -1            | (30, 50, 130)   |   | 0                        | (253, 248, 228) |
/// | -1/2          | (95, 150, 215)  |   | 1/4                      | (238, 180, 92)  |
/// | 0             | (245, 245, 245) |   | 1/2                      | (205, 98, 62)   |
/// | +1/2          | (220, 114, 90)  |   | 3/4                      | (135, 34, 68)   |
/// | +1            | (120, 16, 30)   |   | 1                        | (40, 14, 44)    |
///
/// The diverging anchors are deep blue, light blue, a very light grey, salmon and deep red, with
/// OKLab lightness 0.36, 0.66, 0.97, 0.67, 0.37: the two halves are mirror images in lightness,
/// so a vortex and its opposite look equally strong. Along each half every sRGB channel moves
/// one way only (up towards the centre). The sequential anchors go from cream through amber,
/// brick and crimson to a near-black plum, darker at every step (lightness 0.98 to 0.22).
///
/// Values outside the range are clamped to its ends; a NaN is drawn in `nan_colour`, a green that
/// neither map contains.

#include <cstdint>

namespace torus::io {

/// One 8-bit sRGB colour.
struct Rgb {
  std::uint8_t r = 0;
  std::uint8_t g = 0;
  std::uint8_t b = 0;

  friend bool operator==(const Rgb& a, const Rgb& b) {
    return a.r == b.r && a.g == b.g && a.b == b.b;
  }
  friend bool operator!=(const Rgb& a, const Rgb& b) { return !(a == b); }
};

/// The colour of a NaN in both maps: a plain green, (0, 170, 0).
inline constexpr Rgb nan_colour{0, 170, 0};

/// The diverging colour of `value` on the scale [-limit, +limit]: deep blue at -limit, very light
/// grey at 0, deep red at +limit (anchors in the file comment), clamped outside; `nan_colour` for
/// a NaN. Throws torus::Error when `limit` is not a finite number above 0.
Rgb diverging_colour(double value, double limit);

/// The sequential colour of `value` on the scale [lo, hi]: cream at `lo`, near-black plum at
/// `hi` (anchors in the file comment), clamped outside; `nan_colour` for a NaN. Throws
/// torus::Error when `lo` or `hi` is not finite or `hi` is not above `lo`.
Rgb sequential_colour(double value, double lo, double hi);

}  // namespace torus::io
