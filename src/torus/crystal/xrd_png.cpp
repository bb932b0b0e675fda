#include "torus/crystal/xrd_png.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "torus/core/error.hpp"
#include "torus/io/colormap.hpp"
#include "torus/io/png.hpp"

namespace torus::crystal {
namespace {

// An RGB canvas with (0, 0) at the top left.
struct Canvas {
  int width, height;
  std::vector<std::uint8_t> rgb;

  Canvas(int w, int h) : width(w), height(h), rgb(static_cast<std::size_t>(3) * w * h, 255) {}

  void put(int x, int y, io::Rgb c) {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    auto* p = &rgb[(static_cast<std::size_t>(y) * width + x) * 3];
    p[0] = c.r;
    p[1] = c.g;
    p[2] = c.b;
  }
  void vertical(int x, int y0, int y1, io::Rgb c) {
    for (int y = std::min(y0, y1); y <= std::max(y0, y1); ++y) put(x, y, c);
  }
  void horizontal(int x0, int x1, int y, io::Rgb c) {
    for (int x = std::min(x0, x1); x <= std::max(x0, x1); ++x) put(x, y, c);
  }
};

}  // namespace

void write_xrd_png(const std::string& path, const XrdPattern& pattern,
                   const XrdPictureOptions& options) {
  TORUS_REQUIRE(options.width >= 100 && options.height >= 60 && options.width <= io::max_png_side &&
                    options.height <= io::max_png_side,
                "an XRD picture of " + std::to_string(options.width) + "x" +
                    std::to_string(options.height) + " pixels",
                path, "use at least 100 x 60 pixels");
  const auto& range = options.broadening;
  TORUS_REQUIRE(range.two_theta_max > range.two_theta_min, "the 2theta range is empty", path,
                "give two_theta_min < two_theta_max");
  Canvas canvas(options.width, options.height);
  const int left = 30, right = options.width - 20, top = 15, bottom = options.height - 30;
  const auto x_of = [&](double two_theta) {
    return left + static_cast<int>(std::lround((two_theta - range.two_theta_min) /
                                               (range.two_theta_max - range.two_theta_min) *
                                               (right - left)));
  };
  // Intensities are scaled to 100 (xrd_pattern); the curve is scaled to its own maximum.
  const auto y_of = [&](double fraction) {
    return bottom - static_cast<int>(std::lround(std::clamp(fraction, 0.0, 1.0) * (bottom - top)));
  };
  const io::Rgb axis{60, 60, 60}, stick = io::sequential_colour(0.55, 0, 1),
                                  curve = io::sequential_colour(1, 0, 1);

  for (const auto& p : pattern.peaks) {
    if (p.two_theta < range.two_theta_min || p.two_theta > range.two_theta_max) continue;
    canvas.vertical(x_of(p.two_theta), bottom, y_of(p.intensity / 100), stick);
  }
  if (range.fwhm > 0 && !pattern.peaks.empty()) {
    const auto grid = broadening_grid(range);
    const auto y = broadened_pattern(pattern, range);
    const double top_value = *std::max_element(y.begin(), y.end());
    int last_x = -1, last_y = 0;
    for (std::size_t i = 0; i < y.size() && top_value > 0; ++i) {
      const int px = x_of(grid[i]), py = y_of(y[i] / top_value);
      if (last_x >= 0) {
        canvas.vertical(px, last_y, py, curve);  // joins steep flanks without gaps
        canvas.horizontal(last_x, px, py, curve);
      }
      last_x = px;
      last_y = py;
    }
  }

  // Axes, and a tick every 10 degrees (every 30 longer).
  canvas.horizontal(left, right, bottom, axis);
  canvas.vertical(left, top, bottom, axis);
  for (int t = static_cast<int>(std::ceil(range.two_theta_min / 10)) * 10; t <= range.two_theta_max;
       t += 10) {
    canvas.vertical(x_of(t), bottom, bottom + (t % 30 == 0 ? 10 : 5), axis);
  }
  io::write_png(path, canvas.width, canvas.height, canvas.rgb);
}

}  // namespace torus::crystal
