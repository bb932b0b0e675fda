#pragma once
/// \file
/// torus::nn::SampleReader: samples of an HDF5 data set read into a Tensor, by index.
///
/// A data set is one dataset shaped (N, ...) whose first axis counts samples: for the
/// Navier–Stokes files of `torus ns2d generate` (docs/hdf5.md) `vorticity` (N, T, n, n), float64.
/// read(indices) gives a Tensor (indices.size(), ...) holding those samples in the order asked
/// for, optionally only some indices of the second axis (a range of stored times, with a
/// stride), converted to T (float64 files read as float for training). Each run of
/// consecutive indices is one hyperslab read (io::read_hyperslab), so a batch costs as many
/// reads as it has runs; with `in_memory` the selection is loaded once and batches are copied
/// from memory. Every value read is checked: a NaN or an infinity raises an error naming the
/// file, the dataset and the sample.
///
/// \code
/// nn::SampleReaderOptions options;
/// options.time_start = 1;  // FNO's u = vorticity[:, 1:]
/// nn::SampleReader<float> reader("ns_1e-3.h5", options);
/// auto batch = reader.read({17, 3, 4, 5});  // (4, T - 1, 64, 64); samples 3-5 in one read
/// \endcode
///
/// The file is opened on MPI_COMM_SELF: every rank of a data-parallel run has its own reader
/// and reads only its own samples, with no collective calls.

#include <cstdint>
#include <string>
#include <vector>

#include "torus/io/hdf5_file.hpp"
#include "torus/nn/tensor.hpp"

namespace torus::nn {

/// Which dataset a SampleReader reads and which part of each sample.
struct SampleReaderOptions {
  /// The dataset, shaped (N, ...).
  std::string dataset = "vorticity";
  /// The rank the dataset must have (4 for (N, T, x, y)); 0 accepts any rank.
  int rank = 0;
  /// Along axis 1, the indices time_start + k time_stride for k in [0, time_count);
  /// time_count -1 takes every such index inside the axis. The default is the whole axis.
  std::int64_t time_start = 0;
  std::int64_t time_count = -1;
  std::int64_t time_stride = 1;
  /// Load the selection of every sample once, at construction, and read batches from memory.
  bool in_memory = false;
};

/// Reads samples of an HDF5 dataset by index; see the file comment.
template <class T>
class SampleReader {
 public:
  /// Opens `path` and checks `options.dataset` (loading it when in_memory). Throws
  /// torus::Error when the file or the dataset is missing, the dataset holds no floats, has
  /// another rank than options.rank, has no samples or empty samples, when the time
  /// selection lies outside axis 1 (or the dataset has no axis 1), and, with in_memory, when
  /// a value is NaN or infinite.
  SampleReader(const std::string& path, SampleReaderOptions options = {});

  /// N.
  std::int64_t samples() const { return extents_[0]; }
  /// The dataset's extents in the file.
  const Shape& dataset_shape() const { return extents_; }
  /// The shape of one sample as read: the dataset's extents without axis 0, with axis 1
  /// reduced to the time selection.
  const Shape& sample_shape() const { return sample_shape_; }
  /// The indices along axis 1 that are read (empty for a rank-1 dataset).
  std::vector<std::int64_t> times() const;

  /// Puts samples `indices` (in that order, repeats allowed) into `out`, reshaping it to
  /// (indices.size(), sample_shape()...) when it has another shape (its storage is reused
  /// when the shape already fits). Throws torus::Error when an index is outside [0, N) or a
  /// value read is NaN or infinite (naming the file, the dataset and the sample index).
  void read(const std::vector<std::int64_t>& indices, Tensor<T>& out) const;
  /// As above, into a new tensor.
  Tensor<T> read(const std::vector<std::int64_t>& indices) const;

  const std::string& path() const { return path_; }
  const SampleReaderOptions& options() const { return options_; }

 private:
  void require_finite(const T* values, const std::vector<std::int64_t>& indices) const;

  std::string path_;
  SampleReaderOptions options_;
  io::File file_;
  Shape extents_;
  Shape sample_shape_;
  std::int64_t sample_size_ = 0;
  /// With in_memory: every sample's selection, (N, sample_shape()...), on the host.
  Kokkos::View<T*, Kokkos::HostSpace> memory_;
};

}  // namespace torus::nn
