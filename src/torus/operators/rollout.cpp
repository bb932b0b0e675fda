#include "torus/operators/rollout.hpp"

#include <cmath>
#include <string>
#include <vector>

#include "torus/nn/loss.hpp"

namespace torus::operators {

namespace {

using nn::Shape;
using nn::Tensor;

// The extent of one snapshot: the product of the axes after (batch, channel).
std::int64_t snapshot_size(const Shape& shape) {
  std::int64_t n = 1;
  for (std::size_t a = 2; a < shape.size(); ++a) n *= shape[a];
  return n;
}

Shape with_channels(Shape shape, std::int64_t channels) {
  shape[1] = channels;
  return shape;
}

// g_new(b, c, i) = g_h(b, c, i) + [c >= 1] g(b, c - 1, i): the input gradient of h_t plus the
// gradient h_{t+1} passes back through the shift.
template <class T>
void add_shifted(const Tensor<T>& g_h, const Tensor<T>& g) {
  const auto channels = g_h.extent(1);
  const auto inner = snapshot_size(g_h.shape());
  T* out = g_h.data();
  const T* in = g.data();
  Kokkos::parallel_for(
      "torus::operators::rollout_add_shifted",
      Kokkos::RangePolicy<nn::ExecutionSpace>(0, g_h.size()), KOKKOS_LAMBDA(const std::int64_t k) {
        const std::int64_t c = (k / inner) % channels;
        if (c >= 1) out[k] += in[k - inner];
      });
}

// dp(b, 0, i) += g(b, n_in - 1, i): the gradient the last channel of h_{t+1} holds for p_t.
template <class T>
void add_last_channel(const Tensor<T>& dp, const Tensor<T>& g) {
  const auto channels = g.extent(1);
  const auto inner = snapshot_size(g.shape());
  T* out = dp.data();
  const T* in = g.data();
  Kokkos::parallel_for(
      "torus::operators::rollout_add_last_channel",
      Kokkos::RangePolicy<nn::ExecutionSpace>(0, dp.size()), KOKKOS_LAMBDA(const std::int64_t k) {
        const std::int64_t b = k / inner, i = k % inner;
        out[k] += in[(b * channels + channels - 1) * inner + i];
      });
}

// h_{t+1} = [h_t[:, 1:], p_t].
template <class T>
Tensor<T> shifted(const Tensor<T>& h, const Tensor<T>& p) {
  auto next = Tensor<T>::uninitialized(h.shape(), "torus::operators::rollout window");
  const auto channels = h.extent(1);
  const auto inner = snapshot_size(h.shape());
  const T* hh = h.data();
  const T* pp = p.data();
  T* out = next.data();
  Kokkos::parallel_for(
      "torus::operators::rollout_shift", Kokkos::RangePolicy<nn::ExecutionSpace>(0, next.size()),
      KOKKOS_LAMBDA(const std::int64_t k) {
        const std::int64_t b = k / (channels * inner);
        const std::int64_t c = (k / inner) % channels, i = k % inner;
        out[k] = c + 1 < channels ? hh[k + inner] : pp[b * inner + i];
      });
  return next;
}

}  // namespace

namespace detail {

template <class T>
void copy_channels(const Tensor<T>& src, int first, const Tensor<T>& dst) {
  const auto src_channels = src.extent(1), count = dst.extent(1);
  const auto inner = snapshot_size(src.shape());
  TORUS_REQUIRE(src.rank() >= 3 && dst.shape() == with_channels(src.shape(), count) && first >= 0 &&
                    first + count <= src_channels,
                "cannot copy channels " + std::to_string(first) + ".." +
                    std::to_string(first + count) + " of " + nn::shape_text(src.shape()) +
                    " into " + nn::shape_text(dst.shape()),
                "operators::copy_channels", "pass (B, S, ...) and (B, count, ...)");
  const T* in = src.data();
  T* out = dst.data();
  Kokkos::parallel_for(
      "torus::operators::copy_channels", Kokkos::RangePolicy<nn::ExecutionSpace>(0, dst.size()),
      KOKKOS_LAMBDA(const std::int64_t k) {
        const std::int64_t b = k / (count * inner);
        const std::int64_t c = (k / inner) % count, i = k % inner;
        out[k] = in[(b * src_channels + first + c) * inner + i];
      });
}

template <class T>
void paste_channels(const Tensor<T>& src, const Tensor<T>& dst, int first) {
  const auto dst_channels = dst.extent(1), count = src.extent(1);
  const auto inner = snapshot_size(dst.shape());
  TORUS_REQUIRE(dst.rank() >= 3 && src.shape() == with_channels(dst.shape(), count) && first >= 0 &&
                    first + count <= dst_channels,
                "cannot paste " + nn::shape_text(src.shape()) + " at channel " +
                    std::to_string(first) + " of " + nn::shape_text(dst.shape()),
                "operators::paste_channels", "pass (B, count, ...) and (B, S, ...)");
  const T* in = src.data();
  T* out = dst.data();
  Kokkos::parallel_for(
      "torus::operators::paste_channels", Kokkos::RangePolicy<nn::ExecutionSpace>(0, src.size()),
      KOKKOS_LAMBDA(const std::int64_t k) {
        const std::int64_t b = k / (count * inner);
        const std::int64_t c = (k / inner) % count, i = k % inner;
        out[(b * dst_channels + first + c) * inner + i] = in[k];
      });
}

}  // namespace detail

template <class T>
RolloutResult<T> rollout(nn::Module<T>& model, const Tensor<T>& window, int input_steps, bool train,
                         std::int64_t global_batch) {
  TORUS_REQUIRE(window.rank() >= 3 && input_steps >= 1 && window.extent(1) > input_steps,
                "a window of shape " + nn::shape_text(window.shape()) + " for " +
                    std::to_string(input_steps) + " input steps",
                "operators::rollout",
                "pass (batch, steps, ...) windows with more steps than the model's inputs");
  const int output_steps = static_cast<int>(window.extent(1)) - input_steps;
  const Shape snapshot = with_channels(window.shape(), 1);
  model.train(train);

  RolloutResult<T> result;
  result.prediction =
      Tensor<T>::uninitialized(with_channels(window.shape(), output_steps), "rollout prediction");
  Tensor<T> h = Tensor<T>::uninitialized(with_channels(window.shape(), input_steps), "window");
  detail::copy_channels(window, 0, h);

  std::vector<Tensor<T>> loss_gradients;
  for (int t = 0; t < output_steps; ++t) {
    const Tensor<T> p = model.forward(h);
    nn::require_shape(p.shape(), snapshot, "operators::rollout", "the model's output");
    auto target = Tensor<T>::uninitialized(snapshot, "rollout target");
    detail::copy_channels(window, input_steps + t, target);
    auto step_loss = nn::relative_l2(p, target, global_batch);
    result.loss += step_loss.value;
    detail::paste_channels(p, result.prediction, t);
    if (train) loss_gradients.push_back(step_loss.grad);
    if (t + 1 < output_steps) h = shifted(h, p);
  }
  if (!train) return result;

  Tensor<T> g;  // dL/dh_{t+1}; empty after the last step
  for (int t = output_steps - 1; t >= 0; --t) {
    Tensor<T> dp = loss_gradients[static_cast<std::size_t>(t)];
    if (!g.empty()) add_last_channel(dp, g);
    Tensor<T> g_h = model.backward(dp);
    if (!g.empty()) add_shifted(g_h, g);
    g = g_h;
  }
  return result;
}

template <class T>
double trajectory_relative_l2_sum(const Tensor<T>& prediction, const Tensor<T>& window) {
  const auto steps = prediction.extent(1);
  TORUS_REQUIRE(prediction.rank() == window.rank() && window.extent(1) >= steps &&
                    prediction.shape() == with_channels(window.shape(), steps),
                "predictions " + nn::shape_text(prediction.shape()) + " against a window " +
                    nn::shape_text(window.shape()),
                "operators::trajectory_relative_l2_sum",
                "compare (B, n_out, ...) predictions with (B, n_in + n_out, ...) windows");
  const auto batch = prediction.extent(0);
  const auto per_sample = steps * snapshot_size(prediction.shape());
  const auto window_channels = window.extent(1);
  const auto inner = snapshot_size(window.shape());
  const auto skip = window_channels - steps;
  const T* p = prediction.data();
  const T* w = window.data();
  double sum = 0.0;
  for (std::int64_t b = 0; b < batch; ++b) {
    // ||p_b - w_b||^2 and ||w_b||^2 over the last n_out snapshots of sample b.
    double error = 0.0, norm = 0.0;
    Kokkos::parallel_reduce(
        "torus::operators::trajectory_relative_l2",
        Kokkos::RangePolicy<nn::ExecutionSpace>(0, per_sample),
        KOKKOS_LAMBDA(const std::int64_t k, double& e, double& n) {
          const double truth = w[(b * window_channels + skip) * inner + k];
          const double d = static_cast<double>(p[b * per_sample + k]) - truth;
          e += d * d;
          n += truth * truth;
        },
        error, norm);
    TORUS_REQUIRE(norm > 0.0, "sample " + std::to_string(b) + " of the reference is zero",
                  "operators::trajectory_relative_l2_sum",
                  "relative errors need non-zero references");
    sum += std::sqrt(error / norm);
  }
  return sum;
}

#define TORUS_INSTANTIATE_ROLLOUT(T)                                                               \
  template RolloutResult<T> rollout<T>(nn::Module<T>&, const Tensor<T>&, int, bool, std::int64_t); \
  template double trajectory_relative_l2_sum<T>(const Tensor<T>&, const Tensor<T>&);               \
  template void detail::copy_channels<T>(const Tensor<T>&, int, const Tensor<T>&);                 \
  template void detail::paste_channels<T>(const Tensor<T>&, const Tensor<T>&, int);
TORUS_INSTANTIATE_ROLLOUT(float)
TORUS_INSTANTIATE_ROLLOUT(double)
#undef TORUS_INSTANTIATE_ROLLOUT

}  // namespace torus::operators
