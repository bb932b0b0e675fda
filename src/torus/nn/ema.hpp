#pragma once
/// \file
/// torus::nn::Ema: an exponential moving average of a model's parameters, for evaluation.
///
/// The shadow s of each parameter theta starts as a copy of theta; each update() is
///   s <- decay s + (1 - decay) theta.
/// swap() exchanges shadow and live values, so evaluating with the averaged weights is
/// \code
/// nn::Ema<float> ema(model.named_parameters(), 0.999);
/// ... opt.step(); ema.update(); ...
/// ema.swap();  evaluate(model);  ema.swap();   // back to the trained weights
/// \endcode
/// The shadows are exposed by state() as "<parameter path>.ema", sharing the EMA's storage, for
/// checkpoints (while swapped, the shadows hold the trained weights: save outside a swap).

#include <string>
#include <vector>

#include "torus/nn/named.hpp"

namespace torus::nn {

/// Exponential moving average of parameters; see the file comment.
template <class T>
class Ema {
 public:
  /// Copies the current values as the initial shadows. Throws torus::Error for a decay outside
  /// [0, 1] or a bad parameter list (null, duplicate names).
  Ema(NamedParameters<T> parameters, double decay);

  /// s <- decay s + (1 - decay) theta for every parameter. Throws torus::Error while swapped
  /// (the live values are then the shadows themselves).
  void update();

  /// Exchanges shadows and live values (twice restores both).
  void swap();
  /// Whether the live parameters currently hold the averages.
  bool swapped() const { return swapped_; }

  double decay() const { return decay_; }
  /// Changes the decay of the following updates; throws torus::Error outside [0, 1].
  void set_decay(double decay);

  /// The shadows named "<parameter path>.ema", sharing this object's storage.
  NamedTensors<T> state();

 private:
  NamedParameters<T> parameters_;
  std::vector<Tensor<T>> shadows_;
  double decay_ = 0;
  bool swapped_ = false;
};

}  // namespace torus::nn
