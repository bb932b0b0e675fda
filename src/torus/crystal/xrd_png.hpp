#pragma once
/// \file
/// A picture of a powder pattern for people: sticks at the peaks, the Gaussian-broadened curve
/// over them, and a 2theta axis with a tick every 10 degrees (longer every 30). No text: the
/// axis runs over the pattern's range, left to right, and the tallest peak reaches the top.

#include <string>

#include "torus/crystal/xrd.hpp"
#include "torus/crystal/xrd_similarity.hpp"

namespace torus::crystal {

/// Size of the picture and the broadening of its curve.
struct XrdPictureOptions {
  int width = 900;
  int height = 360;
  /// Range, and the width of the curve's peaks; fwhm <= 0 draws sticks only.
  BroadeningOptions broadening;
};

/// Writes the picture of `pattern` to the PNG file `path` (atomically, io::write_png). Throws
/// torus::Error when the picture is smaller than 100 x 60 pixels or larger than io::max_png_side,
/// the range is empty, or the file cannot be written.
void write_xrd_png(const std::string& path, const XrdPattern& pattern,
                   const XrdPictureOptions& options = {});

}  // namespace torus::crystal
