#include "torus/nn/batch_sampler.hpp"

#include <algorithm>
#include <numeric>
#include <string>
#include <utility>

#include "torus/core/error.hpp"
#include "torus/core/random.hpp"

namespace torus::nn {

namespace {

/// The stream of epoch e's shuffle is kShuffleStream ^ e of the user's seed, away from the
/// streams rank_stream() hands out.
constexpr std::uint64_t kShuffleStream = 0x5348554646000000ULL;

constexpr const char* kWho = "nn::BatchSampler";

}  // namespace

BatchSampler::BatchSampler(BatchSamplerOptions options) : options_(options) {
  const auto N = options_.samples;
  const auto G = options_.global_batch;
  const auto R = options_.ranks;
  TORUS_REQUIRE(N > 0, "a data set of " + std::to_string(N) + " samples", kWho,
                "give a data set with samples");
  TORUS_REQUIRE(G >= 1, "global batch size " + std::to_string(G), kWho,
                "give a global batch of at least 1 sample");
  TORUS_REQUIRE(R >= 1 && options_.rank >= 0 && options_.rank < R,
                "rank " + std::to_string(options_.rank) + " of " + std::to_string(R) + " ranks",
                kWho, "give 0 <= rank < ranks");
  TORUS_REQUIRE(R <= G,
                "a global batch of " + std::to_string(G) + " samples cannot be split over " +
                    std::to_string(R) + " ranks (some rank would get none)",
                kWho, "use a global batch of at least one sample per rank, or fewer ranks");
  batches_ = options_.drop_last ? N / G : (N + G - 1) / G;
  TORUS_REQUIRE(batches_ > 0,
                "the global batch of " + std::to_string(G) + " samples is larger than the " +
                    std::to_string(N) +
                    " samples of the data set, and the last partial batch "
                    "is dropped, so an epoch has no batch",
                kWho,
                "use a global batch of at most " + std::to_string(N) +
                    ", or keep the last "
                    "batch (drop_last = false)");
}

std::vector<std::int64_t> BatchSampler::permutation(std::int64_t epoch) const {
  std::vector<std::int64_t> order(static_cast<std::size_t>(options_.samples));
  std::iota(order.begin(), order.end(), std::int64_t{0});
  if (!options_.shuffle) return order;
  // Fisher-Yates: for i = N-1, ..., 1 swap order[i] with order[j], j uniform in [0, i].
  RandomStream stream(RandomKey{options_.seed, kShuffleStream ^ static_cast<std::uint64_t>(epoch)});
  for (std::size_t i = order.size() - 1; i > 0; --i) {
    const auto j = static_cast<std::size_t>(stream.below(i + 1));
    std::swap(order[i], order[j]);
  }
  return order;
}

std::int64_t BatchSampler::global_batch_size(std::int64_t batch) const {
  const auto G = options_.global_batch;
  return std::min(G, options_.samples - batch * G);
}

std::int64_t BatchSampler::local_batch_size(std::int64_t global) const {
  const std::int64_t R = options_.ranks;
  return global / R + (options_.rank < global % R ? 1 : 0);
}

std::vector<std::int64_t> BatchSampler::global_batch(std::int64_t epoch, std::int64_t batch) const {
  TORUS_REQUIRE(
      batch >= 0 && batch < batches_,
      "batch " + std::to_string(batch) + " of an epoch of " + std::to_string(batches_) + " batches",
      kWho, "give a batch index in [0, batches_per_epoch())");
  const auto order = permutation(epoch);
  const auto first = order.begin() + batch * options_.global_batch;
  return std::vector<std::int64_t>(first, first + global_batch_size(batch));
}

namespace {

/// Rank r's slice [start, start + count) of a global batch of g samples over R ranks: the
/// first g mod R ranks take floor(g / R) + 1.
std::pair<std::int64_t, std::int64_t> slice_of(std::int64_t g, int r, int R) {
  const std::int64_t base = g / R;
  const std::int64_t extra = g % R;
  const std::int64_t start = r * base + std::min<std::int64_t>(r, extra);
  return {start, base + (r < extra ? 1 : 0)};
}

}  // namespace

std::vector<std::int64_t> BatchSampler::local_batch(std::int64_t epoch, std::int64_t batch) const {
  const auto global = global_batch(epoch, batch);
  const auto [start, count] =
      slice_of(static_cast<std::int64_t>(global.size()), options_.rank, options_.ranks);
  return std::vector<std::int64_t>(global.begin() + start, global.begin() + start + count);
}

const std::vector<std::int64_t>& BatchSampler::cached_permutation(std::int64_t epoch) {
  if (cached_epoch_ != epoch) {
    cached_ = permutation(epoch);
    cached_epoch_ = epoch;
  }
  return cached_;
}

bool BatchSampler::next(std::vector<std::int64_t>& indices) {
  indices.clear();
  if (position_.batch >= batches_) {
    position_ = {position_.epoch + 1, 0};
    return false;
  }
  const auto& order = cached_permutation(position_.epoch);
  const std::int64_t g = global_batch_size(position_.batch);
  const auto [start, count] = slice_of(g, options_.rank, options_.ranks);
  const auto first = order.begin() + position_.batch * options_.global_batch + start;
  indices.assign(first, first + count);
  ++position_.batch;
  return true;
}

void BatchSampler::seek(BatchPosition position) {
  TORUS_REQUIRE(position.epoch >= 0 && position.batch >= 0 && position.batch <= batches_,
                "position (epoch " + std::to_string(position.epoch) + ", batch " +
                    std::to_string(position.batch) + ") is outside an epoch of " +
                    std::to_string(batches_) + " batches",
                kWho,
                "seek to a position() saved by a sampler of the same samples, global batch and "
                "drop_last");
  position_ = position;
}

}  // namespace torus::nn
