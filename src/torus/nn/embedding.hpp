#pragma once
/// \file
/// Embeddings: a learned lookup table (PyTorch's nn.Embedding) and the fixed sinusoidal
/// embedding of a time or noise level (transformers, diffusion models).
///
/// Embedding: for a table E of shape (count, dim) and integer indices n_i,
///   y(i, c) = E(n_i, c),     dE(r, c) += sum_{i : n_i = r} dy(i, c),
/// and the indices get a zero gradient (they are not differentiable).
///
/// SinusoidalEmbedding: with half = floor(dim / 2) and f_j = exp(-ln(max_period) j / half),
///   y(b, j) = cos(t_b f_j),  y(b, half + j) = sin(t_b f_j),   j = 0..half-1,
/// and a last column of zeros when dim is odd (as guided-diffusion's timestep_embedding). The
/// adjoint is
///   dt_b = sum_j f_j (-sin(t_b f_j) dy(b, j) + cos(t_b f_j) dy(b, half + j)).

#include <cstdint>
#include <vector>

#include "torus/core/random.hpp"
#include "torus/nn/module.hpp"

namespace torus::nn {

/// A table of `count` learned vectors of length `dim` ("weight", (count, dim)), initialised
/// N(0, 1) as PyTorch. forward() takes a Tensor<T> of integer values in [0, count), shaped (B,)
/// or (B, L) (any shape S works), and returns S + (dim,). In float, indices are exact only up
/// to 2^24, so count is limited to that.
template <class T>
class Embedding : public Module<T> {
 public:
  /// Throws torus::Error when count or dim is below 1 or, for float, count exceeds 2^24.
  Embedding(std::int64_t count, int dim, RandomKey key);

  /// y(i, :) = E(n_i, :). Throws torus::Error for an empty input or when an index is not an
  /// integer in [0, count) (naming how many are bad and the first).
  Tensor<T> forward(const Tensor<T>& indices) override;
  /// Zeros for the indices; adds dy to the table rows they selected. The kernel runs one work
  /// item per table row, each scanning the indices, so no two items write the same entry.
  Tensor<T> backward(const Tensor<T>& grad_y) override;
  std::string kind() const override { return "Embedding"; }
  /// {"count": ..., "dim": ...}.
  nlohmann::json config() const override;

  std::int64_t count() const { return count_; }
  int dim() const { return dim_; }
  Parameter<T>& weight() { return *weight_; }

 private:
  std::int64_t count_;
  int dim_;
  Parameter<T>* weight_;
  std::vector<Tensor<T>> inputs_;
};

/// The sinusoidal embedding of the file comment: t shaped (B,) (any shape S works) to
/// S + (dim,). No parameters. The phases t f_j are computed in double, so a float t of a few
/// thousand keeps its embedding to float precision.
template <class T>
class SinusoidalEmbedding : public Module<T> {
 public:
  /// Throws torus::Error when dim < 2 or max_period <= 0.
  explicit SinusoidalEmbedding(int dim, double max_period = 10000.0);

  /// Throws torus::Error for an empty input.
  Tensor<T> forward(const Tensor<T>& t) override;
  Tensor<T> backward(const Tensor<T>& grad_y) override;
  std::string kind() const override { return "SinusoidalEmbedding"; }
  /// {"dim": ..., "max_period": ...}.
  nlohmann::json config() const override;

  int dim() const { return dim_; }

 private:
  int dim_;
  double max_period_;
  std::vector<Tensor<T>> inputs_;
};

}  // namespace torus::nn
