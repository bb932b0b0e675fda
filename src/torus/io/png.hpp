#pragma once
/// \file
/// PNG pictures: 8-bit RGB images written atomically, and pictures of 2-D fields through the
/// colour maps of colormap.hpp (the Navier-Stokes solver's vorticity snapshots).
///
/// \code
/// // w: nx * ny doubles, w[i * ny + j] the vorticity at (x_i, y_j)
/// io::write_field_png("run/vorticity-000100.png", w.data(), nx, ny);  // blue, white, red
///
/// io::FieldPictureOptions magnitude;                                  // cream to dark plum
/// magnitude.diverging = false;
/// io::write_field_png("run/speed-000100.png", speed.data(), nx, ny, magnitude);
/// \endcode
///
/// **Orientation.** A field picture is the usual plot of a field on the periodic square: x, the
/// first index, increases to the right, and y increases upwards. Image row r (rows run top to
/// bottom in the file) shows y index ny - 1 - r, column c shows x index c; with an upscaling
/// factor s, every grid point is an s x s block of pixels.
///
/// **Atomic writes.** Both writers never touch `path` until the picture is complete: they write
/// `<path>.tmp-<pid>-<n>` in the same directory, flush it to disk and rename it to `path` in one
/// step. On any failure the temporary is deleted, `path` is left as it was and a torus::Error
/// naming `path` is thrown.
///
/// These functions use no MPI: each rank that calls them writes its own file. Give ranks
/// different paths, or call from one rank.

#include <cstdint>
#include <string>
#include <vector>

namespace torus::io {

/// The largest width or height, in pixels, that the PNG functions write or read.
inline constexpr int max_png_side = 16384;

/// Writes an 8-bit RGB PNG of `width` x `height` pixels to `path`, atomically (file comment).
/// `rgb` holds 3 bytes (r, g, b) a pixel, rows top to bottom, each row left to right.
/// Throws torus::Error when a side is not in [1, max_png_side], when `rgb` does not hold
/// 3 * width * height bytes, or when the file cannot be written (the message names `path` and
/// says why: no such directory, no permission, a full disk, libpng's complaint).
void write_png(const std::string& path, int width, int height,
               const std::vector<std::uint8_t>& rgb);

/// How write_field_png draws a field.
struct FieldPictureOptions {
  /// The value drawn in the deepest colour. Diverging: values in [-limit, limit] span deep blue
  /// to deep red. Sequential: values in [0, limit] span cream to near-black plum. Values beyond
  /// are clamped. 0 means automatic: the largest |value| of the finite values (1 when there is
  /// none other than 0, so that a zero field is drawn in the colour of 0).
  double limit = 0;
  /// Each grid point becomes a scale x scale block of pixels (nearest neighbour). 0 means
  /// automatic: the smallest factor that makes the longer side at least 256 pixels (1 for a grid
  /// of 256 or more points on its longer side).
  int scale = 0;
  /// true: the diverging map, for signed fields; false: the sequential map, for non-negative
  /// fields (negative values take the colour of 0).
  bool diverging = true;
};

/// Writes a picture of the 2-D field `values` (nx * ny doubles in C order, `values[i * ny + j]`
/// the value at x index i and y index j) to the PNG file `path`, atomically: x to the right, y
/// upwards (file comment), coloured by diverging_colour or sequential_colour with `options`.
/// NaNs are drawn in `nan_colour`. Throws torus::Error when nx or ny is not positive, `values` is
/// null, `options.limit` is negative or not finite, `options.scale` is negative, the picture
/// would be wider or taller than max_png_side pixels, or the file cannot be written.
void write_field_png(const std::string& path, const double* values, int nx, int ny,
                     FieldPictureOptions options = {});

/// Reads the PNG file at `path` and returns its pixels as 8-bit RGB, 3 bytes a pixel, rows top to
/// bottom; sets `width` and `height`. Reads 8-bit RGB and RGBA images (the alpha channel is
/// dropped, not composited). Throws torus::Error naming `path` when the file does not exist or
/// cannot be read, is not a PNG, is damaged, is of another kind (grey, palette, 16-bit), or has a
/// side above max_png_side.
std::vector<std::uint8_t> read_png_rgb(const std::string& path, int& width, int& height);

}  // namespace torus::io
