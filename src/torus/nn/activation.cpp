#include "torus/nn/activation.hpp"

#include <cmath>

#include "torus/core/vector_clones.hpp"

namespace torus::nn {

namespace {

// The functions and derivatives of the file comment, one struct each so the kernels below
// are instantiated per function with the formula inlined.
struct Gelu {
  template <class T>
  KOKKOS_INLINE_FUNCTION static T value(T x, T) {
    return T(0.5) * x * (T(1) + detail::erf_of(x * T(0.70710678118654752440)));
  }
  template <class T>
  KOKKOS_INLINE_FUNCTION static T derivative(T x, T) {
    const T cdf = T(0.5) * (T(1) + detail::erf_of(x * T(0.70710678118654752440)));
    const T pdf = T(0.39894228040143267794) * detail::exp_nonpositive_of(T(-0.5) * x * x);
    return cdf + x * pdf;
  }
};

struct Relu {
  template <class T>
  KOKKOS_INLINE_FUNCTION static T value(T x, T) {
    return x > T(0) ? x : T(0);
  }
  template <class T>
  KOKKOS_INLINE_FUNCTION static T derivative(T x, T) {
    return x > T(0) ? T(1) : T(0);
  }
};

struct Silu {
  template <class T>
  KOKKOS_INLINE_FUNCTION static T value(T x, T) {
    return x / (T(1) + std::exp(-x));
  }
  template <class T>
  KOKKOS_INLINE_FUNCTION static T derivative(T x, T) {
    const T s = T(1) / (T(1) + std::exp(-x));
    return s * (T(1) + x * (T(1) - s));
  }
};

struct Sine {
  template <class T>
  KOKKOS_INLINE_FUNCTION static T value(T x, T w) {
    return std::sin(w * x);
  }
  template <class T>
  KOKKOS_INLINE_FUNCTION static T derivative(T x, T w) {
    return w * std::cos(w * x);
  }
};

template <class F, class T>
TORUS_VECTOR_CLONES void apply(T* x, std::int64_t n, T w) {
  Kokkos::parallel_for(
      "torus::nn::activation", Kokkos::RangePolicy<ExecutionSpace>(0, n),
      KOKKOS_LAMBDA(const std::int64_t i) { x[i] = F::value(x[i], w); });
}

template <class F, class T>
TORUS_VECTOR_CLONES void adjoint(const T* x, const T* dy, T* dx, std::int64_t n, T w) {
  Kokkos::parallel_for(
      "torus::nn::activation_adjoint", Kokkos::RangePolicy<ExecutionSpace>(0, n),
      KOKKOS_LAMBDA(const std::int64_t i) { dx[i] = F::derivative(x[i], w) * dy[i]; });
}

}  // namespace

std::string to_string(ActivationKind kind) {
  switch (kind) {
    case ActivationKind::gelu:
      return "gelu";
    case ActivationKind::relu:
      return "relu";
    case ActivationKind::silu:
      return "silu";
    case ActivationKind::sin:
      return "sin";
  }
  return "unknown";
}

ActivationKind parse_activation(const std::string& name) {
  for (auto kind :
       {ActivationKind::gelu, ActivationKind::relu, ActivationKind::silu, ActivationKind::sin}) {
    if (name == to_string(kind)) return kind;
  }
  TORUS_THROW("unknown activation '" + name + "'", "activation", "use gelu, relu, silu or sin");
}

template <class T>
void apply_activation(ActivationKind kind, T* x, std::int64_t n, double frequency) {
  const T w = static_cast<T>(frequency);
  switch (kind) {
    case ActivationKind::gelu:
      return apply<Gelu>(x, n, w);
    case ActivationKind::relu:
      return apply<Relu>(x, n, w);
    case ActivationKind::silu:
      return apply<Silu>(x, n, w);
    case ActivationKind::sin:
      return apply<Sine>(x, n, w);
  }
}

template <class T>
void activation_adjoint(ActivationKind kind, const T* x, const T* dy, T* dx, std::int64_t n,
                        double frequency) {
  const T w = static_cast<T>(frequency);
  switch (kind) {
    case ActivationKind::gelu:
      return adjoint<Gelu>(x, dy, dx, n, w);
    case ActivationKind::relu:
      return adjoint<Relu>(x, dy, dx, n, w);
    case ActivationKind::silu:
      return adjoint<Silu>(x, dy, dx, n, w);
    case ActivationKind::sin:
      return adjoint<Sine>(x, dy, dx, n, w);
  }
}

template <class T>
Activation<T>::Activation(ActivationKind kind, double frequency)
    : function_(kind), frequency_(frequency) {
  TORUS_REQUIRE(std::isfinite(frequency) && frequency != 0.0,
                "sin activation frequency " + std::to_string(frequency), "nn::Activation",
                "give a finite non-zero frequency");
}

template <class T>
nlohmann::json Activation<T>::config() const {
  nlohmann::json c = {{"function", to_string(function_)}};
  if (function_ == ActivationKind::sin) c["frequency"] = frequency_;
  return c;
}

template <class T>
Tensor<T> Activation<T>::forward(const Tensor<T>& x) {
  Tensor<T> y = clone(x, "torus::nn::Activation output");
  apply_activation<T>(function_, y.data(), y.size(), frequency_);
  if (this->training()) inputs_.push_back(x);
  return y;
}

template <class T>
Tensor<T> Activation<T>::backward(const Tensor<T>& grad_y) {
  this->require_forward(!inputs_.empty());
  const Tensor<T> x = inputs_.back();
  inputs_.pop_back();
  require_shape(grad_y.shape(), x.shape(), "nn::Activation::backward", "the output gradient");
  auto grad_x = Tensor<T>::uninitialized(x.shape(), "torus::nn::Activation input gradient");
  activation_adjoint<T>(function_, x.data(), grad_y.data(), grad_x.data(), x.size(), frequency_);
  return grad_x;
}

template class Activation<float>;
template class Activation<double>;
template void apply_activation<float>(ActivationKind, float*, std::int64_t, double);
template void apply_activation<double>(ActivationKind, double*, std::int64_t, double);
template void activation_adjoint<float>(ActivationKind, const float*, const float*, float*,
                                        std::int64_t, double);
template void activation_adjoint<double>(ActivationKind, const double*, const double*, double*,
                                         std::int64_t, double);

}  // namespace torus::nn
