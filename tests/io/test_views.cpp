// io::write / io::read of Views of every element type and rank 1..5, other layouts, slabs
// written collectively and read back whole and per rank, and the errors of a wrong read.
#include <gtest/gtest.h>

#include <array>

#include "io/io_support.hpp"
#include "torus/core/error.hpp"
#include "torus/io/hdf5_file.hpp"
#include "torus/io/views.hpp"

namespace torus::io {
namespace {

using testing::coded_view;
using testing::HostView;
using testing::mismatches;
using testing::ScratchTest;

// Extents of the rank-R test arrays: the first R of these (all below 10, see code_of).
constexpr std::array<int, 5> kExtents = {3, 4, 2, 5, 3};

template <class T, int R>
HostView<T, R> test_array(const std::string& label) {
  if constexpr (R == 1) return coded_view<T, 1>(label, kExtents[0]);
  if constexpr (R == 2) return coded_view<T, 2>(label, kExtents[0], kExtents[1]);
  if constexpr (R == 3) return coded_view<T, 3>(label, kExtents[0], kExtents[1], kExtents[2]);
  if constexpr (R == 4) {
    return coded_view<T, 4>(label, kExtents[0], kExtents[1], kExtents[2], kExtents[3]);
  }
  if constexpr (R == 5) {
    return coded_view<T, 5>(label, kExtents[0], kExtents[1], kExtents[2], kExtents[3], kExtents[4]);
  }
}

template <class T>
class ViewRoundTrip : public ScratchTest {};

using ElementTypes = ::testing::Types<float, double, std::int32_t, std::int64_t,
                                      Kokkos::complex<float>, Kokkos::complex<double>>;
TYPED_TEST_SUITE(ViewRoundTrip, ElementTypes);

template <class T, int R>
void write_rank(File& file) {
  write(file, "rank" + std::to_string(R), test_array<T, R>("x"));
}

template <class T, int R>
void expect_rank(const File& file) {
  const auto expected = test_array<T, R>("expected");
  const auto back = read<HostView<T, R>>(file, "rank" + std::to_string(R));
  EXPECT_EQ(mismatches(back, expected), 0u) << "rank " << R;
}

TYPED_TEST(ViewRoundTrip, EveryRankSerially) {
  using T = TypeParam;
  const std::string path = this->mine("types.h5");
  {
    auto file = File::create(path);
    write_rank<T, 1>(file);
    write_rank<T, 2>(file);
    write_rank<T, 3>(file);
    write_rank<T, 4>(file);
    write_rank<T, 5>(file);
    file.commit();
  }
  auto file = File::open(path);
  EXPECT_EQ(dataset_extents(file, "rank4"), (std::vector<std::int64_t>{3, 4, 2, 5}));
  expect_rank<T, 1>(file);
  expect_rank<T, 2>(file);
  expect_rank<T, 3>(file);
  expect_rank<T, 4>(file);
  expect_rank<T, 5>(file);
}

using ViewTest = ScratchTest;

TEST_F(ViewTest, IndicesNotMemoryOrderAreStored) {
  // The same logical array as LayoutLeft, as a strided subview and as a const View: the file
  // holds view(i, j) at [i, j] whatever the memory order.
  const auto right = coded_view<double, 2>("right", 3, 4);
  HostView<double, 2, Kokkos::LayoutLeft> left("left", 3, 4);
  Kokkos::deep_copy(left, right);
  const auto wide = coded_view<double, 3>("wide", 3, 4, 2);
  const auto strided = Kokkos::subview(wide, Kokkos::ALL, Kokkos::ALL, 1);
  Kokkos::View<const double**, Kokkos::LayoutRight, Kokkos::HostSpace> constant = right;

  const std::string path = mine("layouts.h5");
  {
    auto file = File::create(path);
    write(file, "left", left);
    write(file, "strided", strided);
    write(file, "const", constant);
    file.commit();
  }
  auto file = File::open(path);
  EXPECT_EQ(mismatches(read<HostView<double, 2>>(file, "left"), right), 0u);
  EXPECT_EQ(mismatches(read<HostView<double, 2>>(file, "const"), right), 0u);
  const auto back = read<HostView<double, 2>>(file, "strided");
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 4; ++j) EXPECT_EQ(back(i, j), wide(i, j, 1));
  }

  // Read into LayoutLeft: same logical values.
  const auto left_back = read<HostView<double, 2, Kokkos::LayoutLeft>>(file, "left");
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 4; ++j) EXPECT_EQ(left_back(i, j), right(i, j));
  }
}

TEST_F(ViewTest, ConvertsWithinAKindOfValue) {
  const std::string path = mine("convert.h5");
  {
    auto file = File::create(path);
    write(file, "f32", coded_view<float, 1>("f32", 6));
    write(file, "i32", coded_view<std::int32_t, 1>("i32", 6));
    write(file, "c64", coded_view<Kokkos::complex<float>, 1>("c64", 6));
    write(file, "empty", HostView<double, 2>("empty", 0, 3));
    file.commit();
  }
  auto file = File::open(path);
  const auto f = read<HostView<double, 1>>(file, "f32");
  const auto i = read<HostView<std::int64_t, 1>>(file, "i32");
  const auto c = read<HostView<Kokkos::complex<double>, 1>>(file, "c64");
  for (int k = 0; k < 6; ++k) {
    EXPECT_EQ(f(k), testing::value_for<double>(k));
    EXPECT_EQ(i(k), testing::value_for<std::int32_t>(k));
    EXPECT_EQ(c(k), testing::value_for<Kokkos::complex<double>>(k));
  }
  const auto empty = read<HostView<double, 2>>(file, "empty");
  EXPECT_EQ(empty.extent(0), 0u);
  EXPECT_EQ(empty.extent(1), 3u);
}

TEST_F(ViewTest, WrongReadsAreExplained) {
  const std::string path = mine("wrong.h5");
  {
    auto file = File::create(path);
    write(file, "ints", coded_view<std::int64_t, 2>("ints", 2, 3));
    write(file, "reals", coded_view<double, 2>("reals", 2, 3));
    write(file, "waves", coded_view<Kokkos::complex<double>, 1>("waves", 4));
    EXPECT_THROW(write(file, "ints", coded_view<double, 1>("again", 2)), Error);
    EXPECT_THROW(write(file, "ints/below", coded_view<double, 1>("below", 2)), Error);
    EXPECT_THROW(write(file, "", coded_view<double, 1>("nameless", 2)), Error);
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

  std::string message = message_of([&] { read<HostView<double, 2>>(file, "missing"); });
  EXPECT_NE(message.find("no dataset 'missing'"), std::string::npos) << message;
  EXPECT_NE(message.find("ints, reals, waves"), std::string::npos) << message;
  EXPECT_NE(message.find(path), std::string::npos) << message;

  message = message_of([&] { read<HostView<double, 2>>(file, "ints"); });
  EXPECT_NE(message.find("64-bit signed integers"), std::string::npos) << message;
  message = message_of([&] { read<HostView<std::int32_t, 2>>(file, "ints"); });
  EXPECT_NE(message.find("do not read as int32"), std::string::npos) << message;
  message = message_of([&] { read<HostView<std::int64_t, 2>>(file, "reals"); });
  EXPECT_NE(message.find("64-bit floats"), std::string::npos) << message;
  message = message_of([&] { read<HostView<double, 1>>(file, "waves"); });
  EXPECT_NE(message.find("a compound of (r, i)"), std::string::npos) << message;
  message = message_of([&] { read<HostView<Kokkos::complex<double>, 2>>(file, "reals"); });
  EXPECT_NE(message.find("do not read as complex<double>"), std::string::npos) << message;
  message = message_of([&] { read<HostView<double, 3>>(file, "reals"); });
  EXPECT_NE(message.find("has rank 2, extents (2, 3), but the View has rank 3"), std::string::npos)
      << message;
  message = message_of([&] { read_slab<HostView<double, 2>>(file, "reals", Slab{1, 2, 2}); });
  EXPECT_NE(message.find("lies outside axis 1"), std::string::npos) << message;
  EXPECT_THROW(dataset_extents(file, "missing"), Error);
}

// ---- slabs over the ranks -------------------------------------------------------------------

// A (batch, channel, x, y) field of nx = 3 * ranks + 1 split unevenly along x: rank 0 holds 4
// planes, the others 3.
struct Split {
  Slab slab;
  int nx = 0;
};

Split uneven_split(int rank, int ranks) {
  Split split;
  split.nx = 3 * ranks + 1;
  split.slab.axis = 2;
  split.slab.count = rank == 0 ? 4 : 3;
  split.slab.offset = rank == 0 ? 0 : 1 + 3 * rank;
  return split;
}

template <class T>
class SlabRoundTrip : public ScratchTest {};

using SlabTypes = ::testing::Types<float, double, std::int64_t, Kokkos::complex<double>>;
TYPED_TEST_SUITE(SlabRoundTrip, SlabTypes);

TYPED_TEST(SlabRoundTrip, EachRankWritesItsSlab) {
  using T = TypeParam;
  const Split split = uneven_split(this->rank, this->ranks);
  const auto global = coded_view<T, 4>("global", 2, 3, split.nx, 5);
  const auto local = testing::slab_of(global, split.slab);
  const std::string path = this->shared("slabs.h5");
  {
    auto file = File::create(path, this->world);
    write_slab(file, "w", local, split.slab);
    write(file, "replicated", global);  // every rank holds it, rank 0 writes it
    file.commit();
  }

  // Rank 0 reads the file alone and sees the global array.
  if (this->rank == 0) {
    auto file = File::open(path);
    EXPECT_EQ(mismatches(read<HostView<T, 4>>(file, "w"), global), 0u);
    EXPECT_EQ(mismatches(read<HostView<T, 4>>(file, "replicated"), global), 0u);
  }

  // All ranks read together: whole arrays and their own slabs.
  auto file = File::open(path, this->world);
  EXPECT_EQ(mismatches(read<HostView<T, 4>>(file, "w"), global), 0u);
  EXPECT_EQ(mismatches(read_slab<HostView<T, 4>>(file, "w", split.slab), local), 0u);
  EXPECT_EQ(mismatches(read_slab<HostView<T, 4>>(file, "replicated", split.slab), local), 0u);
}

TEST_F(ViewTest, RankWithEmptySlabTakesPart) {
  // The last rank holds nothing; the others hold two planes each.
  const bool empty = rank == ranks - 1 && ranks > 1;
  const int nx = 2 * (ranks > 1 ? ranks - 1 : 1);
  const Slab slab{2, empty ? nx : 2 * rank, empty ? 0 : 2};
  const auto global = coded_view<float, 4>("global", 1, 2, nx, 3);
  const auto local = testing::slab_of(global, slab);
  const std::string path = shared("empty-slab.h5");
  {
    auto file = File::create(path, world);
    write_slab(file, "w", local, slab);
    file.commit();
  }
  auto file = File::open(path, world);
  EXPECT_EQ(mismatches(read<HostView<float, 4>>(file, "w"), global), 0u);
  const auto back = read_slab<HostView<float, 4>>(file, "w", slab);
  EXPECT_EQ(back.extent(2), static_cast<std::size_t>(slab.count));
  EXPECT_EQ(mismatches(back, local), 0u);
}

TEST_F(ViewTest, BadSlabsFailOnEveryRank) {
  const Split split = uneven_split(rank, ranks);
  const auto global = coded_view<double, 4>("global", 1, 1, split.nx, 2);
  const auto local = testing::slab_of(global, split.slab);
  auto file = File::create(shared("bad.h5"), world);

  Slab gap = split.slab;
  gap.offset += 1;  // nothing starts at 0
  EXPECT_THROW(write_slab(file, "gap", local, gap), Error);

  Slab wrong_count = split.slab;
  if (rank == 0) wrong_count.count += 1;  // one rank lies about its extent
  try {
    write_slab(file, "count", local, wrong_count);
    ADD_FAILURE() << "a wrong count on rank 0 went through";
  } catch (const Error& e) {
    const std::string expected =
        rank == 0 ? "does not describe the View written to 'count'" : "the slab given on rank 0";
    EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
  }

  Slab wrong_axis = split.slab;
  wrong_axis.axis = 4;
  EXPECT_THROW(write_slab(file, "axis", local, wrong_axis), Error);

  if (ranks > 1) {
    // Different extents off the split axis on one rank.
    const auto other =
        rank == 1 ? testing::slab_of(coded_view<double, 4>("g", 1, 2, split.nx, 2), split.slab)
                  : local;
    EXPECT_THROW(write_slab(file, "shape", other, split.slab), Error);
    EXPECT_THROW(write(file, "replicated", other), Error);
  }

  write_slab(file, "good", local, split.slab);
  EXPECT_EQ(file.datasets(), (std::vector<std::string>{"good"}));
}

}  // namespace
}  // namespace torus::io
