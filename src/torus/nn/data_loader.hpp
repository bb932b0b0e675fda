#pragma once
/// \file
/// torus::nn::DataLoader: this rank's batches of an HDF5 data set, epoch after epoch, for
/// data-parallel training. A BatchSampler (nn/batch_sampler.hpp: the global batches, this
/// rank's slice of each, and why R ranks then train as one) chooses the samples, a
/// SampleReader (nn/sample_reader.hpp) reads them.
///
/// \code
/// nn::DataLoaderOptions options;
/// options.global_batch = 20;
/// options.seed = 7;
/// options.reader.time_start = 1;
/// nn::DataLoader<float> loader("ns_1e-3.h5", options, runtime.comm());
/// loader.seek(saved_position);  // resume
/// nn::Tensor<float> batch;
/// while (loader.next(batch)) {  // one epoch; batch is (local batch, T - 1, 64, 64)
///   // loss = sum over the local samples / loader.global_batch_size(); all-reduce gradients
/// }
/// \endcode

#include <mpi.h>

#include <cstdint>
#include <string>
#include <vector>

#include "torus/nn/batch_sampler.hpp"
#include "torus/nn/sample_reader.hpp"

namespace torus::nn {

/// What a DataLoader reads and how it deals it out.
struct DataLoaderOptions {
  /// The dataset, the time selection and in_memory.
  SampleReaderOptions reader;
  /// Samples per optimiser step over all ranks (G).
  std::int64_t global_batch = 1;
  /// Seeds the per-epoch shuffles; give every rank the same.
  std::uint64_t seed = 0;
  bool drop_last = true;
  bool shuffle = true;
};

/// This rank's batches of one HDF5 dataset; see the file comment.
// TODO(nn): next() reads synchronously; a prefetch of the following batch on a host thread
// would overlap the HDF5 reads with the step, which matters once batches are large.
template <class T>
class DataLoader {
 public:
  /// Opens the data set and splits its global batches over the ranks of `comm` (used only
  /// for this rank's number and the number of ranks: the loader makes no collective calls).
  /// Throws torus::Error as SampleReader and BatchSampler do.
  DataLoader(const std::string& path, DataLoaderOptions options, MPI_Comm comm = MPI_COMM_SELF);

  /// Reads this rank's slice of the next global batch into `batch` ((local batch,
  /// sample_shape()...)) and, when given, the samples' indices into `indices`, and returns
  /// true; at the end of an epoch returns false and moves to the start of the next one.
  /// Throws torus::Error as SampleReader::read (a NaN in a sample, say).
  bool next(Tensor<T>& batch, std::vector<std::int64_t>* indices = nullptr);

  /// The batch next() reads next, to store in a checkpoint.
  BatchPosition position() const { return sampler_.position(); }
  /// Continues from a saved position(); throws torus::Error as BatchSampler::seek.
  void seek(BatchPosition position) { sampler_.seek(position); }
  /// The epoch of the batch next() reads next.
  std::int64_t epoch() const { return sampler_.position().epoch; }

  /// G.
  std::int64_t global_batch_size() const { return sampler_.global_batch_size(); }
  /// This rank's samples in a full global batch (G / R, or one more).
  std::int64_t local_batch_size() const {
    return sampler_.local_batch_size(sampler_.global_batch_size());
  }
  std::int64_t batches_per_epoch() const { return sampler_.batches_per_epoch(); }
  /// The shape of one sample as read.
  const Shape& sample_shape() const { return reader_.sample_shape(); }

  const SampleReader<T>& reader() const { return reader_; }
  const BatchSampler& sampler() const { return sampler_; }

 private:
  SampleReader<T> reader_;
  BatchSampler sampler_;
  std::vector<std::int64_t> indices_;
};

}  // namespace torus::nn
