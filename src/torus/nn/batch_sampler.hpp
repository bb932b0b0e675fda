#pragma once
/// \file
/// torus::nn::BatchSampler: which samples each rank trains on, batch by batch, reproducibly.
///
/// **Global batches, local slices.** Every epoch e the N samples are shuffled by a permutation
/// drawn from (seed, e) with the counter-based generator (core/random.hpp), so every rank
/// computes the same permutation without communicating. The permutation is cut into global
/// batches of G consecutive entries (a last, partial batch is dropped or kept, by option), and
/// rank r of R takes the contiguous slice [r g / R ...] of each global batch of size g: the
/// first g mod R ranks take floor(g / R) + 1 samples, the others floor(g / R), so the slices of
/// the ranks are disjoint, sizes differ by at most one, and together they are the global batch.
///
/// **Why N ranks train like one.** "Each rank gets its own shard" and "N ranks with the same
/// global batch give the same parameters as 1 rank" fit together because the shard is a slice
/// of the same global batch, not a fixed part of the data set: one rank with global batch G
/// sees exactly the samples that R ranks see together in the same step. When each rank's loss
/// is the sum over its local samples divided by G (the global batch size, not the local one)
/// and the gradients are summed over the ranks (MPI_Allreduce), the summed gradient is the
/// 1-rank gradient of the mean loss over the global batch, and the optimiser steps agree up to
/// the order of floating-point summation.
///
/// **Resuming.** The position is (epoch, batch index within the epoch); with the seed it fixes
/// everything that follows, so a checkpoint stores position() and a resumed run seek()s to it
/// and continues the same sequence, on any number of ranks.
///
/// \code
/// nn::BatchSamplerOptions options;
/// options.samples = 1000;
/// options.global_batch = 20;
/// options.seed = 7;
/// options.rank = rank;
/// options.ranks = ranks;
/// nn::BatchSampler sampler(options);
/// std::vector<std::int64_t> mine;
/// while (sampler.next(mine)) { /* train on samples `mine` */ }  // one epoch
/// \endcode

#include <cstdint>
#include <vector>

namespace torus::nn {

/// Options of a BatchSampler; see the file comment.
struct BatchSamplerOptions {
  /// N, the number of samples in the data set.
  std::int64_t samples = 0;
  /// G, the number of samples per optimiser step over all ranks.
  std::int64_t global_batch = 1;
  /// Seeds the per-epoch permutations; the same on every rank.
  std::uint64_t seed = 0;
  /// Drop the last global batch of an epoch when it has fewer than G samples.
  bool drop_last = true;
  /// Shuffle; without it every epoch visits the samples in order 0, 1, ..., N - 1.
  bool shuffle = true;
  /// This rank and the number of ranks the global batches are split over.
  int rank = 0;
  int ranks = 1;
};

/// Where a sampler is: the next batch it gives is batch `batch` of epoch `epoch`.
struct BatchPosition {
  std::int64_t epoch = 0;
  std::int64_t batch = 0;
  bool operator==(const BatchPosition& other) const {
    return epoch == other.epoch && batch == other.batch;
  }
};

/// Deals each epoch's shuffled samples out as global batches split over the ranks; see the
/// file comment.
class BatchSampler {
 public:
  /// Throws torus::Error when there are no samples, G < 1, R < 1, the rank is not in [0, R),
  /// R > G (some rank would get no samples), or G > N with drop_last (an epoch has no batch).
  explicit BatchSampler(BatchSamplerOptions options);

  /// The permutation of [0, N) of epoch `epoch`: the same for the same (seed, epoch).
  std::vector<std::int64_t> permutation(std::int64_t epoch) const;

  /// Global batches per epoch: floor(N / G) with drop_last, ceil(N / G) otherwise.
  std::int64_t batches_per_epoch() const { return batches_; }
  /// G.
  std::int64_t global_batch_size() const { return options_.global_batch; }
  /// The number of samples of global batch `batch` (G, or less for a kept last batch).
  std::int64_t global_batch_size(std::int64_t batch) const;
  /// This rank's number of samples in a global batch of `global` samples.
  std::int64_t local_batch_size(std::int64_t global) const;

  /// The sample indices of global batch `batch` of epoch `epoch`, in permutation order.
  /// Throws torus::Error when `batch` is not in [0, batches_per_epoch()).
  std::vector<std::int64_t> global_batch(std::int64_t epoch, std::int64_t batch) const;
  /// This rank's contiguous slice of that global batch.
  std::vector<std::int64_t> local_batch(std::int64_t epoch, std::int64_t batch) const;

  /// Puts this rank's slice of the batch at position() into `indices` and advances, returning
  /// true; at the end of an epoch returns false, leaves `indices` empty and moves to batch 0 of
  /// the next epoch.
  bool next(std::vector<std::int64_t>& indices);

  /// The batch next() gives next.
  BatchPosition position() const { return position_; }
  /// Continues from `position` (a saved position()). batch == batches_per_epoch() is the end of
  /// that epoch. Throws torus::Error for a negative epoch or a batch outside
  /// [0, batches_per_epoch()].
  void seek(BatchPosition position);

  const BatchSamplerOptions& options() const { return options_; }

 private:
  const std::vector<std::int64_t>& cached_permutation(std::int64_t epoch);

  BatchSamplerOptions options_;
  std::int64_t batches_ = 0;
  BatchPosition position_;
  std::int64_t cached_epoch_ = -1;
  std::vector<std::int64_t> cached_;
};

}  // namespace torus::nn
