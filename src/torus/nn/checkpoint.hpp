#pragma once
/// \file
/// Checkpoints: a model's parameters, its optimiser's state and the position of training in one
/// HDF5 file, written atomically, and loaded back only into a model of the same architecture.
///
/// \code
/// nn::CheckpointState<float> state;
/// state.epoch = epoch;
/// state.step = step;
/// state.optimizer = adam.state();  // (name, tensor) pairs sharing the optimiser's storage
/// state.extra = {{"schedule", schedule.state()}, {"loss", loss}};
/// nn::save_checkpoint("run/model.h5", model, state, runtime.comm());
///
/// auto info = nn::load_checkpoint("run/model.h5", model, adam.state());  // in place
/// \endcode
///
/// **Layout** (h5py opens it): root attributes `format` ("torus-checkpoint"),
/// `format_version` (1), `architecture` (nn::architecture(model) as a JSON string), `kind`,
/// `scalar_type` ("float" or "double"), `torus_version`, `epoch`, `step`, `rng_seed`,
/// `rng_counter` (unsigned 64-bit values stored in int64 with the same bits, so a seed above
/// 2^63 reads negative in h5py) and `extra` (a JSON string); datasets
/// `/parameters/<name>` with each parameter's shape and scalar type (a parameter of rank 0 is
/// stored as shape (1,)) and `/optimizer/<name>` likewise for the optimiser and EMA state.
///
/// **Atomicity and ranks.** The file is written through io::File::create and commit(): under a
/// temporary name next to `path`, renamed to `path` once complete, so `path` holds the previous
/// checkpoint or the new one, never a torn file. save_checkpoint is collective over `comm`:
/// rank 0 alone writes (data-parallel ranks hold the same parameters), the others wait for it
/// in a broadcast of the outcome, and every rank returns once the file is in place or throws
/// the same torus::Error.

#include <mpi.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "torus/nn/module.hpp"
#include "torus/nn/named.hpp"

namespace torus::nn {

// NamedTensors (nn/named.hpp): Adam's and Ema's state() give their tensors in this form,
// sharing their storage, so loading into them restores the optimiser in place.

/// What a checkpoint stores besides the parameters.
template <class T>
struct CheckpointState {
  /// Completed epochs and optimiser steps.
  std::int64_t epoch = 0;
  std::int64_t step = 0;
  /// The training random stream: seed and counter (RandomStream::key().seed, position()).
  std::uint64_t rng_seed = 0;
  std::uint64_t rng_counter = 0;
  /// The optimiser's and EMA's tensors, stored under /optimizer/<name>.
  NamedTensors<T> optimizer;
  /// Anything else to restore: schedule state, options, metrics.
  nlohmann::json extra = nlohmann::json::object();
};

/// What load_checkpoint() read besides the tensors it filled.
struct CheckpointInfo {
  std::int64_t epoch = 0;
  std::int64_t step = 0;
  std::uint64_t rng_seed = 0;
  std::uint64_t rng_counter = 0;
  nlohmann::json extra = nlohmann::json::object();
  /// The torus version that wrote the file.
  std::string torus_version;
  /// "float" or "double".
  std::string scalar_type;
  nlohmann::json architecture;
};

/// Writes `model`'s architecture and parameters and `state` to the HDF5 file `path` (layout in
/// the file comment), atomically. Collective over `comm`: rank 0 writes, every rank returns
/// once the file is in place. Throws torus::Error (on every rank) when the directory cannot be
/// written, two parameters or state entries share a name, or HDF5 fails; `path` is then left
/// as it was.
template <class T>
void save_checkpoint(const std::string& path, Module<T>& model, const CheckpointState<T>& state,
                     MPI_Comm comm = MPI_COMM_SELF);

/// Reads the checkpoint at `path` into `model`'s parameters and into the tensors of
/// `optimizer_state` (looked up by name under /optimizer; entries of the file not asked for
/// are ignored), in place, and returns the rest. Nothing is changed unless everything fits.
/// Throws torus::Error when the file is missing, is not HDF5 or is truncated, is not a torus
/// checkpoint, holds another architecture (the message names both and their first difference)
/// or another scalar type, or lacks an asked-for state entry or holds it in another shape.
/// Not collective: each rank reads the file itself.
template <class T>
CheckpointInfo load_checkpoint(const std::string& path, Module<T>& model,
                               NamedTensors<T> optimizer_state = {});

/// The architecture JSON a checkpoint holds, so a command can rebuild the model from the file
/// alone. Throws torus::Error as load_checkpoint() for a missing file or one that is not a
/// checkpoint.
nlohmann::json read_checkpoint_architecture(const std::string& path);

/// The scalar type name of a checkpoint: "float" or "double". Throws as
/// read_checkpoint_architecture().
std::string read_checkpoint_scalar_type(const std::string& path);

}  // namespace torus::nn
