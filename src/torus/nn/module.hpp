#pragma once
/// \file
/// torus::nn::Module: the unit of every model — parameters, a forward map and its adjoint.
///
/// A module maps a Tensor to a Tensor. `forward(x)` computes y = f(x; theta) and keeps what the
/// adjoint needs (inputs, pre-activations) when the module is training; `backward(dy)` takes
/// dL/dy for that last forward and returns dL/dx = (df/dx)^T dy, and adds
/// dL/dtheta = (df/dtheta)^T dy to the gradients of the parameters (accumulation, so several
/// backward passes or several ranks can sum). There is no tape and no general autodiff: every
/// module writes its own adjoint kernel, checked against finite differences in the tests
/// (nn/gradient_check.hpp).
///
/// forward() pushes what it keeps and backward() pops it, so k forward passes followed by k
/// backward passes in reverse order work: backpropagation through an autoregressive rollout.
///
/// Composite modules (MLP, FNO2d, T1) hold children and list them in children(), so
/// parameters(), zero_grad(), train() and checkpoints walk the whole model.

#include <nlohmann/json.hpp>

#include <deque>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "torus/nn/parameter.hpp"
#include "torus/nn/tensor.hpp"

namespace torus::nn {

/// Base class of all modules; see the file comment for the forward/backward contract.
template <class T>
class Module {
 public:
  virtual ~Module() = default;

  /// y = f(x). Keeps what backward() needs when training() is true.
  virtual Tensor<T> forward(const Tensor<T>& x) = 0;

  /// dL/dx for the latest forward() not yet undone by a backward(), given dL/dy of the same shape
  /// as its output; adds the parameters' gradients into their `grad`. Throws torus::Error when no
  /// forward() in training mode preceded it or `grad_y` has the wrong shape.
  virtual Tensor<T> backward(const Tensor<T>& grad_y) = 0;

  /// The module's kind, as written in checkpoints: "Linear", "FNO2d", ...
  virtual std::string kind() const = 0;

  /// The hyper-parameters that rebuild this module (not its trained values): stored in
  /// checkpoints and compared on load, so a checkpoint of another architecture is refused.
  virtual nlohmann::json config() const { return nlohmann::json::object(); }

  Module() = default;
  // Parameters are handed out by address; a module stays where it was built.
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  /// Every parameter of this module and its children, in a fixed order (own parameters first,
  /// then each child's), with its path in the model: "layers.2.weight".
  std::vector<std::pair<std::string, Parameter<T>*>> named_parameters() {
    std::vector<std::pair<std::string, Parameter<T>*>> all;
    for (auto& p : own_parameters_) all.emplace_back(p.name, &p);
    for (auto& [child_name, child] : children()) {
      for (auto& [name, p] : child->named_parameters()) {
        all.emplace_back(child_name + "." + name, p);
      }
    }
    return all;
  }

  /// Every parameter, in the order of named_parameters().
  std::vector<Parameter<T>*> parameters() {
    std::vector<Parameter<T>*> all;
    for (auto& named : named_parameters()) all.push_back(named.second);
    return all;
  }

  /// The number of trainable values.
  std::int64_t parameter_count() {
    std::int64_t n = 0;
    for (auto* p : parameters()) n += p->size();
    return n;
  }

  /// Sets every parameter gradient to zero.
  void zero_grad() {
    for (auto* p : parameters()) Kokkos::deep_copy(p->grad.values(), T(0));
  }

  /// Training mode keeps activations for backward(); evaluation mode (train(false)) does not,
  /// which saves memory in inference. Applies to the children too.
  void train(bool on = true) {
    training_ = on;
    for (auto& child : children()) child.second->train(on);
  }
  bool training() const { return training_; }

  /// The direct children of a composite module with their names (none for a leaf).
  virtual std::vector<std::pair<std::string, Module<T>*>> children() { return {}; }

 protected:
  /// Registers a zero-filled parameter of this module; the reference stays valid for the
  /// module's lifetime.
  Parameter<T>& add_parameter(const std::string& name, Shape shape) {
    own_parameters_.emplace_back(name, std::move(shape));
    return own_parameters_.back();
  }

  /// Throws torus::Error when backward() is called without a training forward() before it.
  void require_forward(bool have_cache) const {
    TORUS_REQUIRE(have_cache, kind() + "::backward() called without a forward() in training mode",
                  kind(), "call train(true) and forward() before backward()");
  }

 private:
  // A deque keeps the addresses of earlier parameters when a later one is added.
  std::deque<Parameter<T>> own_parameters_;
  bool training_ = true;
};

}  // namespace torus::nn
