#include "torus/nn/loss.hpp"

#include <cmath>
#include <string>

#include "torus/core/math.hpp"

namespace torus::nn {

namespace {

// Throws unless every value of `t` is finite, naming the count and the first bad position.
template <class T>
void require_finite(const Tensor<T>& t, const std::string& who, const std::string& role) {
  const T* v = t.data();
  const std::int64_t n = t.size();
  std::int64_t bad = 0;
  std::int64_t first = n;
  Kokkos::parallel_reduce(
      "torus::nn::loss_finite", Kokkos::RangePolicy<ExecutionSpace>(0, n),
      KOKKOS_LAMBDA(const std::int64_t i, std::int64_t& b, std::int64_t& f) {
        const double x = static_cast<double>(v[i]);
        if (!(x - x == 0.0)) {  // false for NaN and +-inf
          ++b;
          if (i < f) f = i;
        }
      },
      bad, Kokkos::Min<std::int64_t>(first));
  TORUS_REQUIRE(bad == 0,
                "the " + role + " holds " + std::to_string(bad) + " NaN or infinite values of " +
                    std::to_string(n) + " (the first at flat position " + std::to_string(first) +
                    ")",
                who, "check the data set and the model for a blow-up before the loss");
}

template <class T>
void require_pair(const Tensor<T>& p, const Tensor<T>& t, double scale, const std::string& who) {
  require_shape(t.shape(), p.shape(), who, "the target");
  TORUS_REQUIRE(p.rank() >= 1 && p.size() >= 1, "a prediction of shape " + shape_text(p.shape()),
                who, "pass non-empty tensors");
  TORUS_REQUIRE(std::isfinite(scale), "loss scale " + std::to_string(scale), who,
                "give a finite scale");
  require_finite(p, who, "prediction");
  require_finite(t, who, "target");
}

}  // namespace

template <class T>
LossResult<T> mse(const Tensor<T>& prediction, const Tensor<T>& target, double scale) {
  require_pair(prediction, target, scale, "nn::mse");
  const T* p = prediction.data();
  const T* t = target.data();
  const std::int64_t N = prediction.size();

  // L = (s / N) sum_i (p_i - t_i)^2
  double sum = 0.0;
  Kokkos::parallel_reduce(
      "torus::nn::mse", Kokkos::RangePolicy<ExecutionSpace>(0, N),
      KOKKOS_LAMBDA(const std::int64_t i, double& s) {
        const double d = static_cast<double>(p[i]) - static_cast<double>(t[i]);
        s += d * d;
      },
      sum);

  // dL/dp_i = (2 s / N) (p_i - t_i)
  LossResult<T> result;
  result.value = scale * sum / static_cast<double>(N);
  result.grad = Tensor<T>::uninitialized(prediction.shape(), "torus::nn::mse gradient");
  T* g = result.grad.data();
  const double factor = 2.0 * scale / static_cast<double>(N);
  Kokkos::parallel_for(
      "torus::nn::mse_gradient", Kokkos::RangePolicy<ExecutionSpace>(0, N),
      KOKKOS_LAMBDA(const std::int64_t i) {
        g[i] = static_cast<T>(factor * (static_cast<double>(p[i]) - static_cast<double>(t[i])));
      });
  return result;
}

template <class T>
LossResult<T> relative_l2(const Tensor<T>& prediction, const Tensor<T>& target,
                          std::int64_t batch_for_mean, double scale) {
  require_pair(prediction, target, scale, "nn::relative_l2");
  TORUS_REQUIRE(batch_for_mean == -1 || batch_for_mean >= 1,
                "batch_for_mean = " + std::to_string(batch_for_mean), "nn::relative_l2",
                "give -1 (the local batch) or the global batch size");
  const std::int64_t B = prediction.extent(0);
  const std::int64_t M = prediction.size() / B;
  const T* p = prediction.data();
  const T* t = target.data();

  // d_b = ||p_b - t_b||_2 and n_b = ||t_b||_2: one team per sample reduces its M entries.
  Kokkos::View<double*, MemorySpace> d("torus::nn::relative_l2 d", B);
  Kokkos::View<double*, MemorySpace> n("torus::nn::relative_l2 n", B);
  using Team = Kokkos::TeamPolicy<ExecutionSpace>;
  Kokkos::parallel_for(
      "torus::nn::relative_l2_norms", Team(B, Kokkos::AUTO),
      KOKKOS_LAMBDA(const Team::member_type& team) {
        const std::int64_t b = team.league_rank();
        double diff = 0.0;
        double norm = 0.0;
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, M),
            [&](const std::int64_t m, double& s) {
              const double e =
                  static_cast<double>(p[b * M + m]) - static_cast<double>(t[b * M + m]);
              s += e * e;
            },
            diff);
        Kokkos::parallel_reduce(
            Kokkos::TeamThreadRange(team, M),
            [&](const std::int64_t m, double& s) {
              const double v = static_cast<double>(t[b * M + m]);
              s += v * v;
            },
            norm);
        Kokkos::single(Kokkos::PerTeam(team), [&]() {
          d(b) = math::sqrt(diff);
          n(b) = math::sqrt(norm);
        });
      });

  // The zero-norm target samples: their relative error is undefined.
  std::int64_t zero = 0;
  std::int64_t first = B;
  Kokkos::parallel_reduce(
      "torus::nn::relative_l2_zero_targets", Kokkos::RangePolicy<ExecutionSpace>(0, B),
      KOKKOS_LAMBDA(const std::int64_t b, std::int64_t& z, std::int64_t& f) {
        if (n(b) == 0.0) {
          ++z;
          if (b < f) f = b;
        }
      },
      zero, Kokkos::Min<std::int64_t>(first));
  TORUS_REQUIRE(zero == 0,
                std::to_string(zero) + " target samples of " + std::to_string(B) +
                    " are zero (the first is sample " + std::to_string(first) +
                    "), so their relative error is undefined",
                "nn::relative_l2 target", "drop all-zero samples or use mse");

  // L = (s / B') sum_b d_b / n_b
  const double mean_over = static_cast<double>(batch_for_mean > 0 ? batch_for_mean : B);
  double sum = 0.0;
  Kokkos::parallel_reduce(
      "torus::nn::relative_l2", Kokkos::RangePolicy<ExecutionSpace>(0, B),
      KOKKOS_LAMBDA(const std::int64_t b, double& s) { s += d(b) / n(b); }, sum);

  // dL/dp_b = (s / B') (p_b - t_b) / (d_b n_b), and 0 for a sample with d_b = 0.
  LossResult<T> result;
  result.value = scale * sum / mean_over;
  result.grad = Tensor<T>::uninitialized(prediction.shape(), "torus::nn::relative_l2 gradient");
  T* g = result.grad.data();
  const double factor = scale / mean_over;
  Kokkos::parallel_for(
      "torus::nn::relative_l2_gradient", Kokkos::RangePolicy<ExecutionSpace>(0, B * M),
      KOKKOS_LAMBDA(const std::int64_t i) {
        const std::int64_t b = i / M;
        const double e = static_cast<double>(p[i]) - static_cast<double>(t[i]);
        g[i] = d(b) > 0.0 ? static_cast<T>(factor * e / (d(b) * n(b))) : T(0);
      });
  return result;
}

template LossResult<float> mse<float>(const Tensor<float>&, const Tensor<float>&, double);
template LossResult<double> mse<double>(const Tensor<double>&, const Tensor<double>&, double);
template LossResult<float> relative_l2<float>(const Tensor<float>&, const Tensor<float>&,
                                              std::int64_t, double);
template LossResult<double> relative_l2<double>(const Tensor<double>&, const Tensor<double>&,
                                                std::int64_t, double);

}  // namespace torus::nn
