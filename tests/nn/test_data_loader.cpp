// The data loader: batch sampling (the ranks' slices make up the 1-rank batch, permutations per
// epoch, resuming), reading chosen samples and time indices from an HDF5 file whose values
// encode their own indices, float64 read as float, and the errors (NaN, rank, missing).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <set>
#include <vector>

#include "io/io_support.hpp"
#include "torus/io/hdf5_file.hpp"
#include "torus/io/views.hpp"
#include "torus/nn/batch_sampler.hpp"
#include "torus/nn/data_loader.hpp"
#include "torus/nn/sample_reader.hpp"

namespace torus::nn {
namespace {

using io::testing::error_of;
using io::testing::HostView;
using Indices = std::vector<std::int64_t>;

// ---------------------------------------------------------------------------------------------
// BatchSampler

BatchSamplerOptions sampler_options(std::int64_t N, std::int64_t G, bool drop_last, int rank = 0,
                                    int ranks = 1, std::uint64_t seed = 7) {
  BatchSamplerOptions o;
  o.samples = N;
  o.global_batch = G;
  o.drop_last = drop_last;
  o.rank = rank;
  o.ranks = ranks;
  o.seed = seed;
  return o;
}

TEST(BatchSampler, TheRanksSlicesMakeUpTheOneRankBatch) {
  for (const bool drop_last : {true, false}) {
    for (const int R : {2, 3}) {
      const BatchSampler one(sampler_options(23, 5, drop_last));
      EXPECT_EQ(one.batches_per_epoch(), drop_last ? 4 : 5);
      for (std::int64_t epoch = 0; epoch < 2; ++epoch) {
        for (std::int64_t b = 0; b < one.batches_per_epoch(); ++b) {
          const Indices global = one.local_batch(epoch, b);  // one rank: the whole batch
          EXPECT_EQ(global.size(), (b < 4 ? 5u : 3u));
          Indices joined;
          std::size_t smallest = global.size(), largest = 0;
          for (int r = 0; r < R; ++r) {
            const BatchSampler part(sampler_options(23, 5, drop_last, r, R));
            const Indices mine = part.local_batch(epoch, b);
            EXPECT_EQ(static_cast<std::int64_t>(mine.size()),
                      part.local_batch_size(part.global_batch_size(b)));
            smallest = std::min(smallest, mine.size());
            largest = std::max(largest, mine.size());
            joined.insert(joined.end(), mine.begin(), mine.end());
          }
          EXPECT_EQ(joined, global) << "epoch " << epoch << " batch " << b << " ranks " << R;
          EXPECT_LE(largest - smallest, 1u);
        }
      }
    }
  }
}

TEST(BatchSampler, PermutationsAreReproducibleAndDifferBetweenEpochs) {
  const BatchSampler a(sampler_options(50, 10, true));
  const BatchSampler b(sampler_options(50, 10, true));
  const BatchSampler other_seed(sampler_options(50, 10, true, 0, 1, 8));
  Indices identity(50);
  std::iota(identity.begin(), identity.end(), 0);
  for (std::int64_t epoch = 0; epoch < 3; ++epoch) {
    const Indices p = a.permutation(epoch);
    EXPECT_EQ(p, b.permutation(epoch));
    EXPECT_NE(p, other_seed.permutation(epoch));
    EXPECT_NE(p, identity);
    Indices sorted = p;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(sorted, identity) << "not a permutation";
  }
  EXPECT_NE(a.permutation(0), a.permutation(1));
  EXPECT_NE(a.permutation(1), a.permutation(2));

  auto in_order = sampler_options(50, 10, true);
  in_order.shuffle = false;
  EXPECT_EQ(BatchSampler(in_order).permutation(4), identity);
}

TEST(BatchSampler, ResumingContinuesTheSameSequence) {
  for (const int R : {1, 2}) {
    for (int r = 0; r < R; ++r) {
      BatchSampler run(sampler_options(17, 4, false, r, R));  // 5 batches, the last of 1
      std::vector<std::pair<BatchPosition, Indices>> seen;
      Indices batch;
      for (std::int64_t epoch = 0; epoch < 3; ++epoch) {
        int batches = 0;
        for (BatchPosition at = run.position(); run.next(batch); at = run.position()) {
          EXPECT_EQ(at.epoch, epoch);
          seen.emplace_back(at, batch);
          ++batches;
        }
        EXPECT_TRUE(batch.empty());
        EXPECT_EQ(batches, 5);
        EXPECT_EQ(run.position(), (BatchPosition{epoch + 1, 0}));
      }
      // From every saved position, a new sampler gives what the first one gave next.
      for (std::size_t k = 0; k < seen.size(); ++k) {
        BatchSampler resumed(sampler_options(17, 4, false, r, R));
        resumed.seek(seen[k].first);
        for (std::size_t j = k; j < std::min(seen.size(), k + 6); ++j) {
          if (!resumed.next(batch)) ASSERT_TRUE(resumed.next(batch));  // crossed an epoch
          EXPECT_EQ(batch, seen[j].second) << "resumed at " << k << ", batch " << j;
        }
      }
      // The end of an epoch, as saved after its last batch, is a valid position too.
      BatchSampler at_end(sampler_options(17, 4, false, r, R));
      at_end.seek({1, 5});
      EXPECT_FALSE(at_end.next(batch));
      ASSERT_TRUE(at_end.next(batch));
      EXPECT_EQ(batch, seen[10].second);  // batch 0 of epoch 2
    }
  }
}

TEST(BatchSampler, BadOptionsAndPositionsAreRefused) {
  EXPECT_NE(error_of([] {
              BatchSampler(sampler_options(10, 2, true, 0, 3));
            }).find("cannot be split over 3 ranks"),
            std::string::npos);
  EXPECT_NE(error_of([] { BatchSampler(sampler_options(5, 8, true)); }).find("no batch"),
            std::string::npos);
  EXPECT_NO_THROW(BatchSampler(sampler_options(5, 8, false)));
  EXPECT_NE(error_of([] { BatchSampler(sampler_options(0, 1, true)); }).find("0 samples"),
            std::string::npos);
  EXPECT_NE(error_of([] { BatchSampler(sampler_options(10, 2, true, 2, 2)); }).find("rank 2 of 2"),
            std::string::npos);
  BatchSampler sampler(sampler_options(10, 3, true));
  EXPECT_NE(error_of([&] {
              sampler.seek({0, 4});
            }).find("outside an epoch of 3 batches"),
            std::string::npos);
  EXPECT_NE(error_of([&] { sampler.local_batch(0, 3); }).find("batch 3"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// SampleReader and DataLoader

/// The value at (sample s, time t, x, y): its indices in decimal, plus 0.1 so that float32
/// rounds it (the conversion is checked against static_cast<float>).
double code(std::int64_t s, std::int64_t t, std::int64_t x, std::int64_t y) {
  return 1000.0 * s + 100.0 * t + 10.0 * x + y + 0.1;
}

constexpr int kN = 9, kT = 5, kX = 3, kY = 2;

/// Writes `vorticity` (kN, kT, kX, kY) float64 of code() values, with `poison` (s, t, x, y,
/// value) entries overwritten, plus a rank-3 dataset `field` and an int64 dataset `labels`.
std::string write_data_set(const std::string& path,
                           const std::vector<std::pair<std::array<int, 4>, double>>& poison = {}) {
  HostView<double, 4> w("w", kN, kT, kX, kY);
  for (int s = 0; s < kN; ++s)
    for (int t = 0; t < kT; ++t)
      for (int x = 0; x < kX; ++x)
        for (int y = 0; y < kY; ++y) w(s, t, x, y) = code(s, t, x, y);
  for (const auto& [at, value] : poison) w(at[0], at[1], at[2], at[3]) = value;
  auto file = io::File::create(path);
  io::write(file, "vorticity", w);
  io::write(file, "field", HostView<double, 3>("f", 4, kX, kY));
  io::write(file, "labels", HostView<std::int64_t, 2>("l", 4, 2));
  io::write(file, "empty", HostView<double, 2>("e", 0, 3));
  file.commit();
  return path;
}

template <class T>
class ReaderTest : public io::testing::ScratchTest {};
using Scalars = ::testing::Types<float, double>;
TYPED_TEST_SUITE(ReaderTest, Scalars);

/// Checks that `batch` holds samples `indices` at times `times`, every value its code().
template <class T>
void expect_samples(const Tensor<T>& batch, const Indices& indices, const Indices& times) {
  ASSERT_EQ(batch.shape(), (Shape{static_cast<std::int64_t>(indices.size()),
                                  static_cast<std::int64_t>(times.size()), kX, kY}));
  const auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), batch.values());
  std::size_t i = 0, wrong = 0;
  for (const auto s : indices)
    for (const auto t : times)
      for (int x = 0; x < kX; ++x)
        for (int y = 0; y < kY; ++y) wrong += host(i++) == static_cast<T>(code(s, t, x, y)) ? 0 : 1;
  EXPECT_EQ(wrong, 0u);
}

TYPED_TEST(ReaderTest, ReadsTheChosenSamplesAndTimes) {
  using T = TypeParam;
  const std::string path = write_data_set(this->mine("ns.h5"));
  for (const bool in_memory : {false, true}) {
    SampleReaderOptions options;
    options.rank = 4;
    options.in_memory = in_memory;
    SampleReader<T> all(path, options);
    EXPECT_EQ(all.samples(), kN);
    EXPECT_EQ(all.sample_shape(), (Shape{kT, kX, kY}));
    // Runs (2, 3, 4), a repeat, a lone index, out of order.
    const Indices indices = {5, 2, 3, 4, 8, 2, 0};
    expect_samples(all.read(indices), indices, {0, 1, 2, 3, 4});

    options.time_start = 1;
    options.time_stride = 2;  // times 1, 3
    SampleReader<T> odd(path, options);
    EXPECT_EQ(odd.times(), (Indices{1, 3}));
    Tensor<T> batch;
    odd.read(indices, batch);
    expect_samples(batch, indices, {1, 3});
    const T* storage = batch.data();
    odd.read({7, 6, 1, 4, 5, 0, 3}, batch);  // same shape: the storage is reused
    EXPECT_EQ(batch.data(), storage);
    expect_samples(batch, {7, 6, 1, 4, 5, 0, 3}, {1, 3});

    options.time_start = 2;
    options.time_stride = 1;
    options.time_count = 2;  // times 2, 3
    expect_samples(SampleReader<T>(path, options).read({6}), {6}, {2, 3});
  }
}

TYPED_TEST(ReaderTest, NonFiniteValuesAreReportedWithTheSampleIndex) {
  using T = TypeParam;
  const std::string path = write_data_set(
      this->mine("bad.h5"),
      {{{4, 2, 1, 0}, std::nan("")}, {{6, 0, 0, 1}, std::numeric_limits<double>::infinity()}});
  SampleReader<T> reader(path);
  EXPECT_NO_THROW(reader.read({0, 1, 2, 3, 5}));
  std::string message = error_of([&] { reader.read({1, 2, 3, 4}); });
  EXPECT_NE(message.find("sample 4 holds a NaN at index [4, 2, 1, 0]"), std::string::npos)
      << message;
  EXPECT_NE(message.find("dataset 'vorticity'"), std::string::npos) << message;
  EXPECT_NE(message.find(path), std::string::npos) << message;
  message = error_of([&] { reader.read({6}); });
  EXPECT_NE(message.find("sample 6 holds an infinite value"), std::string::npos) << message;

  // Times that skip the bad entry read fine; in memory the whole selection is checked at once.
  SampleReaderOptions options;
  options.time_count = 2;  // times 0, 1: no NaN, but the infinity at time 0 of sample 6
  EXPECT_NO_THROW(SampleReader<T>(path, options).read({4}));
  options.in_memory = true;
  message = error_of([&] { SampleReader<T>(path, options); });
  EXPECT_NE(message.find("sample 6 holds an infinite value at index [6, 0, 0, 1]"),
            std::string::npos)
      << message;
}

TYPED_TEST(ReaderTest, BadFilesDatasetsAndSelectionsAreRefused) {
  using T = TypeParam;
  const std::string path = write_data_set(this->mine("ns.h5"));
  auto fails = [&](SampleReaderOptions options, const std::string& expected,
                   const std::string& file = "") {
    const std::string message =
        error_of([&] { SampleReader<T>(file.empty() ? path : file, options); });
    EXPECT_NE(message.find(expected), std::string::npos) << "expected: " << expected << "\n"
                                                         << message;
  };
  SampleReaderOptions options;
  fails(options, "file does not exist", this->mine("absent.h5"));
  options.dataset = "pressure";
  fails(options, "no dataset 'pressure'");
  options.dataset = "field";
  options.rank = 4;
  fails(options, "has rank 3, shape (4, 3, 2), but rank 4 is expected");
  options.dataset = "empty";
  options.rank = 0;
  fails(options, "holds no samples");
  options.dataset = "labels";
  fails(options, "do not read as");
  options.dataset = "vorticity";
  options.time_start = 5;
  fails(options, "lies outside axis 1, of 5 entries");
  options.time_start = 0;
  options.time_count = 3;
  options.time_stride = 3;  // times 0, 3, 6 of 5
  fails(options, "lies outside axis 1");
  options.time_stride = 2;  // times 0, 2, 4: fine
  EXPECT_EQ(SampleReader<T>(path, options).times(), (Indices{0, 2, 4}));
  const SampleReader<T> reader(path);
  EXPECT_NE(error_of([&] {
              reader.read({3, 9});
            }).find("sample index 9 is outside [0, 9)"),
            std::string::npos);
}

TYPED_TEST(ReaderTest, TheLoaderGivesEachRankItsSliceOfEveryGlobalBatch) {
  using T = TypeParam;
  const std::string path = write_data_set(this->mine("ns.h5"));
  DataLoaderOptions options;
  options.global_batch = 4;  // 2 full batches of 9 samples, the last one dropped
  options.seed = 3;
  options.reader.time_start = 1;
  DataLoader<T> loader(path, options, this->world);
  EXPECT_EQ(loader.batches_per_epoch(), 2);
  EXPECT_EQ(loader.global_batch_size(), 4);
  EXPECT_EQ(loader.local_batch_size(), 4 / this->ranks);
  EXPECT_EQ(loader.sample_shape(), (Shape{kT - 1, kX, kY}));

  BatchSamplerOptions expected = sampler_options(kN, 4, true, this->rank, this->ranks, 3);
  const BatchSampler reference(expected);
  Tensor<T> batch;
  Indices indices;
  for (std::int64_t epoch = 0; epoch < 2; ++epoch) {
    for (std::int64_t b = 0; b < 2; ++b) {
      EXPECT_EQ(loader.position(), (BatchPosition{epoch, b}));
      ASSERT_TRUE(loader.next(batch, &indices));
      EXPECT_EQ(indices, reference.local_batch(epoch, b));
      expect_samples(batch, indices, {1, 2, 3, 4});
    }
    EXPECT_FALSE(loader.next(batch, &indices));
    EXPECT_EQ(loader.epoch(), epoch + 1);
  }
  loader.seek({0, 1});
  ASSERT_TRUE(loader.next(batch, &indices));
  EXPECT_EQ(indices, reference.local_batch(0, 1));
}

}  // namespace
}  // namespace torus::nn
