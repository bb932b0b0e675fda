#pragma once
/// \file
/// Training and evaluating neural operators (FNO2d, T1) on the 2-D Navier–Stokes data sets of
/// `torus ns2d generate`: what `torus train`, `torus eval` and `torus.operators.train` run.
///
/// **Task.** A window of S = n_in + n_out snapshots, the times t_k = first + k * stride of a
/// data set's `vorticity` (N, time, x, y); the model maps n_in snapshots to the next and is
/// rolled out n_out times (operators/rollout.hpp). FNO's benchmark is n_in = 10, n_out = 40,
/// stride 1 (w(0..9) -> w(10..49)); the single map w(0) -> w(T) is n_in = n_out = 1, stride T.
/// The training loss is the sum over the rollout of the per-step relative L2 error, averaged
/// over the batch; the reported error is FNO's: the relative L2 error of each sample's whole
/// predicted trajectory, averaged over samples.
///
/// **T1 trains in frequency space.** Its windows are transformed once, when the data is read,
/// into the retained coefficient block, and the rollout runs on coefficients; the error of a
/// prediction p (zero outside the block) against a field w is exact without going back:
///   ||p - w||^2 = ||p_c - w_c||^2 + (||w||^2 - ||w_c||^2)     (orthonormal transform, Parseval).
///
/// **Data parallelism.** Every rank holds the same model; each global batch (a permutation of
/// the training samples per epoch, nn/data_loader.hpp) is cut into per-rank slices, each rank's
/// loss is its share of the global mean, gradients are summed over the ranks, so N ranks give
/// the parameters of one rank to round-off.
///
/// **Outputs** (folder `output`): `checkpoint.h5` after every epoch (model, optimiser, epoch,
/// options; atomic), `log.csv` (epoch, losses, errors, learning rate, seconds; rewritten
/// atomically), `best.h5` (the checkpoint with the lowest test error). `resume` continues from
/// `checkpoint.h5` and reproduces the run that was not interrupted.

#include <mpi.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "torus/nn/module.hpp"

namespace torus::operators {

/// Which snapshots of a trajectory a model reads and predicts (file comment).
struct Ns2dWindow {
  int input_steps = 10;
  int output_steps = 40;
  int first = 0;
  int stride = 1;

  /// The time indices t_k = first + k stride, k < input_steps + output_steps.
  std::vector<std::int64_t> times() const;
  /// Throws torus::Error when the window does not fit `time_count` stored times.
  void validate(std::int64_t time_count, const std::string& data) const;
};

/// Everything that shapes a training run.
struct Ns2dTrainingOptions {
  /// "fno" or "t1".
  std::string model = "fno";
  /// The model's options by name (width, modes, layers, ...; see make_operator()).
  nlohmann::json model_options = nlohmann::json::object();
  Ns2dWindow window;

  /// HDF5 data sets (layout: docs/hdf5.md); the test set is used for validation every epoch.
  std::string train_data;
  std::string test_data;
  std::string dataset = "vorticity";
  /// Use the first this many samples of each set (0: all).
  std::int64_t train_samples = 0;
  std::int64_t test_samples = 0;

  int epochs = 500;
  /// The global batch, split over the ranks.
  int batch = 20;
  /// "adam" or "adamw".
  std::string optimizer = "adam";
  double learning_rate = 1e-3;
  double weight_decay = 1e-4;
  /// "step" (step_size epochs, gamma), "cosine" (over the run), "onecycle", "plateau" or
  /// "constant"; stepped once per epoch except onecycle (per batch).
  std::string schedule = "step";
  int step_size = 100;
  double gamma = 0.5;
  /// Clip the global gradient norm to this (0: no clipping).
  double clip_norm = 0.0;
  /// Keep an exponential moving average of the weights with this decay (0: none); validation
  /// and the best checkpoint then use the averaged weights.
  double ema_decay = 0.0;
  std::uint64_t seed = 0;

  std::string output = "train-out";
  bool resume = false;
  /// Stop after the first epoch that ends later than this many seconds (0: no limit).
  double time_budget = 0.0;
  /// Print progress on rank 0.
  bool progress = true;
};

/// One line of log.csv.
struct Ns2dEpochRecord {
  int epoch = 0;
  double train_loss = 0.0;
  double test_error = 0.0;
  double learning_rate = 0.0;
  double seconds = 0.0;        // this epoch's wall time (training and validation)
  double total_seconds = 0.0;  // since the run started, resumed runs included
};

/// What a training run did.
struct Ns2dTrainingReport {
  std::vector<Ns2dEpochRecord> epochs;  // every epoch of the run, resumed ones included
  int first_epoch_run = 0;              // the first epoch this call ran (after a resume)
  double best_test_error = 0.0;
  std::string checkpoint;
};

/// Trains as `options` say (file comment); collective over `comm`. Throws torus::Error for
/// missing or malformed data, windows that do not fit, unknown names, or a checkpoint of
/// another model when resuming.
Ns2dTrainingReport train_ns2d_operator(const Ns2dTrainingOptions& options, MPI_Comm comm);

/// Evaluation options of `torus eval`.
struct Ns2dEvaluationOptions {
  std::string checkpoint;
  std::string data;
  std::string dataset = "vorticity";
  std::int64_t samples = 0;
  int batch = 20;
  /// Write PNGs of input, truth, prediction and error of the first `pictures` samples here.
  std::string png_folder;
  int pictures = 4;
};

/// The result of evaluate_ns2d_operator().
struct Ns2dEvaluation {
  double relative_l2 = 0.0;  // mean over samples of the trajectory relative L2 error
  std::int64_t samples = 0;
  double seconds = 0.0;
  std::vector<std::string> pictures;
};

/// Loads the checkpoint (its model and window come from the file) and measures the relative
/// L2 error on a data set; collective over `comm` (samples are split over the ranks).
Ns2dEvaluation evaluate_ns2d_operator(const Ns2dEvaluationOptions& options, MPI_Comm comm);

}  // namespace torus::operators
