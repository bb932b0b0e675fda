#include "torus/nn/clip.hpp"

#include <cmath>

#include "torus/core/error.hpp"

namespace torus::nn {

namespace {
template <class T>
void require_parameters(const std::vector<Parameter<T>*>& parameters, const std::string& who) {
  for (const auto* p : parameters) {
    TORUS_REQUIRE(p != nullptr, "a null parameter", who, "pass module.parameters()");
  }
}
}  // namespace

template <class T>
double gradient_norm(const std::vector<Parameter<T>*>& parameters) {
  require_parameters(parameters, "nn::gradient_norm");
  double sum = 0;
  for (const auto* p : parameters) {
    const T* g = p->grad.data();
    double part = 0;
    // part = sum_i g_i^2, in double
    Kokkos::parallel_reduce(
        "torus::nn::gradient_norm", Kokkos::RangePolicy<ExecutionSpace>(0, p->grad.size()),
        KOKKOS_LAMBDA(const std::int64_t i, double& acc) {
          const double gi = static_cast<double>(g[i]);
          acc += gi * gi;
        },
        part);
    sum += part;
  }
  return std::sqrt(sum);
}

template <class T>
double clip_grad_norm(const std::vector<Parameter<T>*>& parameters, double max_norm,
                      bool error_if_nonfinite) {
  TORUS_REQUIRE(max_norm >= 0, "max_norm " + std::to_string(max_norm), "nn::clip_grad_norm",
                "give max_norm >= 0");
  const double norm = gradient_norm(parameters);
  if (!std::isfinite(norm)) {
    TORUS_REQUIRE(!error_if_nonfinite, "the gradient norm is " + std::to_string(norm),
                  "nn::clip_grad_norm",
                  "look for a NaN or overflow in the loss; lower the learning rate");
    return norm;
  }
  // PyTorch scales by min(c, 1), so gradients with N just below max_norm (within 1e-6) shrink
  // slightly too; c >= 1 leaves them as they are.
  const double coefficient = max_norm / (norm + 1e-6);
  if (coefficient >= 1) return norm;
  const T c = static_cast<T>(coefficient);
  for (auto* p : parameters) {
    T* g = p->grad.data();
    // g <- c g,  c = max_norm / (N + 1e-6)
    Kokkos::parallel_for(
        "torus::nn::clip_grad_norm", Kokkos::RangePolicy<ExecutionSpace>(0, p->grad.size()),
        KOKKOS_LAMBDA(const std::int64_t i) { g[i] *= c; });
  }
  return norm;
}

template <class T>
void clip_grad_value(const std::vector<Parameter<T>*>& parameters, double clip_value) {
  TORUS_REQUIRE(clip_value >= 0, "clip_value " + std::to_string(clip_value), "nn::clip_grad_value",
                "give clip_value >= 0");
  require_parameters(parameters, "nn::clip_grad_value");
  const T v = static_cast<T>(clip_value);
  for (auto* p : parameters) {
    T* g = p->grad.data();
    // g <- min(max(g, -v), v)
    Kokkos::parallel_for(
        "torus::nn::clip_grad_value", Kokkos::RangePolicy<ExecutionSpace>(0, p->grad.size()),
        KOKKOS_LAMBDA(const std::int64_t i) { g[i] = g[i] < -v ? -v : (g[i] > v ? v : g[i]); });
  }
}

template double gradient_norm<float>(const std::vector<Parameter<float>*>&);
template double gradient_norm<double>(const std::vector<Parameter<double>*>&);
template double clip_grad_norm<float>(const std::vector<Parameter<float>*>&, double, bool);
template double clip_grad_norm<double>(const std::vector<Parameter<double>*>&, double, bool);
template void clip_grad_value<float>(const std::vector<Parameter<float>*>&, double);
template void clip_grad_value<double>(const std::vector<Parameter<double>*>&, double);

}  // namespace torus::nn
