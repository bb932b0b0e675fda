#include "torus/operators/t1_channel_mix.hpp"

#include <cmath>
#include <string>

namespace torus::operators {

namespace detail {

// Work items are (b, row, tile of kTile modes); the tile accumulates in registers over the
// summed channel, and every read (W(o, i, tile), x(b, i, tile)) is a contiguous run of modes, so
// the inner loop vectorises. Summing over channels outside and modes inside is the loop order
// that reads each weight once per sample and keeps the stride-1 axis innermost.
constexpr std::int64_t kTile = 32;

template <class T>
void mode_matmul(const T* W, const T* x, T* y, std::int64_t batch, int in, int out, std::int64_t K,
                 bool transpose) {
  // Forward rows are o (sum over i); adjoint rows are i (sum over o).
  const int rows = transpose ? in : out;
  const int sums = transpose ? out : in;
  const std::int64_t tiles = (K + kTile - 1) / kTile;
  Kokkos::parallel_for(
      "torus::operators::mode_matmul",
      Kokkos::RangePolicy<nn::ExecutionSpace>(0, batch * rows * tiles),
      KOKKOS_LAMBDA(const std::int64_t item) {
        const std::int64_t tile = item % tiles;
        const int r = static_cast<int>((item / tiles) % rows);
        const std::int64_t b = item / (tiles * rows);
        const std::int64_t k0 = tile * kTile;
        const std::int64_t len = K - k0 < kTile ? K - k0 : kTile;
        T acc[kTile];
        for (std::int64_t k = 0; k < len; ++k) acc[k] = T(0);
        for (int s = 0; s < sums; ++s) {
          // W(o, i, k) with (o, i) = (r, s) forward and (s, r) for the adjoint.
          const std::int64_t o = transpose ? s : r;
          const std::int64_t i = transpose ? r : s;
          const T* w = W + (o * in + i) * K + k0;
          const T* xs = x + (b * sums + s) * K + k0;
          for (std::int64_t k = 0; k < len; ++k) acc[k] += w[k] * xs[k];
        }
        T* yr = y + (b * rows + r) * K + k0;
        for (std::int64_t k = 0; k < len; ++k) yr[k] = acc[k];
      });
}

template <class T>
void accumulate_mode_matmul_gradient(const T* x, const T* dy, T* dW, std::int64_t batch, int in,
                                     int out, std::int64_t K) {
  // One work item per (o, i, tile): a sum over samples of products of contiguous mode runs.
  const std::int64_t tiles = (K + kTile - 1) / kTile;
  Kokkos::parallel_for(
      "torus::operators::accumulate_mode_matmul_gradient",
      Kokkos::RangePolicy<nn::ExecutionSpace>(0, static_cast<std::int64_t>(out) * in * tiles),
      KOKKOS_LAMBDA(const std::int64_t item) {
        const std::int64_t tile = item % tiles;
        const std::int64_t oi = item / tiles;
        const std::int64_t o = oi / in;
        const std::int64_t i = oi % in;
        const std::int64_t k0 = tile * kTile;
        const std::int64_t len = K - k0 < kTile ? K - k0 : kTile;
        T acc[kTile];
        for (std::int64_t k = 0; k < len; ++k) acc[k] = T(0);
        for (std::int64_t b = 0; b < batch; ++b) {
          const T* dyo = dy + (b * out + o) * K + k0;
          const T* xi = x + (b * in + i) * K + k0;
          for (std::int64_t k = 0; k < len; ++k) acc[k] += dyo[k] * xi[k];
        }
        T* w = dW + oi * K + k0;
        for (std::int64_t k = 0; k < len; ++k) w[k] += acc[k];
      });
}

}  // namespace detail

template <class T>
T1ChannelMix<T>::T1ChannelMix(int in, int out, std::array<int, 2> block, RandomKey key,
                              double bound)
    : in_(in), out_(out), block_(block) {
  TORUS_REQUIRE(in >= 1 && out >= 1 && block[0] >= 1 && block[1] >= 1,
                "a per-mode channel mix from " + std::to_string(in) + " to " + std::to_string(out) +
                    " channels on a block of " + std::to_string(block[0]) + " x " +
                    std::to_string(block[1]) + " modes",
                "operators::T1ChannelMix", "give at least one channel and one mode on each axis");
  weight_ = &this->add_parameter("weight", {out, in, block[0], block[1]});
  const double b = bound > 0.0 ? bound : 1.0 / std::sqrt(static_cast<double>(in));
  fill_uniform(weight_->value.values(), key, -b, b);
}

template <class T>
nlohmann::json T1ChannelMix<T>::config() const {
  return {{"in", in_}, {"out", out_}, {"block", block_}};
}

template <class T>
nn::Tensor<T> T1ChannelMix<T>::forward(const nn::Tensor<T>& x) {
  nn::require_shape(x.shape(), {-1, in_, block_[0], block_[1]}, "operators::T1ChannelMix::forward",
                    "the input block");
  const std::int64_t batch = x.extent(0);
  const std::int64_t K = static_cast<std::int64_t>(block_[0]) * block_[1];
  auto y = nn::Tensor<T>::uninitialized({batch, out_, block_[0], block_[1]},
                                        "torus::operators::T1ChannelMix output");
  detail::mode_matmul<T>(weight_->value.data(), x.data(), y.data(), batch, in_, out_, K, false);
  if (this->training()) inputs_.push_back(x);
  return y;
}

template <class T>
nn::Tensor<T> T1ChannelMix<T>::backward(const nn::Tensor<T>& grad_y) {
  this->require_forward(!inputs_.empty());
  const nn::Tensor<T> x = inputs_.back();
  inputs_.pop_back();
  const std::int64_t batch = x.extent(0);
  nn::require_shape(grad_y.shape(), {batch, out_, block_[0], block_[1]},
                    "operators::T1ChannelMix::backward", "the output gradient");
  const std::int64_t K = static_cast<std::int64_t>(block_[0]) * block_[1];
  auto grad_x =
      nn::Tensor<T>::uninitialized(x.shape(), "torus::operators::T1ChannelMix input gradient");
  detail::mode_matmul<T>(weight_->value.data(), grad_y.data(), grad_x.data(), batch, in_, out_, K,
                         true);
  detail::accumulate_mode_matmul_gradient<T>(x.data(), grad_y.data(), weight_->grad.data(), batch,
                                             in_, out_, K);
  return grad_x;
}

template class T1ChannelMix<float>;
template class T1ChannelMix<double>;
template void detail::mode_matmul<float>(const float*, const float*, float*, std::int64_t, int, int,
                                         std::int64_t, bool);
template void detail::mode_matmul<double>(const double*, const double*, double*, std::int64_t, int,
                                          int, std::int64_t, bool);
template void detail::accumulate_mode_matmul_gradient<float>(const float*, const float*, float*,
                                                             std::int64_t, int, int, std::int64_t);
template void detail::accumulate_mode_matmul_gradient<double>(const double*, const double*, double*,
                                                              std::int64_t, int, int, std::int64_t);

}  // namespace torus::operators
