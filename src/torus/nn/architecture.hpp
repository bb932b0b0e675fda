#pragma once
/// \file
/// The architecture of a model as JSON: what a checkpoint stores to rebuild the model and to
/// refuse loading into another one.
///
/// architecture(model) is, recursively,
///   {"kind": "FNO2d", "config": {...}, "parameters": [{"name": "weight", "shape": [32, 3]}],
///    "children": [{"name": "lift", "kind": "Linear", ...}, ...]}
/// with the module's own parameters (not its children's) and its children in children() order.
/// Two models have the same architecture iff these JSON values are equal; the scalar type is
/// not part of it (a checkpoint says it separately).

#include <nlohmann/json.hpp>

#include <string>

#include "torus/nn/module.hpp"

namespace torus::nn {

/// The kind, config() and own parameter names and shapes of `model`, and the same for each
/// child under "children" (each with its "name"); see the file comment.
template <class T>
nlohmann::json architecture(Module<T>& model);

/// Where two architectures first differ, in words: "child 'lift' (Linear): config.out is 32 in
/// the first, 64 in the second". `first` and `second` name the two sides ("the checkpoint",
/// "this model"). Empty when they are equal.
std::string architecture_difference(const nlohmann::json& a, const nlohmann::json& b,
                                    const std::string& first = "the first",
                                    const std::string& second = "the second");

/// "an FNO2d with width 32, modes 12" or "a Linear with in 3, out 4": the kind of an
/// architecture and its config in a few words, for messages.
std::string describe_architecture(const nlohmann::json& architecture);

}  // namespace torus::nn
