#include "torus/nn/embedding.hpp"

#include <cmath>
#include <string>

#include "torus/core/math.hpp"

namespace torus::nn {

// --- Embedding ---------------------------------------------------------------------------------

template <class T>
Embedding<T>::Embedding(std::int64_t count, int dim, RandomKey key) : count_(count), dim_(dim) {
  TORUS_REQUIRE(
      count >= 1 && dim >= 1,
      "an embedding of " + std::to_string(count) + " vectors of length " + std::to_string(dim),
      "nn::Embedding", "give at least one vector of length at least 1");
  TORUS_REQUIRE(sizeof(T) >= 8 || count <= (std::int64_t{1} << 24),
                "a float embedding of " + std::to_string(count) +
                    " vectors, whose indices float cannot hold exactly",
                "nn::Embedding", "use at most 2^24 vectors in float, or double");
  weight_ = &this->add_parameter("weight", {count, dim});
  fill_normal(weight_->value.values(), key);
}

template <class T>
nlohmann::json Embedding<T>::config() const {
  return {{"count", count_}, {"dim", dim_}};
}

template <class T>
Tensor<T> Embedding<T>::forward(const Tensor<T>& indices) {
  TORUS_REQUIRE(indices.rank() >= 1 && indices.size() >= 1,
                "indices of shape " + shape_text(indices.shape()), "nn::Embedding::forward",
                "pass a tensor (B,) or (B, L) of integer indices");
  const T* n = indices.data();
  const std::int64_t N = indices.size();
  const double count = static_cast<double>(count_);

  // The number of bad indices (not an integer in [0, count)) and the first of them.
  std::int64_t bad = 0;
  std::int64_t first = N;
  Kokkos::parallel_reduce(
      "torus::nn::embedding_check", Kokkos::RangePolicy<ExecutionSpace>(0, N),
      KOKKOS_LAMBDA(const std::int64_t i, std::int64_t& b, std::int64_t& f) {
        const double v = static_cast<double>(n[i]);
        if (!(v >= 0.0 && v < count && v == static_cast<double>(static_cast<std::int64_t>(v)))) {
          ++b;
          if (i < f) f = i;
        }
      },
      bad, Kokkos::Min<std::int64_t>(first));
  if (bad > 0) {
    T value;
    Kokkos::deep_copy(value, Kokkos::subview(indices.values(), first));
    TORUS_THROW(std::to_string(bad) + " of " + std::to_string(N) +
                    " embedding indices are not integers in [0, " + std::to_string(count_) +
                    ") (the first is " + std::to_string(static_cast<double>(value)) +
                    " at flat position " + std::to_string(first) + ")",
                "nn::Embedding::forward indices",
                "pass integer-valued indices below the table size");
  }

  // y(i, c) = E(n_i, c)
  Shape shape = indices.shape();
  shape.push_back(dim_);
  auto y = Tensor<T>::uninitialized(shape, "torus::nn::Embedding output");
  const T* E = weight_->value.data();
  T* yv = y.data();
  const std::int64_t D = dim_;
  Kokkos::parallel_for(
      "torus::nn::embedding_forward", Kokkos::RangePolicy<ExecutionSpace>(0, N * D),
      KOKKOS_LAMBDA(const std::int64_t item) {
        const std::int64_t i = item / D;
        const std::int64_t c = item % D;
        yv[item] = E[static_cast<std::int64_t>(n[i]) * D + c];
      });
  if (this->training()) inputs_.push_back(indices);
  return y;
}

template <class T>
Tensor<T> Embedding<T>::backward(const Tensor<T>& grad_y) {
  this->require_forward(!inputs_.empty());
  const Tensor<T> indices = inputs_.back();
  inputs_.pop_back();
  Shape shape = indices.shape();
  shape.push_back(dim_);
  require_shape(grad_y.shape(), shape, "nn::Embedding::backward", "the output gradient");

  // dE(r, c) += sum_{i : n_i = r} dy(i, c): work item r scans the indices and adds the rows of
  // dy that selected it, so each table row has one writer (deterministic, no atomics).
  // TODO(nn): the scan costs count x N index reads; for tables of many thousand rows sort the
  // indices once (or use Kokkos atomics on a device) to make it N x dim.
  const T* n = indices.data();
  const T* dy = grad_y.data();
  T* dE = weight_->grad.data();
  const std::int64_t N = indices.size();
  const std::int64_t D = dim_;
  Kokkos::parallel_for(
      "torus::nn::embedding_adjoint", Kokkos::RangePolicy<ExecutionSpace>(0, count_),
      KOKKOS_LAMBDA(const std::int64_t r) {
        for (std::int64_t i = 0; i < N; ++i) {
          if (static_cast<std::int64_t>(n[i]) != r) continue;
          for (std::int64_t c = 0; c < D; ++c) dE[r * D + c] += dy[i * D + c];
        }
      });
  return Tensor<T>(indices.shape(), "torus::nn::Embedding index gradient");
}

// --- SinusoidalEmbedding -----------------------------------------------------------------------

template <class T>
SinusoidalEmbedding<T>::SinusoidalEmbedding(int dim, double max_period)
    : dim_(dim), max_period_(max_period) {
  TORUS_REQUIRE(dim >= 2, "a sinusoidal embedding of dimension " + std::to_string(dim),
                "nn::SinusoidalEmbedding dim", "give dim >= 2 (one cosine and one sine)");
  TORUS_REQUIRE(std::isfinite(max_period) && max_period > 0.0,
                "max_period = " + std::to_string(max_period), "nn::SinusoidalEmbedding",
                "give a positive period (10000 is the usual one)");
}

template <class T>
nlohmann::json SinusoidalEmbedding<T>::config() const {
  return {{"dim", dim_}, {"max_period", max_period_}};
}

template <class T>
Tensor<T> SinusoidalEmbedding<T>::forward(const Tensor<T>& t) {
  TORUS_REQUIRE(t.rank() >= 1 && t.size() >= 1, "times of shape " + shape_text(t.shape()),
                "nn::SinusoidalEmbedding::forward", "pass a tensor (B,) of times");
  Shape shape = t.shape();
  shape.push_back(dim_);
  auto y = Tensor<T>::uninitialized(shape, "torus::nn::SinusoidalEmbedding output");
  const T* tv = t.data();
  T* yv = y.data();
  const std::int64_t D = dim_;
  const std::int64_t half = dim_ / 2;
  const double log_period = std::log(max_period_);

  // f_j = exp(-ln(max_period) j / half); y(b, j) = cos(t_b f_j), y(b, half + j) = sin(t_b f_j),
  // y(b, dim - 1) = 0 when dim is odd.
  Kokkos::parallel_for(
      "torus::nn::sinusoidal_embedding", Kokkos::RangePolicy<ExecutionSpace>(0, t.size() * D),
      KOKKOS_LAMBDA(const std::int64_t item) {
        const std::int64_t b = item / D;
        const std::int64_t c = item % D;
        if (c >= 2 * half) {
          yv[item] = T(0);
          return;
        }
        const std::int64_t j = c < half ? c : c - half;
        const double f =
            math::exp(-log_period * static_cast<double>(j) / static_cast<double>(half));
        const double phase = static_cast<double>(tv[b]) * f;
        yv[item] = static_cast<T>(c < half ? math::cos(phase) : math::sin(phase));
      });
  if (this->training()) inputs_.push_back(t);
  return y;
}

template <class T>
Tensor<T> SinusoidalEmbedding<T>::backward(const Tensor<T>& grad_y) {
  this->require_forward(!inputs_.empty());
  const Tensor<T> t = inputs_.back();
  inputs_.pop_back();
  Shape shape = t.shape();
  shape.push_back(dim_);
  require_shape(grad_y.shape(), shape, "nn::SinusoidalEmbedding::backward", "the output gradient");
  auto grad_t = Tensor<T>::uninitialized(t.shape(), "torus::nn::SinusoidalEmbedding gradient");
  const T* tv = t.data();
  const T* dy = grad_y.data();
  T* dt = grad_t.data();
  const std::int64_t D = dim_;
  const std::int64_t half = dim_ / 2;
  const double log_period = std::log(max_period_);

  // dt_b = sum_j f_j (-sin(t_b f_j) dy(b, j) + cos(t_b f_j) dy(b, half + j)); one item per b.
  Kokkos::parallel_for(
      "torus::nn::sinusoidal_embedding_adjoint", Kokkos::RangePolicy<ExecutionSpace>(0, t.size()),
      KOKKOS_LAMBDA(const std::int64_t b) {
        double sum = 0.0;
        for (std::int64_t j = 0; j < half; ++j) {
          const double f =
              math::exp(-log_period * static_cast<double>(j) / static_cast<double>(half));
          const double phase = static_cast<double>(tv[b]) * f;
          sum += f * (-math::sin(phase) * static_cast<double>(dy[b * D + j]) +
                      math::cos(phase) * static_cast<double>(dy[b * D + half + j]));
        }
        dt[b] = static_cast<T>(sum);
      });
  return grad_t;
}

template class Embedding<float>;
template class Embedding<double>;
template class SinusoidalEmbedding<float>;
template class SinusoidalEmbedding<double>;

}  // namespace torus::nn
