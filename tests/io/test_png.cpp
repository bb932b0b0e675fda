// Pictures of fields: the colour maps (anchors, monotone channels, clamping, NaN), PNG files
// written atomically and read back pixel by pixel (size, automatic scale, orientation, colours),
// and the errors a user can provoke. Every rank writes its own files.
#include <gtest/gtest.h>
#include <png.h>

#include <cmath>
#include <csetjmp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <ostream>
#include <string>
#include <vector>

#include "io/io_support.hpp"
#include "torus/core/error.hpp"
#include "torus/io/colormap.hpp"
#include "torus/io/png.hpp"

namespace torus::io {

// Colours in gtest's messages as (r, g, b).
void PrintTo(const Rgb& c, std::ostream* out) {
  *out << "(" << int{c.r} << ", " << int{c.g} << ", " << int{c.b} << ")";
}

namespace {

namespace fs = std::filesystem;
using testing::error_of;
using testing::ScratchTest;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

// The anchors documented in colormap.hpp.
constexpr Rgb kDeepBlue{30, 50, 130};
constexpr Rgb kLightBlue{95, 150, 215};
constexpr Rgb kCentre{245, 245, 245};
constexpr Rgb kSalmon{220, 114, 90};
constexpr Rgb kDeepRed{120, 16, 30};
constexpr Rgb kCream{253, 248, 228};
constexpr Rgb kPlum{40, 14, 44};

/// The colour of the pixel at (row, column) of an RGB image `width` pixels wide.
Rgb pixel(const std::vector<std::uint8_t>& rgb, int width, int row, int column) {
  const std::size_t at = 3 * (static_cast<std::size_t>(row) * width + column);
  return {rgb[at], rgb[at + 1], rgb[at + 2]};
}

/// Relative luminance of an sRGB colour, up to the transfer function: enough to order colours.
double luma(Rgb c) { return 0.2126 * c.r + 0.7152 * c.g + 0.0722 * c.b; }

/// The largest change of any channel between two colours.
int step(Rgb a, Rgb b) {
  return std::max({std::abs(a.r - b.r), std::abs(a.g - b.g), std::abs(a.b - b.b)});
}

// ---- colour maps --------------------------------------------------------------------------------

TEST(Colormap, DivergingAnchorsSitAtTheirValues) {
  EXPECT_EQ(diverging_colour(-2.0, 2.0), kDeepBlue);
  EXPECT_EQ(diverging_colour(-1.0, 2.0), kLightBlue);
  EXPECT_EQ(diverging_colour(0.0, 2.0), kCentre);
  EXPECT_EQ(diverging_colour(1.0, 2.0), kSalmon);
  EXPECT_EQ(diverging_colour(2.0, 2.0), kDeepRed);
}

TEST(Colormap, DivergingClampsOutsideTheLimit) {
  EXPECT_EQ(diverging_colour(-7.0, 2.0), kDeepBlue);
  EXPECT_EQ(diverging_colour(1e300, 2.0), kDeepRed);
  EXPECT_EQ(diverging_colour(-kInf, 2.0), kDeepBlue);
  EXPECT_EQ(diverging_colour(kInf, 2.0), kDeepRed);
}

TEST(Colormap, EachHalfChangesEveryChannelOneWayAndSmoothly) {
  // From -limit up to 0 every channel rises towards the light centre; from 0 to +limit every
  // channel falls. Neighbouring samples 1/400 of the range apart differ by a few levels at most.
  constexpr int kSamples = 200;
  Rgb previous = diverging_colour(-1.0, 1.0);
  for (int k = 1; k <= kSamples; ++k) {
    const Rgb c = diverging_colour(-1.0 + static_cast<double>(k) / kSamples, 1.0);
    EXPECT_GE(c.r, previous.r) << "negative half, sample " << k;
    EXPECT_GE(c.g, previous.g) << "negative half, sample " << k;
    EXPECT_GE(c.b, previous.b) << "negative half, sample " << k;
    if (k < kSamples * 9 / 10) EXPECT_GT(c.b, c.r) << "negative values are bluish, sample " << k;
    EXPECT_LE(step(c, previous), 6) << "negative half, sample " << k;
    previous = c;
  }
  for (int k = 1; k <= kSamples; ++k) {
    const Rgb c = diverging_colour(static_cast<double>(k) / kSamples, 1.0);
    EXPECT_LE(c.r, previous.r) << "positive half, sample " << k;
    EXPECT_LE(c.g, previous.g) << "positive half, sample " << k;
    EXPECT_LE(c.b, previous.b) << "positive half, sample " << k;
    if (k > kSamples / 10) EXPECT_GT(c.r, c.b) << "positive values are reddish, sample " << k;
    EXPECT_LE(step(c, previous), 6) << "positive half, sample " << k;
    previous = c;
  }
}

TEST(Colormap, NanHasItsOwnColour) {
  EXPECT_EQ(diverging_colour(kNaN, 1.0), nan_colour);
  EXPECT_EQ(sequential_colour(kNaN, 0.0, 1.0), nan_colour);
  // No value of either map comes close to it.
  for (int k = 0; k <= 100; ++k) {
    EXPECT_GT(step(diverging_colour(-1.0 + k / 50.0, 1.0), nan_colour), 60);
    EXPECT_GT(step(sequential_colour(k / 100.0, 0.0, 1.0), nan_colour), 60);
  }
}

TEST(Colormap, SequentialDarkensFromCreamToPlum) {
  EXPECT_EQ(sequential_colour(1.0, 1.0, 3.0), kCream);
  EXPECT_EQ(sequential_colour(3.0, 1.0, 3.0), kPlum);
  EXPECT_EQ(sequential_colour(-4.0, 1.0, 3.0), kCream);
  EXPECT_EQ(sequential_colour(9.0, 1.0, 3.0), kPlum);
  Rgb previous = kCream;
  for (int k = 1; k <= 200; ++k) {
    const Rgb c = sequential_colour(k / 200.0, 0.0, 1.0);
    EXPECT_LT(luma(c), luma(previous)) << "sample " << k;
    EXPECT_LE(step(c, previous), 6) << "sample " << k;
    previous = c;
  }
}

TEST(Colormap, BadRangesThrow) {
  for (const double limit : {0.0, -1.0, kNaN, kInf}) {
    EXPECT_THROW(diverging_colour(0.5, limit), Error) << "limit " << limit;
  }
  EXPECT_THROW(sequential_colour(0.5, 1.0, 1.0), Error);
  EXPECT_THROW(sequential_colour(0.5, 2.0, 1.0), Error);
  EXPECT_THROW(sequential_colour(0.5, kNaN, 1.0), Error);
  EXPECT_THROW(sequential_colour(0.5, 0.0, kInf), Error);
}

// ---- PNG files ----------------------------------------------------------------------------------

using PngTest = ScratchTest;

/// True when none of the files this rank made in `directory` (names starting with `mine`'s
/// prefix; other ranks write at the same time) is a temporary ("<name>.tmp-...").
bool no_temporaries(const std::string& directory, const std::string& prefix) {
  for (const auto& entry : fs::directory_iterator(directory)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) == 0 && name.find(".tmp-") != std::string::npos) return false;
  }
  return true;
}

/// Writes a PNG of another kind than 8-bit RGB with libpng itself: `channels` bytes a pixel of
/// `bit_depth` bits, all `byte`. Returns false when libpng fails.
bool write_raw_png(const std::string& path, int width, int height, int colour_type, int bit_depth,
                   int channels, std::uint8_t byte) {
  std::vector<std::uint8_t> row(static_cast<std::size_t>(width) * channels * bit_depth / 8, byte);
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return false;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png_create_info_struct(png);
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    std::fclose(file);
    return false;
  }
  png_init_io(png, file);
  png_set_IHDR(png, info, width, height, bit_depth, colour_type, PNG_INTERLACE_NONE,
               PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int r = 0; r < height; ++r) png_write_row(png, row.data());
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return std::fclose(file) == 0;
}

TEST_F(PngTest, PixelsReadBackExactly) {
  const std::string path = mine("pixels.png");
  constexpr int kWidth = 5;
  constexpr int kHeight = 3;
  std::vector<std::uint8_t> rgb(3 * kWidth * kHeight);
  for (std::size_t k = 0; k < rgb.size(); ++k) rgb[k] = static_cast<std::uint8_t>(17 * k + 3);
  write_png(path, kWidth, kHeight, rgb);

  int width = 0;
  int height = 0;
  EXPECT_EQ(read_png_rgb(path, width, height), rgb);
  EXPECT_EQ(width, kWidth);
  EXPECT_EQ(height, kHeight);
  EXPECT_TRUE(no_temporaries(directory, fs::path(mine("")).filename().string()));

  // A second write replaces the first.
  std::vector<std::uint8_t> black(3 * 2 * 2, 0);
  write_png(path, 2, 2, black);
  EXPECT_EQ(read_png_rgb(path, width, height), black);
  EXPECT_EQ(width, 2);
}

TEST_F(PngTest, RgbaIsReadWithoutItsAlphaOtherKindsAreRefused) {
  const std::string rgba = mine("rgba.png");
  ASSERT_TRUE(write_raw_png(rgba, 3, 2, PNG_COLOR_TYPE_RGB_ALPHA, 8, 4, 200));
  int width = 0;
  int height = 0;
  EXPECT_EQ(read_png_rgb(rgba, width, height), std::vector<std::uint8_t>(3 * 3 * 2, 200));
  EXPECT_EQ(width, 3);
  EXPECT_EQ(height, 2);

  const std::string grey = mine("grey.png");
  ASSERT_TRUE(write_raw_png(grey, 3, 2, PNG_COLOR_TYPE_GRAY, 8, 1, 90));
  EXPECT_NE(error_of([&] { read_png_rgb(grey, width, height); }).find("8-bit grey"),
            std::string::npos);
  const std::string deep = mine("deep.png");
  ASSERT_TRUE(write_raw_png(deep, 3, 2, PNG_COLOR_TYPE_RGB, 16, 3, 90));
  EXPECT_NE(error_of([&] { read_png_rgb(deep, width, height); }).find("16-bit RGB"),
            std::string::npos);
}

TEST_F(PngTest, AutomaticScaleMakesTheLongerSideAtLeast256Pixels) {
  struct Case {
    int nx, ny, scale, width, height;
  };
  for (const Case c :
       {Case{64, 32, 0, 256, 128}, Case{100, 7, 0, 300, 21}, Case{300, 10, 0, 300, 10},
        Case{256, 256, 0, 256, 256}, Case{6, 4, 2, 12, 8}}) {
    const std::vector<double> field(static_cast<std::size_t>(c.nx) * c.ny, 0.25);
    FieldPictureOptions options;
    options.scale = c.scale;
    const std::string path = mine("scaled.png");
    write_field_png(path, field.data(), c.nx, c.ny, options);
    int width = 0;
    int height = 0;
    const auto rgb = read_png_rgb(path, width, height);
    EXPECT_EQ(width, c.width) << c.nx << "x" << c.ny << " at scale " << c.scale;
    EXPECT_EQ(height, c.height) << c.nx << "x" << c.ny << " at scale " << c.scale;
    // A constant field: its largest value is the limit, so every pixel is deep red.
    EXPECT_EQ(pixel(rgb, width, height - 1, width - 1), kDeepRed);
  }
}

TEST_F(PngTest, SmallXAndLargeYIsTheTopLeftCorner) {
  constexpr int kNx = 4;
  constexpr int kNy = 3;
  std::vector<double> field(kNx * kNy, 0.0);
  field[0 * kNy + (kNy - 1)] = 1.0;  // x index 0, y index ny - 1
  FieldPictureOptions options;
  options.scale = 3;
  const std::string path = mine("corner.png");
  write_field_png(path, field.data(), kNx, kNy, options);

  int width = 0;
  int height = 0;
  const auto rgb = read_png_rgb(path, width, height);
  ASSERT_EQ(width, 12);
  ASSERT_EQ(height, 9);
  for (int row = 0; row < height; ++row) {
    for (int column = 0; column < width; ++column) {
      const bool corner = row < 3 && column < 3;
      EXPECT_EQ(pixel(rgb, width, row, column), corner ? kDeepRed : kCentre)
          << "row " << row << ", column " << column;
    }
  }
}

TEST_F(PngTest, EveryPixelHasTheColourOfItsGridPoint) {
  // A field of many values, a NaN and an infinity included; the automatic limit is the largest
  // finite |value|, 2 at (4, 0), and +inf is drawn like +2.
  constexpr int kNx = 5;
  constexpr int kNy = 3;
  constexpr int kScale = 2;
  std::vector<double> field(kNx * kNy);
  for (int i = 0; i < kNx; ++i) {
    for (int j = 0; j < kNy; ++j) field[i * kNy + j] = 0.5 * i - 0.75 * j;
  }
  field[1 * kNy + 0] = kNaN;
  field[4 * kNy + 2] = kInf;

  for (const bool diverging : {true, false}) {
    FieldPictureOptions options;
    options.scale = kScale;
    options.diverging = diverging;
    const std::string path = mine("field.png");
    write_field_png(path, field.data(), kNx, kNy, options);

    int width = 0;
    int height = 0;
    const auto rgb = read_png_rgb(path, width, height);
    ASSERT_EQ(width, kNx * kScale);
    ASSERT_EQ(height, kNy * kScale);
    for (int row = 0; row < height; ++row) {
      for (int column = 0; column < width; ++column) {
        const double value = field[(column / kScale) * kNy + (kNy - 1 - row / kScale)];
        const Rgb expected =
            diverging ? diverging_colour(value, 2.0) : sequential_colour(value, 0.0, 2.0);
        EXPECT_EQ(pixel(rgb, width, row, column), expected)
            << (diverging ? "diverging" : "sequential") << ", row " << row << ", column " << column;
      }
    }
  }
}

TEST_F(PngTest, GivenLimitAndZeroField) {
  const std::vector<double> zeros(8 * 8, 0.0);
  const std::string path = mine("zeros.png");
  write_field_png(path, zeros.data(), 8, 8);
  int width = 0;
  int height = 0;
  auto rgb = read_png_rgb(path, width, height);
  EXPECT_EQ(width, 256);
  EXPECT_EQ(pixel(rgb, width, 100, 200), kCentre);

  std::vector<double> field(8 * 8, -1.0);
  FieldPictureOptions options;
  options.limit = 2.0;
  write_field_png(path, field.data(), 8, 8, options);
  rgb = read_png_rgb(path, width, height);
  EXPECT_EQ(pixel(rgb, width, 0, 0), kLightBlue);
}

TEST_F(PngTest, BadInputThrows) {
  const std::string path = mine("bad.png");
  const std::vector<double> field(16, 1.0);
  FieldPictureOptions options;
  EXPECT_THROW(write_field_png(path, field.data(), 0, 4), Error);
  EXPECT_THROW(write_field_png(path, field.data(), 4, -1), Error);
  EXPECT_THROW(write_field_png(path, nullptr, 4, 4), Error);
  options.scale = -1;
  EXPECT_THROW(write_field_png(path, field.data(), 4, 4, options), Error);
  options = {};
  for (const double limit : {-1.0, kNaN, kInf}) {
    options.limit = limit;
    EXPECT_THROW(write_field_png(path, field.data(), 4, 4, options), Error) << limit;
  }
  // Too large a picture is refused before anything is drawn.
  options = {};
  options.scale = 5000;
  EXPECT_NE(
      error_of([&] { write_field_png(path, field.data(), 4, 4, options); }).find("more than 16384"),
      std::string::npos);
  const std::vector<double> long_field(20000, 0.0);
  EXPECT_THROW(write_field_png(path, long_field.data(), 20000, 1), Error);

  EXPECT_THROW(write_png(path, 0, 1, {}), Error);
  EXPECT_THROW(write_png(path, 2, 2, std::vector<std::uint8_t>(11)), Error);
  EXPECT_THROW(write_png("", 1, 1, std::vector<std::uint8_t>(3)), Error);
  EXPECT_FALSE(fs::exists(path));
}

TEST_F(PngTest, FailedWritesLeaveNothingBehind) {
  const std::vector<double> field(16, 1.0);
  const std::string nowhere = mine("missing") + "/w.png";
  const std::string message = error_of([&] { write_field_png(nowhere, field.data(), 4, 4); });
  EXPECT_NE(message.find("does not exist"), std::string::npos) << message;
  EXPECT_NE(message.find(nowhere), std::string::npos) << message;
  EXPECT_FALSE(fs::exists(mine("missing")));

  // A directory in the way of the file: the error names it, and the directory is untouched.
  const std::string in_the_way = mine("in-the-way.png");
  fs::create_directory(in_the_way);
  EXPECT_NE(
      error_of([&] { write_field_png(in_the_way, field.data(), 4, 4); }).find("is a directory"),
      std::string::npos);
  EXPECT_TRUE(fs::is_empty(in_the_way));
  EXPECT_TRUE(no_temporaries(directory, fs::path(mine("")).filename().string()));
}

TEST_F(PngTest, UnreadableFilesThrow) {
  int width = -1;
  int height = -1;
  EXPECT_NE(
      error_of([&] { read_png_rgb(mine("absent.png"), width, height); }).find("does not exist"),
      std::string::npos);

  const std::string text = mine("text.png");
  std::ofstream(text) << "not a picture at all\n";
  EXPECT_NE(error_of([&] { read_png_rgb(text, width, height); }).find("not a PNG file"),
            std::string::npos);

  // A picture cut in half: libpng's complaint arrives as a torus::Error.
  const std::string whole = mine("whole.png");
  std::vector<std::uint8_t> rgb(3 * 64 * 64);
  for (std::size_t k = 0; k < rgb.size(); ++k) rgb[k] = static_cast<std::uint8_t>(k * k % 251);
  write_png(whole, 64, 64, rgb);
  const std::string cut = mine("cut.png");
  fs::copy_file(whole, cut);
  fs::resize_file(cut, fs::file_size(whole) / 2);
  EXPECT_NE(error_of([&] { read_png_rgb(cut, width, height); }).find("libpng"), std::string::npos);
  EXPECT_EQ(width, -1) << "the sizes are set only on success";
  EXPECT_EQ(height, -1);
}

}  // namespace
}  // namespace torus::io
