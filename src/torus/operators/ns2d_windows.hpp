#pragma once
/// \file
/// The trajectory windows of a Navier–Stokes data set as a training or test set of an operator,
/// and pictures of its predictions.
///
/// A WindowSet reads, for each sample, the S snapshots of an Ns2dWindow from the data set's
/// `vorticity` (N, time, x, y). For an operator on fields (FNO) each batch is read from the
/// file when asked for; for one in frequency space (T1) every window is transformed once, when
/// the set is opened, and batches come from the coefficients in memory: the transform is paid
/// once per run, not once per epoch. Errors are always measured on fields: T1's predictions are
/// taken back to fields and compared with the stored snapshots.

#include <mpi.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "torus/nn/sample_reader.hpp"
#include "torus/operators/operator_factory.hpp"

namespace torus::operators {

/// The windows of the first `samples` samples of a data set (file comment).
class WindowSet {
 public:
  /// Opens `path`; with samples 0 takes every sample. Throws torus::Error when the file or
  /// dataset is missing or malformed, holds NaNs, has fewer samples than asked for or too few
  /// stored times for the window.
  WindowSet(const std::string& path, const std::string& dataset, const Ns2dWindow& window,
            std::int64_t samples, const TrainableOperator& op);

  std::int64_t size() const { return size_; }
  const Ns2dWindow& window() const { return window_; }
  /// (x, y) of the stored fields.
  const nn::Shape& field_shape() const { return field_shape_; }

  /// The windows of samples `indices` as the operator reads them: (b, S, x, y) fields, or
  /// (b, S, ...) coefficients.
  nn::Tensor<float> windows(const std::vector<std::int64_t>& indices) const;
  /// The windows of samples `indices` as fields (b, S, x, y).
  nn::Tensor<float> fields(const std::vector<std::int64_t>& indices) const;

  /// sum over the samples of ||p_b - w_b|| / ||w_b|| over the output snapshots, where
  /// `prediction` (b, n_out, ...) is what the operator returned for samples `indices`.
  double trajectory_error_sum(const nn::Tensor<float>& prediction,
                              const std::vector<std::int64_t>& indices) const;

 private:
  const TrainableOperator* op_;
  Ns2dWindow window_;
  std::unique_ptr<nn::SampleReader<float>> reader_;
  std::int64_t size_ = 0;
  nn::Shape field_shape_;
  nn::Tensor<float> encoded_;  // (N, S, ...) for an operator in frequency space
};

/// Opens a WindowSet (collective only in that every rank opens its own reader).
std::unique_ptr<WindowSet> open_windows(const std::string& path, const std::string& dataset,
                                        const Ns2dWindow& window, std::int64_t samples,
                                        const TrainableOperator& op);

/// Rank 0 writes, for the first `count` samples of `set`, PNGs of the last input snapshot, the
/// last true and predicted snapshots and their difference into `folder` (created), and returns
/// their paths (empty on other ranks). Collective over `comm` (the others wait).
std::vector<std::string> write_prediction_pictures(TrainableOperator& op, const WindowSet& set,
                                                   const std::string& folder, std::int64_t count,
                                                   MPI_Comm comm);

}  // namespace torus::operators
