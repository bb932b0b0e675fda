#include "torus/nn/norm.hpp"

#include "torus/core/math.hpp"

#include <cmath>
#include <string>

namespace torus::nn {

namespace {

// Where the M values of statistics set `row` live, and which affine index each has.
//
// LayerNorm: x seen as (outer, M, inner) around the normalised axes; set row = a * inner + s
// holds x(a, m, s), m = 0..M-1, and value m has affine index m.
struct LayerLayout {
  std::int64_t outer, M, inner;

  std::int64_t rows() const { return outer * inner; }
  std::int64_t affine_count() const { return M; }
  KOKKOS_INLINE_FUNCTION std::int64_t index(std::int64_t row, std::int64_t m) const {
    return ((row / inner) * M + m) * inner + row % inner;
  }
  KOKKOS_INLINE_FUNCTION std::int64_t affine(std::int64_t, std::int64_t m) const { return m; }
  // The values of affine index k are (row j, m = k) for j = 0..members-1.
  KOKKOS_INLINE_FUNCTION std::int64_t members() const { return outer * inner; }
  KOKKOS_INLINE_FUNCTION void member(std::int64_t k, std::int64_t j, std::int64_t& row,
                                     std::int64_t& m) const {
    row = j;
    m = k;
  }
};

// GroupNorm: x (B, C, S) with C = G Cg; set row = b * G + g is the contiguous block of the Cg
// channels of group g times the S points, m = (c mod Cg) S + s, and value m has affine index
// (its channel) c = g Cg + m / S.
struct GroupLayout {
  std::int64_t B, G, Cg, S, M;

  std::int64_t rows() const { return B * G; }
  std::int64_t affine_count() const { return G * Cg; }
  KOKKOS_INLINE_FUNCTION std::int64_t index(std::int64_t row, std::int64_t m) const {
    return row * M + m;
  }
  KOKKOS_INLINE_FUNCTION std::int64_t affine(std::int64_t row, std::int64_t m) const {
    return (row % G) * Cg + m / S;
  }
  // Channel c appears in the set of group c / Cg of every sample b, at its S points.
  KOKKOS_INLINE_FUNCTION std::int64_t members() const { return B * S; }
  KOKKOS_INLINE_FUNCTION void member(std::int64_t c, std::int64_t j, std::int64_t& row,
                                     std::int64_t& m) const {
    row = (j / S) * G + c / Cg;
    m = (c % Cg) * S + j % S;
  }
};

// mu = (1/M) sum_m x_m, var = (1/M) sum_m (x_m - mu)^2, r = 1 / sqrt(var + eps),
// y_m = gamma_k xhat_m + beta_k with xhat_m = (x_m - mu) r (gamma = 1, beta = 0 without affine).
// One work item per statistics set.
template <class T, class Layout>
void normalize_forward(const Layout& L, const T* x, const T* gamma, const T* beta, T* y,
                       double* mean, double* rstd, double eps) {
  const std::int64_t M = L.M;
  Kokkos::parallel_for(
      "torus::nn::normalize_forward", Kokkos::RangePolicy<ExecutionSpace>(0, L.rows()),
      KOKKOS_LAMBDA(const std::int64_t row) {
        double sum = 0.0;
        for (std::int64_t m = 0; m < M; ++m) sum += static_cast<double>(x[L.index(row, m)]);
        const double mu = sum / static_cast<double>(M);
        double squares = 0.0;
        for (std::int64_t m = 0; m < M; ++m) {
          const double d = static_cast<double>(x[L.index(row, m)]) - mu;
          squares += d * d;
        }
        const double r = 1.0 / math::sqrt(squares / static_cast<double>(M) + eps);
        mean[row] = mu;
        rstd[row] = r;
        for (std::int64_t m = 0; m < M; ++m) {
          const std::int64_t i = L.index(row, m);
          const T xhat = static_cast<T>((static_cast<double>(x[i]) - mu) * r);
          if (gamma) {
            const std::int64_t k = L.affine(row, m);
            y[i] = gamma[k] * xhat + beta[k];
          } else {
            y[i] = xhat;
          }
        }
      });
}

// g_m = gamma_k dy_m,  dx_m = (r / M) (M g_m - sum_n g_n - xhat_m sum_n g_n xhat_n).
// One work item per statistics set.
template <class T, class Layout>
void normalize_input_adjoint(const Layout& L, const T* x, const T* gamma, const double* mean,
                             const double* rstd, const T* dy, T* dx) {
  const std::int64_t M = L.M;
  Kokkos::parallel_for(
      "torus::nn::normalize_input_adjoint", Kokkos::RangePolicy<ExecutionSpace>(0, L.rows()),
      KOKKOS_LAMBDA(const std::int64_t row) {
        const double mu = mean[row];
        const double r = rstd[row];
        double sum_g = 0.0;
        double sum_g_xhat = 0.0;
        for (std::int64_t m = 0; m < M; ++m) {
          const std::int64_t i = L.index(row, m);
          const double g = static_cast<double>(dy[i]) *
                           (gamma ? static_cast<double>(gamma[L.affine(row, m)]) : 1.0);
          sum_g += g;
          sum_g_xhat += g * (static_cast<double>(x[i]) - mu) * r;
        }
        const double mean_g = sum_g / static_cast<double>(M);
        const double mean_g_xhat = sum_g_xhat / static_cast<double>(M);
        for (std::int64_t m = 0; m < M; ++m) {
          const std::int64_t i = L.index(row, m);
          const double g = static_cast<double>(dy[i]) *
                           (gamma ? static_cast<double>(gamma[L.affine(row, m)]) : 1.0);
          const double xhat = (static_cast<double>(x[i]) - mu) * r;
          dx[i] = static_cast<T>(r * (g - mean_g - xhat * mean_g_xhat));
        }
      });
}

// dgamma_k += sum dy xhat, dbeta_k += sum dy over the values of affine index k. One work item
// per k, so no two items write the same gradient.
template <class T, class Layout>
void normalize_affine_adjoint(const Layout& L, const T* x, const double* mean, const double* rstd,
                              const T* dy, T* dgamma, T* dbeta) {
  Kokkos::parallel_for(
      "torus::nn::normalize_affine_adjoint",
      Kokkos::RangePolicy<ExecutionSpace>(0, L.affine_count()),
      KOKKOS_LAMBDA(const std::int64_t k) {
        double sum_dy = 0.0;
        double sum_dy_xhat = 0.0;
        const std::int64_t n = L.members();
        for (std::int64_t j = 0; j < n; ++j) {
          std::int64_t row = 0, m = 0;
          L.member(k, j, row, m);
          const std::int64_t i = L.index(row, m);
          const double g = static_cast<double>(dy[i]);
          sum_dy += g;
          sum_dy_xhat += g * (static_cast<double>(x[i]) - mean[row]) * rstd[row];
        }
        dgamma[k] += static_cast<T>(sum_dy_xhat);
        dbeta[k] += static_cast<T>(sum_dy);
      });
}

void require_eps(double eps, const std::string& who) {
  TORUS_REQUIRE(std::isfinite(eps) && eps > 0.0, "eps = " + std::to_string(eps), who,
                "give a small positive eps (PyTorch's default is 1e-5)");
}

template <class T>
void fill_ones(Parameter<T>& p) {
  Kokkos::deep_copy(p.value.values(), T(1));
}

}  // namespace

// --- LayerNorm ---------------------------------------------------------------------------------

template <class T>
LayerNorm<T>::LayerNorm(Shape normalized_shape, double eps, bool affine, int axis)
    : normalized_shape_(std::move(normalized_shape)), eps_(eps), affine_(affine), axis_(axis) {
  TORUS_REQUIRE(!normalized_shape_.empty(), "an empty normalized_shape", "nn::LayerNorm",
                "give the extents of the axes to normalise over, e.g. {features}");
  for (const auto e : normalized_shape_) {
    TORUS_REQUIRE(e >= 1, "normalized_shape " + shape_text(normalized_shape_), "nn::LayerNorm",
                  "give extents of at least 1");
  }
  require_eps(eps, "nn::LayerNorm eps");
  TORUS_REQUIRE(axis >= -1, "a LayerNorm from axis " + std::to_string(axis), "nn::LayerNorm axis",
                "give -1 (the trailing axes) or the first normalised axis");
  if (affine) {
    weight_ = &this->add_parameter("weight", normalized_shape_);
    bias_ = &this->add_parameter("bias", normalized_shape_);
    fill_ones(*weight_);
  }
}

template <class T>
Parameter<T>& LayerNorm<T>::weight() {
  TORUS_REQUIRE(weight_, "this LayerNorm has no affine map", "nn::LayerNorm::weight",
                "build it with affine = true");
  return *weight_;
}

template <class T>
Parameter<T>& LayerNorm<T>::bias() {
  TORUS_REQUIRE(bias_, "this LayerNorm has no affine map", "nn::LayerNorm::bias",
                "build it with affine = true");
  return *bias_;
}

template <class T>
nlohmann::json LayerNorm<T>::config() const {
  return {
      {"normalized_shape", normalized_shape_}, {"eps", eps_}, {"affine", affine_}, {"axis", axis_}};
}

namespace {
LayerLayout layer_layout(const Shape& shape, const Shape& normalized, int axis) {
  const int rank = static_cast<int>(shape.size());
  const int count = static_cast<int>(normalized.size());
  const int first = axis < 0 ? rank - count : axis;
  bool fits = first >= 0 && first + count <= rank;
  for (int a = 0; fits && a < count; ++a) fits = shape[first + a] == normalized[a];
  TORUS_REQUIRE(
      fits,
      "an input of shape " + shape_text(shape) + " normalised over " + shape_text(normalized) +
          (axis < 0 ? std::string(" trailing axes") : " from axis " + std::to_string(axis)),
      "nn::LayerNorm::forward",
      "pass a tensor whose normalised axes have the module's normalized_shape");
  LayerLayout L{1, 1, 1};
  for (int a = 0; a < first; ++a) L.outer *= shape[a];
  for (int a = first; a < first + count; ++a) L.M *= shape[a];
  for (int a = first + count; a < rank; ++a) L.inner *= shape[a];
  return L;
}
}  // namespace

template <class T>
Tensor<T> LayerNorm<T>::forward(const Tensor<T>& x) {
  const auto L = layer_layout(x.shape(), normalized_shape_, axis_);
  auto y = Tensor<T>::uninitialized(x.shape(), "torus::nn::LayerNorm output");
  Tensor<double> mean({L.rows()}, "torus::nn::LayerNorm mean");
  Tensor<double> rstd({L.rows()}, "torus::nn::LayerNorm rstd");
  normalize_forward<T>(L, x.data(), affine_ ? weight_->value.data() : nullptr,
                       affine_ ? bias_->value.data() : nullptr, y.data(), mean.data(), rstd.data(),
                       eps_);
  if (this->training()) saved_.push_back({x, mean, rstd});
  return y;
}

template <class T>
Tensor<T> LayerNorm<T>::backward(const Tensor<T>& grad_y) {
  this->require_forward(!saved_.empty());
  const Saved s = saved_.back();
  saved_.pop_back();
  require_shape(grad_y.shape(), s.x.shape(), "nn::LayerNorm::backward", "the output gradient");
  const auto L = layer_layout(s.x.shape(), normalized_shape_, axis_);
  auto grad_x = Tensor<T>::uninitialized(s.x.shape(), "torus::nn::LayerNorm input gradient");
  normalize_input_adjoint<T>(L, s.x.data(), affine_ ? weight_->value.data() : nullptr,
                             s.mean.data(), s.rstd.data(), grad_y.data(), grad_x.data());
  if (affine_) {
    normalize_affine_adjoint<T>(L, s.x.data(), s.mean.data(), s.rstd.data(), grad_y.data(),
                                weight_->grad.data(), bias_->grad.data());
  }
  return grad_x;
}

// --- GroupNorm ---------------------------------------------------------------------------------

template <class T>
GroupNorm<T>::GroupNorm(int groups, int channels, double eps, bool affine)
    : groups_(groups), channels_(channels), eps_(eps), affine_(affine) {
  TORUS_REQUIRE(groups >= 1 && channels >= 1 && channels % groups == 0,
                std::to_string(channels) + " channels in " + std::to_string(groups) + " groups",
                "nn::GroupNorm", "give a number of groups that divides the number of channels");
  require_eps(eps, "nn::GroupNorm eps");
  if (affine) {
    weight_ = &this->add_parameter("weight", {channels});
    bias_ = &this->add_parameter("bias", {channels});
    fill_ones(*weight_);
  }
}

template <class T>
Parameter<T>& GroupNorm<T>::weight() {
  TORUS_REQUIRE(weight_, "this GroupNorm has no affine map", "nn::GroupNorm::weight",
                "build it with affine = true");
  return *weight_;
}

template <class T>
Parameter<T>& GroupNorm<T>::bias() {
  TORUS_REQUIRE(bias_, "this GroupNorm has no affine map", "nn::GroupNorm::bias",
                "build it with affine = true");
  return *bias_;
}

template <class T>
nlohmann::json GroupNorm<T>::config() const {
  return {{"groups", groups_}, {"channels", channels_}, {"eps", eps_}, {"affine", affine_}};
}

namespace {
GroupLayout group_layout(const Shape& shape, int groups, int channels) {
  TORUS_REQUIRE(
      shape.size() >= 2 && shape[1] == channels,
      "an input of shape " + shape_text(shape) + " for " + std::to_string(channels) + " channels",
      "nn::GroupNorm::forward", "pass a field (batch, channel, ...) with that many channels");
  GroupLayout L{shape[0], groups, channels / groups, 1, 0};
  for (std::size_t a = 2; a < shape.size(); ++a) L.S *= shape[a];
  L.M = L.Cg * L.S;
  return L;
}
}  // namespace

template <class T>
Tensor<T> GroupNorm<T>::forward(const Tensor<T>& x) {
  const auto L = group_layout(x.shape(), groups_, channels_);
  auto y = Tensor<T>::uninitialized(x.shape(), "torus::nn::GroupNorm output");
  Tensor<double> mean({L.rows()}, "torus::nn::GroupNorm mean");
  Tensor<double> rstd({L.rows()}, "torus::nn::GroupNorm rstd");
  normalize_forward<T>(L, x.data(), affine_ ? weight_->value.data() : nullptr,
                       affine_ ? bias_->value.data() : nullptr, y.data(), mean.data(), rstd.data(),
                       eps_);
  if (this->training()) saved_.push_back({x, mean, rstd});
  return y;
}

template <class T>
Tensor<T> GroupNorm<T>::backward(const Tensor<T>& grad_y) {
  this->require_forward(!saved_.empty());
  const Saved s = saved_.back();
  saved_.pop_back();
  require_shape(grad_y.shape(), s.x.shape(), "nn::GroupNorm::backward", "the output gradient");
  const auto L = group_layout(s.x.shape(), groups_, channels_);
  auto grad_x = Tensor<T>::uninitialized(s.x.shape(), "torus::nn::GroupNorm input gradient");
  normalize_input_adjoint<T>(L, s.x.data(), affine_ ? weight_->value.data() : nullptr,
                             s.mean.data(), s.rstd.data(), grad_y.data(), grad_x.data());
  if (affine_) {
    normalize_affine_adjoint<T>(L, s.x.data(), s.mean.data(), s.rstd.data(), grad_y.data(),
                                weight_->grad.data(), bias_->grad.data());
  }
  return grad_x;
}

template class LayerNorm<float>;
template class LayerNorm<double>;
template class GroupNorm<float>;
template class GroupNorm<double>;

}  // namespace torus::nn
