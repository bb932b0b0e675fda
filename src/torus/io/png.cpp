#include "torus/io/png.hpp"

#include <png.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <string>

#include "torus/core/error.hpp"
#include "torus/io/colormap.hpp"
#include "torus/io/file_system.hpp"

namespace torus::io {
namespace {

// NOTE: libpng reports an error by calling the error function below, which jumps (longjmp) back
// to the setjmp of the function that called libpng. The jump skips every frame in between
// without running destructors, so the functions holding a setjmp (encode, PngReader::start and
// PngReader::finish) own nothing that needs one: plain pointers and this fixed-size message.
// C++ objects (the pixels, the row pointers, the FILE's owner) live in their callers, which the
// jump never skips.

/// libpng's explanation of its last error.
struct Complaint {
  char text[256] = "";
};

[[noreturn]] void on_png_error(png_structp png, png_const_charp message) {
  auto* complaint = static_cast<Complaint*>(png_get_error_ptr(png));
  std::snprintf(complaint->text, sizeof complaint->text, "%s", message);
  png_longjmp(png, 1);
}

// Warnings (an unknown chunk, a bad checksum in an ancillary chunk) do not stop the work.
void on_png_warning(png_structp, png_const_charp) {}

/// "PNG file '<path>'": how errors name the file at fault.
std::string describe(const std::string& path) { return "PNG file '" + path + "'"; }

/// Writes the 8-bit RGB image `rgb` (rows top to bottom) to `file` as a PNG. Returns false on
/// failure, with libpng's reason in `complaint`.
bool encode(std::FILE* file, int width, int height, const std::uint8_t* rgb, Complaint& complaint) {
  png_structp png =
      png_create_write_struct(PNG_LIBPNG_VER_STRING, &complaint, on_png_error, on_png_warning);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (info == nullptr) {
    png_destroy_write_struct(&png, nullptr);
    std::snprintf(complaint.text, sizeof complaint.text, "libpng cannot start (out of memory)");
    return false;
  }
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    return false;
  }

  png_init_io(png, file);
  png_set_IHDR(png, info, static_cast<png_uint_32>(width), static_cast<png_uint_32>(height), 8,
               PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_set_sRGB(png, info, PNG_sRGB_INTENT_PERCEPTUAL);
  png_write_info(png, info);
  const std::size_t stride = 3 * static_cast<std::size_t>(width);
  for (int row = 0; row < height; ++row) png_write_row(png, rgb + row * stride);
  png_write_end(png, nullptr);

  png_destroy_write_struct(&png, &info);
  return true;
}

/// A PNG being read: libpng's state, released by the destructor however reading ends.
class PngReader {
 public:
  PngReader() {
    png_ = png_create_read_struct(PNG_LIBPNG_VER_STRING, &complaint_, on_png_error, on_png_warning);
    info_ = png_ ? png_create_info_struct(png_) : nullptr;
  }
  ~PngReader() { png_destroy_read_struct(&png_, &info_, nullptr); }
  PngReader(const PngReader&) = delete;
  PngReader& operator=(const PngReader&) = delete;

  /// Reads the header from `file` (whose 8-byte signature was already read) and asks libpng to
  /// deliver 8-bit RGB or RGBA pixels without alpha. Returns false on failure (`complaint()`).
  bool start(std::FILE* file) {
    if (info_ == nullptr) return out_of_memory();
    if (setjmp(png_jmpbuf(png_))) return false;
    png_init_io(png_, file);
    png_set_sig_bytes(png_, 8);
    png_read_info(png_, info_);
    if (png_get_color_type(png_, info_) == PNG_COLOR_TYPE_RGB_ALPHA) png_set_strip_alpha(png_);
    png_set_interlace_handling(png_);
    png_read_update_info(png_, info_);
    return true;
  }

  /// Reads every row into `rows` (one pointer a row, top to bottom). Returns false on failure.
  bool finish(png_bytepp rows) {
    if (setjmp(png_jmpbuf(png_))) return false;
    png_read_image(png_, rows);
    png_read_end(png_, nullptr);
    return true;
  }

  png_uint_32 width() const { return png_get_image_width(png_, info_); }
  png_uint_32 height() const { return png_get_image_height(png_, info_); }
  int bit_depth() const { return png_get_bit_depth(png_, info_); }
  int colour_type() const { return png_get_color_type(png_, info_); }
  const char* complaint() const { return complaint_.text; }

 private:
  bool out_of_memory() {
    std::snprintf(complaint_.text, sizeof complaint_.text, "libpng cannot start (out of memory)");
    return false;
  }

  png_structp png_ = nullptr;
  png_infop info_ = nullptr;
  Complaint complaint_;
};

/// "16-bit grey", "8-bit palette": the kind of a PNG's pixels, for messages.
std::string describe_pixels(int bit_depth, int colour_type) {
  std::string kind = "other";
  if (colour_type == PNG_COLOR_TYPE_GRAY) kind = "grey";
  if (colour_type == PNG_COLOR_TYPE_GRAY_ALPHA) kind = "grey and alpha";
  if (colour_type == PNG_COLOR_TYPE_PALETTE) kind = "palette";
  if (colour_type == PNG_COLOR_TYPE_RGB) kind = "RGB";
  if (colour_type == PNG_COLOR_TYPE_RGB_ALPHA) kind = "RGBA";
  return std::to_string(bit_depth) + "-bit " + kind;
}

/// Closes `file` when it goes out of scope (reading only: a writer checks fclose's result).
struct ClosesFile {
  std::FILE* file;
  ~ClosesFile() { std::fclose(file); }
};

/// The largest |value| among the finite `values`; 1 when that is 0 (a field of zeros and NaNs).
double automatic_limit(const double* values, std::size_t count) {
  double largest = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (std::isfinite(values[i])) largest = std::max(largest, std::abs(values[i]));
  }
  return largest > 0 ? largest : 1.0;
}

}  // namespace

void write_png(const std::string& path, int width, int height,
               const std::vector<std::uint8_t>& rgb) {
  TORUS_REQUIRE(!path.empty(), "empty file name", "io::write_png", "give the path to write");
  TORUS_REQUIRE(width >= 1 && height >= 1 && width <= max_png_side && height <= max_png_side,
                "a picture of " + std::to_string(width) + "x" + std::to_string(height) +
                    " pixels; each side must be between 1 and " + std::to_string(max_png_side),
                describe(path), "pass the picture's real width and height");
  const std::size_t expected = 3 * static_cast<std::size_t>(width) * height;
  TORUS_REQUIRE(rgb.size() == expected,
                "the pixels hold " + std::to_string(rgb.size()) + " bytes, but a " +
                    std::to_string(width) + "x" + std::to_string(height) + " RGB picture needs " +
                    std::to_string(expected),
                describe(path), "pass 3 bytes (r, g, b) for every pixel, rows top to bottom");
  if (const auto problem = detail::unwritable_location(path)) {
    TORUS_THROW(problem.problem, describe(path), problem.fix);
  }

  const std::string temporary = detail::temporary_name(path);
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  if (file == nullptr) {
    TORUS_THROW(
        "cannot create the temporary file '" + temporary + "': " + detail::system_message(errno),
        describe(path), "check the free space and permissions of the directory");
  }

  Complaint complaint;
  const bool encoded = encode(file, width, height, rgb.data(), complaint);
  const int flushed = std::fflush(file) == 0 ? 0 : errno;
  const int closed = std::fclose(file) == 0 ? 0 : errno;
  if (!encoded || flushed != 0 || closed != 0) {
    std::remove(temporary.c_str());
    const std::string reason = !encoded ? "libpng: " + std::string(complaint.text)
                                        : detail::system_message(flushed ? flushed : closed);
    TORUS_THROW("cannot write the picture to '" + temporary + "' (" + reason + ")", describe(path),
                "check the free space of the file system and retry");
  }

  if (const auto problem = detail::replace_atomically(temporary, path)) {
    TORUS_THROW(problem.problem, describe(path), problem.fix);
  }
}

void write_field_png(const std::string& path, const double* values, int nx, int ny,
                     FieldPictureOptions options) {
  TORUS_REQUIRE(nx > 0 && ny > 0,
                "a field of " + std::to_string(nx) + "x" + std::to_string(ny) +
                    " points; both extents must be positive",
                "nx, ny", "pass the extents of the field's (x, y) grid");
  TORUS_REQUIRE(values != nullptr, "the field's values are a null pointer", "values",
                "pass the address of nx * ny doubles in C order (x first)");
  TORUS_REQUIRE(std::isfinite(options.limit) && options.limit >= 0,
                "the colour limit is " + std::to_string(options.limit) +
                    ", not a finite number of at least 0",
                "FieldPictureOptions::limit",
                "pass 0 (automatic) or the value of the deepest colour");
  TORUS_REQUIRE(options.scale >= 0, "the scale is " + std::to_string(options.scale),
                "FieldPictureOptions::scale", "pass 0 (automatic) or a whole factor of at least 1");

  // Automatic scale: the smallest s with s * max(nx, ny) >= 256.
  constexpr int kAutomaticSide = 256;
  const int longer = std::max(nx, ny);
  const int scale =
      options.scale > 0 ? options.scale : std::max(1, (kAutomaticSide + longer - 1) / longer);
  const long long width = static_cast<long long>(nx) * scale;
  const long long height = static_cast<long long>(ny) * scale;
  TORUS_REQUIRE(width <= max_png_side && height <= max_png_side,
                "a picture of " + std::to_string(nx) + "x" + std::to_string(ny) +
                    " points at scale " + std::to_string(scale) + " would be " +
                    std::to_string(width) + "x" + std::to_string(height) + " pixels, more than " +
                    std::to_string(max_png_side) + " on a side",
                describe(path),
                "use a smaller scale or draw a coarser or smaller part of the field");

  // One colour a grid point.
  const std::size_t points = static_cast<std::size_t>(nx) * ny;
  const double limit = options.limit > 0 ? options.limit : automatic_limit(values, points);
  std::vector<Rgb> colours(points);
  for (std::size_t p = 0; p < points; ++p) {
    colours[p] = options.diverging ? diverging_colour(values[p], limit)
                                   : sequential_colour(values[p], 0.0, limit);
  }

  // Image row r shows y index ny - 1 - r / scale; column c shows x index c / scale. Each grid
  // row j is drawn once and copied to the scale image rows it covers.
  const std::size_t stride = 3 * static_cast<std::size_t>(width);
  std::vector<std::uint8_t> rgb(stride * static_cast<std::size_t>(height));
  for (int j = 0; j < ny; ++j) {
    const auto first_row = rgb.begin() + static_cast<std::ptrdiff_t>((ny - 1 - j) * scale * stride);
    auto pixel = first_row;
    for (int i = 0; i < nx; ++i) {
      const Rgb colour = colours[static_cast<std::size_t>(i) * ny + j];
      for (int s = 0; s < scale; ++s) {
        *pixel++ = colour.r;
        *pixel++ = colour.g;
        *pixel++ = colour.b;
      }
    }
    for (int s = 1; s < scale; ++s) {
      std::copy(first_row, first_row + static_cast<std::ptrdiff_t>(stride),
                first_row + static_cast<std::ptrdiff_t>(s * stride));
    }
  }

  write_png(path, static_cast<int>(width), static_cast<int>(height), rgb);
}

std::vector<std::uint8_t> read_png_rgb(const std::string& path, int& width, int& height) {
  if (const auto problem = detail::unreadable_file(path)) {
    TORUS_THROW(problem.problem, describe(path), problem.fix);
  }
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) {
    TORUS_THROW("cannot open the file: " + detail::system_message(errno), describe(path),
                "check the file's permissions");
  }
  const ClosesFile closes{file};

  png_byte signature[8] = {};
  const bool is_png = std::fread(signature, 1, sizeof signature, file) == sizeof signature &&
                      png_sig_cmp(signature, 0, sizeof signature) == 0;
  TORUS_REQUIRE(is_png, "not a PNG file (its first bytes are not the PNG signature)",
                describe(path), "give a PNG picture");

  PngReader reader;
  if (!reader.start(file)) {
    TORUS_THROW("cannot read the PNG header (libpng: " + std::string(reader.complaint()) + ")",
                describe(path), "check that the file is complete and not damaged");
  }
  const bool rgb_kind = reader.colour_type() == PNG_COLOR_TYPE_RGB ||
                        reader.colour_type() == PNG_COLOR_TYPE_RGB_ALPHA;
  TORUS_REQUIRE(rgb_kind && reader.bit_depth() == 8,
                "the picture has " + describe_pixels(reader.bit_depth(), reader.colour_type()) +
                    " pixels; only 8-bit RGB and RGBA pictures are read",
                describe(path), "convert the picture to 8-bit RGB");
  TORUS_REQUIRE(reader.width() <= max_png_side && reader.height() <= max_png_side,
                "the picture is " + std::to_string(reader.width()) + "x" +
                    std::to_string(reader.height()) + " pixels, more than " +
                    std::to_string(max_png_side) + " on a side",
                describe(path), "read a smaller picture");

  const std::size_t stride = 3 * static_cast<std::size_t>(reader.width());
  std::vector<std::uint8_t> rgb(stride * reader.height());
  std::vector<png_bytep> rows(reader.height());
  for (std::size_t r = 0; r < rows.size(); ++r) rows[r] = rgb.data() + r * stride;
  if (!reader.finish(rows.data())) {
    TORUS_THROW("cannot read the pixels (libpng: " + std::string(reader.complaint()) + ")",
                describe(path), "check that the file is complete and not damaged");
  }
  width = static_cast<int>(reader.width());
  height = static_cast<int>(reader.height());
  return rgb;
}

}  // namespace torus::io
