#pragma once
/// \file
/// torus::nn::Parameter: a trainable array of a module, its gradient and its name.
///
/// Complex weights (spectral convolutions) are stored as interleaved (re, im) pairs of reals,
/// so optimisers, clipping, EMA, checkpoints and the gradient all-reduce treat every parameter
/// as one flat real array; Adam on the pairs is what PyTorch does on complex parameters.

#include <string>

#include "torus/nn/tensor.hpp"

namespace torus::nn {

/// A trainable array: its value, the gradient that backward() accumulates into, and a name
/// unique within its model ("layers.2.spectral.weight").
template <class T>
struct Parameter {
  std::string name;
  Tensor<T> value;
  Tensor<T> grad;

  Parameter() = default;
  /// A zero-filled parameter (and gradient) of `shape`.
  Parameter(std::string parameter_name, Shape shape)
      : name(std::move(parameter_name)),
        value(shape, "torus::nn::Parameter " + name),
        grad(shape, "torus::nn::Parameter grad " + name) {}

  std::int64_t size() const { return value.size(); }
};

}  // namespace torus::nn
