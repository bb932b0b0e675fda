// io::read_hyperslab: a strided box of a dataset into caller memory, against the values that
// encode their own indices (io_support.hpp), the conversion to float, and its refusals.
#include <gtest/gtest.h>

#include <vector>

#include "io/io_support.hpp"
#include "torus/io/hdf5_file.hpp"
#include "torus/io/views.hpp"

namespace torus::io {
namespace {

using testing::coded_view;
using testing::error_of;

class HyperslabTest : public testing::ScratchTest {};

TEST_F(HyperslabTest, ReadsAStridedBoxInCOrder) {
  const auto stored = coded_view<double, 3>("u", 6, 5, 4);
  const std::string path = mine("u.h5");
  {
    auto file = File::create(path);
    write(file, "u", stored);
    file.commit();
  }
  const auto file = File::open(path);
  // Axis 0: 1, 2, 3; axis 1: 0, 2, 4; axis 2: 3.
  const Hyperslab box{{1, 0, 3}, {3, 3, 1}, {1, 2, 1}};
  std::vector<double> values(9, -1.0);
  read_hyperslab(file, "u", box, values.data());
  std::vector<float> narrow(9, -1.0f);
  read_hyperslab(file, "u", box, narrow.data());
  std::size_t k = 0;
  for (int i = 1; i <= 3; ++i) {
    for (int j = 0; j <= 4; j += 2, ++k) {
      EXPECT_EQ(values[k], stored(i, j, 3)) << i << ", " << j;
      EXPECT_EQ(narrow[k], static_cast<float>(stored(i, j, 3))) << i << ", " << j;
    }
  }
  // An empty stride is 1 everywhere.
  std::vector<double> run(2 * 5 * 4);
  read_hyperslab(file, "u", Hyperslab{{4, 0, 0}, {2, 5, 4}, {}}, run.data());
  EXPECT_EQ(run.front(), stored(4, 0, 0));
  EXPECT_EQ(run.back(), stored(5, 4, 3));
}

TEST_F(HyperslabTest, RefusesBoxesOutsideTheDatasetAndSharedFiles) {
  const std::string path = shared("u.h5");
  {
    auto file = File::create(path, world);
    write(file, "u", coded_view<double, 2>("u", 6, 5));
    file.commit();
  }
  const auto file = File::open(path);
  std::vector<double> values(10);
  EXPECT_NE(error_of([&] {
              read_hyperslab(file, "u", Hyperslab{{0, 0}, {2, 3}, {1, 3}}, values.data());
            }).find("does not lie inside dataset 'u' (6, 5)"),
            std::string::npos);
  EXPECT_NE(error_of([&] {
              read_hyperslab(file, "u", Hyperslab{{0}, {2}, {}}, values.data());
            }).find("has rank 2"),
            std::string::npos);
  std::vector<std::int64_t> integers(10);
  EXPECT_NE(error_of([&] {
              read_hyperslab(file, "u", Hyperslab{{0, 0}, {2, 5}, {}}, integers.data());
            }).find("do not read as int64"),
            std::string::npos);
  if (ranks > 1) {
    const auto together = File::open(path, world);
    EXPECT_NE(error_of([&] {
                read_hyperslab(together, "u", Hyperslab{{0, 0}, {1, 1}, {}}, values.data());
              }).find("shared by several ranks"),
              std::string::npos);
  }
}

}  // namespace
}  // namespace torus::io
