#pragma once
/// \file
/// Building the operators that `torus train`, `torus eval` and Python train by name, and
/// rebuilding them from a checkpoint.
///
/// A TrainableOperator is a model plus what training needs to know about it: the module a
/// rollout calls one step at a time (FNO2d itself; for T1 its frequency-space part, since T1
/// transforms each field once and stays in coefficients), and the maps between fields and what
/// that module reads (identity for FNO; T1's truncated transform and its zero-padded inverse).
///
/// \code
/// auto op = operators::make_trainable_operator("t1", {{"width", 32}}, 10, {64, 64}, key);
/// auto c = op.encode(fields);              // (B, S, X, Y) -> (B, S, m0, m1)
/// auto next = op.step->forward(c_window);  // one step in coefficients
/// auto w = op.decode(next, 64, 64);        // back to a field
/// \endcode

#include <nlohmann/json.hpp>

#include <array>
#include <functional>
#include <memory>
#include <string>

#include "torus/core/random.hpp"
#include "torus/nn/module.hpp"
#include "torus/operators/ns2d_training.hpp"

namespace torus::operators {

/// A model ready for rollout training (file comment).
struct TrainableOperator {
  /// "fno" or "t1".
  std::string name;
  /// The model's options with every default filled in (what config() stores).
  nlohmann::json options;
  /// The whole model: what checkpoints hold.
  std::unique_ptr<nn::Module<float>> model;
  /// The module a rollout calls: (B, n_in, ...) -> (B, 1, ...) in the space of encode().
  nn::Module<float>* step = nullptr;
  /// true when step works on coefficients (T1), false on fields (FNO).
  bool frequency_space = false;
  /// The task the model was trained for (from a checkpoint; the caller's otherwise).
  Ns2dWindow window;
  /// Fields (B, C, X, Y) to what `step` reads; the identity for FNO.
  std::function<nn::Tensor<float>(const nn::Tensor<float>&)> encode;
  /// What `step` returns back to fields (B, C, nx, ny); the identity for FNO.
  std::function<nn::Tensor<float>(const nn::Tensor<float>&, int nx, int ny)> decode;
};

/// The model names make_trainable_operator() knows: "fno", "t1".
std::vector<std::string> operator_names();

/// Builds operator `name` for `input_steps` input snapshots and one output snapshot on fields of
/// `grid` (T1 is made for one grid; FNO2d takes any), with
/// `options` overriding its defaults (FNO2d: width, modes, layers, projection; T1: width,
/// modes, layers, hidden, transform, keep_high, init), initialised from `key`. Throws
/// torus::Error for an unknown name or option, naming the known ones.
TrainableOperator make_trainable_operator(const std::string& name, const nlohmann::json& options,
                                          int input_steps, std::array<int, 2> grid, RandomKey key);

/// Rebuilds the operator a `torus train` checkpoint holds and loads its parameters; its window
/// is the one it was trained for. Throws torus::Error for a file that is not such a checkpoint.
TrainableOperator load_trainable_operator(const std::string& checkpoint);

}  // namespace torus::operators
