// io::write_attribute / read_attribute on the file and on datasets: every value kind, on one
// rank and on a parallel file, replacement, and the errors of a wrong read.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "io/io_support.hpp"
#include "torus/core/error.hpp"
#include "torus/io/attributes.hpp"
#include "torus/io/hdf5_file.hpp"
#include "torus/io/views.hpp"

namespace torus::io {
namespace {

using AttributeTest = testing::ScratchTest;

const std::vector<std::int64_t> kGrid = {256, 128, std::numeric_limits<std::int64_t>::min()};
const std::vector<double> kLengths = {1.0, 6.283185307179586, -1e-300};

// Writes one attribute of each kind on the root and on dataset "fields/w".
void write_all(File& file) {
  write(file, "fields/w", testing::coded_view<double, 2>("w", 2, 2));
  write_attribute(file, "/", "steps", std::int64_t{1} << 50);
  write_attribute(file, "/", "nu", 1e-3);
  write_attribute(file, "/", "title", std::string("Kolmogorov flow, Re = 1000 – ω"));
  write_attribute(file, "/", "grid", kGrid);
  write_attribute(file, "/", "lengths", kLengths);
  write_attribute(file, "/", "none", std::vector<double>{});
  write_attribute(file, "/", "blank", "");
  write_attribute(file, "fields/w", "units", "1/s");
  write_attribute(file, "fields/w", "channel", 3);  // an int, stored as int64
  write_attribute(file, "fields", "kind", "group attribute");
}

void expect_all(const File& file) {
  EXPECT_EQ(read_attribute<std::int64_t>(file, "/", "steps"), std::int64_t{1} << 50);
  EXPECT_EQ(read_attribute<double>(file, "/", "nu"), 1e-3);
  EXPECT_EQ(read_attribute<std::string>(file, "/", "title"), "Kolmogorov flow, Re = 1000 – ω");
  EXPECT_EQ(read_attribute<std::vector<std::int64_t>>(file, "/", "grid"), kGrid);
  EXPECT_EQ(read_attribute<std::vector<double>>(file, "/", "lengths"), kLengths);
  EXPECT_TRUE(read_attribute<std::vector<double>>(file, "/", "none").empty());
  EXPECT_EQ(read_attribute<std::string>(file, "/", "blank"), "");
  EXPECT_EQ(read_attribute<std::string>(file, "fields/w", "units"), "1/s");
  EXPECT_EQ(read_attribute<std::int64_t>(file, "/fields/w", "channel"), 3);
  EXPECT_EQ(read_attribute<double>(file, "fields/w", "channel"), 3.0) << "integers read as reals";
  EXPECT_EQ(read_attribute<std::string>(file, "fields", "kind"), "group attribute");
  EXPECT_TRUE(has_attribute(file, "/", "nu"));
  EXPECT_TRUE(has_attribute(file, "fields/w", "units"));
  EXPECT_FALSE(has_attribute(file, "fields/w", "nu"));
  EXPECT_FALSE(has_attribute(file, "nowhere", "nu"));
}

TEST_F(AttributeTest, RoundTripOnOneRank) {
  const std::string path = mine("attributes.h5");
  {
    auto file = File::create(path);
    write_all(file);
    expect_all(file);  // readable before commit too
    file.commit();
  }
  expect_all(File::open(path));
}

TEST_F(AttributeTest, RoundTripOnAParallelFile) {
  const std::string path = shared("attributes.h5");
  {
    auto file = File::create(path, world);
    write_all(file);
    file.commit();
  }
  expect_all(File::open(path, world));
  expect_all(File::open(path));
}

TEST_F(AttributeTest, WritingAgainReplaces) {
  const std::string path = mine("replace.h5");
  {
    auto file = File::create(path);
    write_attribute(file, "/", "step", 1.5);
    write_attribute(file, "/", "step", std::int64_t{2});
    write_attribute(file, "/", "grid", std::vector<std::int64_t>{1, 2, 3});
    write_attribute(file, "/", "grid", std::vector<std::int64_t>{4});
    file.commit();
  }
  auto file = File::open(path);
  EXPECT_EQ(read_attribute<std::int64_t>(file, "/", "step"), 2);
  EXPECT_EQ(read_attribute<std::vector<std::int64_t>>(file, "/", "grid"),
            std::vector<std::int64_t>{4});
}

TEST_F(AttributeTest, WrongReadsAreExplained) {
  const std::string path = mine("wrong.h5");
  {
    auto file = File::create(path);
    write_all(file);
    EXPECT_THROW(write_attribute(file, "missing", "x", 1.0), Error);
    file.commit();
  }
  auto file = File::open(path);
  auto message_of = [](auto action) -> std::string {
    try {
      action();
    } catch (const Error& e) {
      return e.what();
    }
    return "no error";
  };

  std::string message = message_of([&] { read_attribute<double>(file, "/", "mu"); });
  EXPECT_NE(message.find("no attribute 'mu' of '/'"), std::string::npos) << message;
  EXPECT_NE(message.find("nu"), std::string::npos) << "lists what is there: " << message;
  EXPECT_NE(message.find(path), std::string::npos) << message;

  message = message_of([&] { read_attribute<double>(file, "fields/u", "units"); });
  EXPECT_NE(message.find("no dataset or group 'fields/u'"), std::string::npos) << message;

  message = message_of([&] { read_attribute<std::int64_t>(file, "/", "nu"); });
  EXPECT_NE(message.find("64-bit floats, which do not read as int64"), std::string::npos)
      << message;
  message = message_of([&] { read_attribute<std::string>(file, "/", "steps"); });
  EXPECT_NE(message.find("do not read as a string"), std::string::npos) << message;
  message = message_of([&] { read_attribute<double>(file, "/", "title"); });
  EXPECT_NE(message.find("holds strings"), std::string::npos) << message;
  message = message_of([&] { read_attribute<std::int64_t>(file, "/", "grid"); });
  EXPECT_NE(message.find("holds 3 values, not one"), std::string::npos) << message;
}

}  // namespace
}  // namespace torus::io
