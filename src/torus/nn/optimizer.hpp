#pragma once
/// \file
/// torus::nn::Adam and torus::nn::AdamW: the optimisers of torch.optim (PyTorch 1.13), on any
/// module's parameters.
///
/// With g the gradient of a parameter theta, step t = 1, 2, ... (counted before the update),
/// learning rate lr, betas (beta1, beta2), eps and weight decay wd, one step is
///   Adam:   g <- g + wd theta                           (L2 decay folded into the gradient)
///   AdamW:  theta <- theta (1 - lr wd)                  (decoupled decay, before the update)
///   m <- beta1 m + (1 - beta1) g,        v <- beta2 v + (1 - beta2) g^2,
///   theta <- theta - (lr / (1 - beta1^t)) m / (sqrt(v) / sqrt(1 - beta2^t) + eps),
/// so eps is added after the square root of the bias-corrected second moment, exactly as
/// torch.optim.Adam/AdamW do. The moments m ("exp_avg") and v ("exp_avg_sq") are stored in T,
/// the step count as int64. Complex weights are interleaved (re, im) reals (nn/parameter.hpp),
/// which is how PyTorch's Adam treats complex parameters (view_as_real).
///
/// \code
/// auto model = ...;                                      // any nn::Module<float>
/// nn::AdamW<float> opt(model.named_parameters(), {});   // lr 1e-3, wd 1e-2
/// model.zero_grad(); model.backward(model.forward(x)); opt.step();
/// for (auto& [name, moment] : opt.state()) ...           // "layers.0.weight.exp_avg", ...
/// \endcode

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "torus/nn/named.hpp"

namespace torus::nn {

/// The common interface of the optimisers: a step, a learning rate a schedule can set, a step
/// count and a state a checkpoint can save and fill in place.
template <class T>
class Optimizer {
 public:
  virtual ~Optimizer() = default;

  /// Updates every parameter from its current gradient (the gradients are not reset).
  virtual void step() = 0;

  /// "Adam", "AdamW", ...
  virtual std::string kind() const = 0;

  /// The hyper-parameters (learning rate included), for checkpoints and logs.
  virtual nlohmann::json config() const = 0;

  /// The optimiser's tensors named "<parameter path>.<slot>"; each shares the optimiser's
  /// storage, so writing into it (a checkpoint loader) changes the optimiser's state.
  virtual NamedTensors<T> state() = 0;

  /// The learning rate the next step() uses.
  double learning_rate() const { return learning_rate_; }
  /// Sets the learning rate of the following steps (what a schedule calls); throws
  /// torus::Error when `lr` is negative or not finite.
  void set_learning_rate(double lr);

  /// The number of step() calls made (or set by set_steps).
  std::int64_t steps() const { return steps_; }
  /// Restores the step count (from a checkpoint); throws torus::Error when negative.
  void set_steps(std::int64_t steps);

  /// The parameters being optimised.
  const NamedParameters<T>& parameters() const { return parameters_; }

  /// Sets the gradient of every optimised parameter to zero.
  void zero_grad();

 protected:
  /// Throws torus::Error as detail::require_named_parameters does, or for a bad learning rate.
  Optimizer(NamedParameters<T> parameters, double learning_rate, const std::string& who);

  NamedParameters<T> parameters_;
  double learning_rate_ = 0;
  std::int64_t steps_ = 0;
};

/// Hyper-parameters of Adam (PyTorch's defaults).
struct AdamOptions {
  double lr = 1e-3;
  double beta1 = 0.9;
  double beta2 = 0.999;
  double eps = 1e-8;
  /// L2 penalty added to the gradient (Adam) or decoupled decay rate (AdamW).
  double weight_decay = 0;
};

/// Hyper-parameters of AdamW: Adam's with PyTorch's AdamW default weight decay 1e-2.
struct AdamWOptions : AdamOptions {
  AdamWOptions() { weight_decay = 1e-2; }
};

namespace detail {

/// The update shared by Adam and AdamW; `decoupled` selects AdamW's decay.
template <class T>
class AdamUpdate : public Optimizer<T> {
 public:
  void step() override;
  nlohmann::json config() const override;
  NamedTensors<T> state() override;
  const AdamOptions& options() const { return options_; }

 protected:
  AdamUpdate(NamedParameters<T> parameters, const AdamOptions& options, bool decoupled,
             const std::string& who);

 private:
  AdamOptions options_;
  bool decoupled_;
  std::vector<Tensor<T>> exp_avg_;
  std::vector<Tensor<T>> exp_avg_sq_;
};

}  // namespace detail

/// torch.optim.Adam: weight decay as an L2 term in the gradient; see the file comment.
template <class T>
class Adam : public detail::AdamUpdate<T> {
 public:
  /// Throws torus::Error for lr < 0, betas outside [0, 1), eps < 0, weight_decay < 0, or a bad
  /// parameter list (null, duplicate names, gradient size differing from the value's).
  Adam(NamedParameters<T> parameters, const AdamOptions& options = {});
  std::string kind() const override { return "Adam"; }
};

/// torch.optim.AdamW: decoupled weight decay theta <- theta (1 - lr wd); see the file comment.
template <class T>
class AdamW : public detail::AdamUpdate<T> {
 public:
  /// Throws torus::Error as Adam does.
  AdamW(NamedParameters<T> parameters, const AdamWOptions& options = {});
  std::string kind() const override { return "AdamW"; }
};

}  // namespace torus::nn
