#include "torus/nn/ema.hpp"

#include <cmath>

namespace torus::nn {

template <class T>
Ema<T>::Ema(NamedParameters<T> parameters, double decay) : parameters_(std::move(parameters)) {
  detail::require_named_parameters(parameters_, "nn::Ema");
  set_decay(decay);
  for (const auto& [name, p] : parameters_) {
    shadows_.push_back(clone(p->value, "torus::nn::Ema " + name));
  }
}

template <class T>
void Ema<T>::set_decay(double decay) {
  TORUS_REQUIRE(decay >= 0 && decay <= 1, "EMA decay " + std::to_string(decay), "nn::Ema",
                "give a decay in [0, 1] (0.999 is common)");
  decay_ = decay;
}

template <class T>
void Ema<T>::update() {
  TORUS_REQUIRE(!swapped_, "update() called while the averages are swapped in", "nn::Ema::update",
                "call swap() again before training on");
  const T d = static_cast<T>(decay_);
  const T one_minus_d = static_cast<T>(1 - decay_);
  for (std::size_t k = 0; k < parameters_.size(); ++k) {
    const T* theta = parameters_[k].second->value.data();
    T* s = shadows_[k].data();
    // s <- decay s + (1 - decay) theta
    Kokkos::parallel_for(
        "torus::nn::Ema::update", Kokkos::RangePolicy<ExecutionSpace>(0, shadows_[k].size()),
        KOKKOS_LAMBDA(const std::int64_t i) { s[i] = d * s[i] + one_minus_d * theta[i]; });
  }
}

template <class T>
void Ema<T>::swap() {
  for (std::size_t k = 0; k < parameters_.size(); ++k) {
    T* theta = parameters_[k].second->value.data();
    T* s = shadows_[k].data();
    // (theta, s) <- (s, theta)
    Kokkos::parallel_for(
        "torus::nn::Ema::swap", Kokkos::RangePolicy<ExecutionSpace>(0, shadows_[k].size()),
        KOKKOS_LAMBDA(const std::int64_t i) {
          const T live = theta[i];
          theta[i] = s[i];
          s[i] = live;
        });
  }
  swapped_ = !swapped_;
}

template <class T>
NamedTensors<T> Ema<T>::state() {
  NamedTensors<T> all;
  for (std::size_t k = 0; k < parameters_.size(); ++k) {
    all.emplace_back(parameters_[k].first + ".ema", shadows_[k]);
  }
  return all;
}

template class Ema<float>;
template class Ema<double>;

}  // namespace torus::nn
