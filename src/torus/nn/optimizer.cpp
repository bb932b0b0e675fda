#include "torus/nn/optimizer.hpp"

#include <cmath>

#include "torus/core/math.hpp"

namespace torus::nn {

template <class T>
Optimizer<T>::Optimizer(NamedParameters<T> parameters, double learning_rate, const std::string& who)
    : parameters_(std::move(parameters)) {
  detail::require_named_parameters(parameters_, who);
  set_learning_rate(learning_rate);
}

template <class T>
void Optimizer<T>::set_learning_rate(double lr) {
  TORUS_REQUIRE(std::isfinite(lr) && lr >= 0, "learning rate " + std::to_string(lr),
                "nn::Optimizer::set_learning_rate", "give a finite learning rate >= 0");
  learning_rate_ = lr;
}

template <class T>
void Optimizer<T>::set_steps(std::int64_t steps) {
  TORUS_REQUIRE(steps >= 0, "step count " + std::to_string(steps), "nn::Optimizer::set_steps",
                "give the number of steps taken (>= 0)");
  steps_ = steps;
}

template <class T>
void Optimizer<T>::zero_grad() {
  for (auto& named : parameters_) Kokkos::deep_copy(named.second->grad.values(), T(0));
}

namespace detail {

namespace {
void require_adam_options(const AdamOptions& o, const std::string& who) {
  TORUS_REQUIRE(std::isfinite(o.lr) && o.lr >= 0, "learning rate " + std::to_string(o.lr), who,
                "give lr >= 0");
  TORUS_REQUIRE(o.beta1 >= 0 && o.beta1 < 1 && o.beta2 >= 0 && o.beta2 < 1,
                "betas (" + std::to_string(o.beta1) + ", " + std::to_string(o.beta2) + ")", who,
                "give both betas in [0, 1)");
  TORUS_REQUIRE(o.eps >= 0, "eps " + std::to_string(o.eps), who, "give eps >= 0");
  TORUS_REQUIRE(o.weight_decay >= 0, "weight decay " + std::to_string(o.weight_decay), who,
                "give weight_decay >= 0");
}
}  // namespace

template <class T>
AdamUpdate<T>::AdamUpdate(NamedParameters<T> parameters, const AdamOptions& options, bool decoupled,
                          const std::string& who)
    : Optimizer<T>((require_adam_options(options, who), std::move(parameters)), options.lr, who),
      options_(options),
      decoupled_(decoupled) {
  for (const auto& [name, p] : this->parameters_) {
    exp_avg_.emplace_back(p->value.shape(), "torus::nn::Adam exp_avg " + name);
    exp_avg_sq_.emplace_back(p->value.shape(), "torus::nn::Adam exp_avg_sq " + name);
  }
}

template <class T>
void AdamUpdate<T>::step() {
  this->steps_ += 1;
  const double t = static_cast<double>(this->steps_);
  const double lr = this->learning_rate_;
  const double wd = options_.weight_decay;

  // The scalars of the step, computed in double as PyTorch computes them in Python.
  const T beta1 = static_cast<T>(options_.beta1);
  const T beta2 = static_cast<T>(options_.beta2);
  const T eps = static_cast<T>(options_.eps);
  const T step_size = static_cast<T>(lr / (1 - std::pow(options_.beta1, t)));
  const T bias_correction2_sqrt = static_cast<T>(std::sqrt(1 - std::pow(options_.beta2, t)));
  const T l2 = decoupled_ ? T(0) : static_cast<T>(wd);
  const T shrink = decoupled_ ? static_cast<T>(1 - lr * wd) : T(1);

  for (std::size_t k = 0; k < this->parameters_.size(); ++k) {
    Parameter<T>& p = *this->parameters_[k].second;
    T* theta = p.value.data();
    const T* grad = p.grad.data();
    T* m = exp_avg_[k].data();
    T* v = exp_avg_sq_[k].data();
    // g = grad + l2 theta;  theta <- shrink theta  (l2 = wd, shrink = 1 for Adam;
    //                                                l2 = 0, shrink = 1 - lr wd for AdamW)
    // m <- beta1 m + (1 - beta1) g;   v <- beta2 v + (1 - beta2) g^2
    // theta <- theta - step_size m / (sqrt(v) / bias_correction2_sqrt + eps),
    //   step_size = lr / (1 - beta1^t),  bias_correction2_sqrt = sqrt(1 - beta2^t)
    Kokkos::parallel_for(
        "torus::nn::Adam::step", Kokkos::RangePolicy<ExecutionSpace>(0, p.size()),
        KOKKOS_LAMBDA(const std::int64_t i) {
          const T g = grad[i] + l2 * theta[i];
          const T th = shrink * theta[i];
          const T mi = beta1 * m[i] + (T(1) - beta1) * g;
          const T vi = beta2 * v[i] + (T(1) - beta2) * g * g;
          m[i] = mi;
          v[i] = vi;
          theta[i] = th - step_size * mi / (math::sqrt(vi) / bias_correction2_sqrt + eps);
        });
  }
}

template <class T>
nlohmann::json AdamUpdate<T>::config() const {
  return {{"kind", this->kind()},
          {"lr", this->learning_rate_},
          {"betas", {options_.beta1, options_.beta2}},
          {"eps", options_.eps},
          {"weight_decay", options_.weight_decay}};
}

template <class T>
NamedTensors<T> AdamUpdate<T>::state() {
  NamedTensors<T> all;
  for (std::size_t k = 0; k < this->parameters_.size(); ++k) {
    const auto& name = this->parameters_[k].first;
    all.emplace_back(name + ".exp_avg", exp_avg_[k]);
    all.emplace_back(name + ".exp_avg_sq", exp_avg_sq_[k]);
  }
  return all;
}

template class AdamUpdate<float>;
template class AdamUpdate<double>;

}  // namespace detail

template <class T>
Adam<T>::Adam(NamedParameters<T> parameters, const AdamOptions& options)
    : detail::AdamUpdate<T>(std::move(parameters), options, false, "nn::Adam") {}

template <class T>
AdamW<T>::AdamW(NamedParameters<T> parameters, const AdamWOptions& options)
    : detail::AdamUpdate<T>(std::move(parameters), options, true, "nn::AdamW") {}

template class Optimizer<float>;
template class Optimizer<double>;
template class Adam<float>;
template class Adam<double>;
template class AdamW<float>;
template class AdamW<double>;

}  // namespace torus::nn
