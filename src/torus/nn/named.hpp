#pragma once
/// \file
/// Named parameters and named state tensors: how optimisers, EMA and checkpoints address the
/// arrays of a model ("layers.2.weight", "layers.2.weight.exp_avg").

#include <string>
#include <utility>
#include <vector>

#include "torus/nn/parameter.hpp"
#include "torus/nn/tensor.hpp"

namespace torus::nn {

/// Parameters with their paths in the model, as Module::named_parameters() lists them.
template <class T>
using NamedParameters = std::vector<std::pair<std::string, Parameter<T>*>>;

/// Named tensors of an optimiser, an EMA or other training state; each shares its owner's
/// storage, so a checkpoint loader fills them in place.
template <class T>
using NamedTensors = std::vector<std::pair<std::string, Tensor<T>>>;

namespace detail {
/// Throws torus::Error naming `who` for a null parameter, a gradient of another size than its
/// value, or two parameters with the same name.
template <class T>
void require_named_parameters(const NamedParameters<T>& parameters, const std::string& who);
}  // namespace detail

}  // namespace torus::nn
