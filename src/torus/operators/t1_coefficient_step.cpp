#include "torus/operators/t1_coefficient_step.hpp"

#include <string>

namespace torus::operators {

template <class T>
T1CoefficientStep<T>::T1CoefficientStep(T1<T>& model) : model_(&model) {
  const auto& o = model.options();
  TORUS_REQUIRE(o.transform == T1Transform::dct,
                "a T1 with the " + to_string(o.transform) + " transform cannot read coefficients",
                "operators::T1CoefficientStep", "use the DCT (transform dct)");
  const int X = o.grid[0], Y = o.grid[1];
  // a1 = analyse(1), and the coefficients of the coordinate channels (zero input channels
  // with the coordinates appended, analysed, the last two channels kept).
  nn::Tensor<T> one({1, 1, X, Y}, "torus::operators::T1CoefficientStep one");
  Kokkos::deep_copy(one.values(), T(1));
  const auto a1 = model.spectrum().analyse(one);
  ones_ = a1.reshaped({a1.size()});
  if (!o.grid_coordinates) return;
  const auto with = model.with_coordinates(nn::Tensor<T>({1, o.in_channels, X, Y}));
  const auto all = model.spectrum().analyse(with);
  const std::int64_t M = a1.size();
  coordinates_ = nn::Tensor<T>({1, 2, a1.extent(2), a1.extent(3)},
                               "torus::operators::T1CoefficientStep coordinates");
  Kokkos::deep_copy(
      coordinates_.values(),
      Kokkos::subview(all.values(), std::make_pair(o.in_channels * M, (o.in_channels + 2) * M)));
}

template <class T>
nn::Tensor<T> T1CoefficientStep<T>::forward(const nn::Tensor<T>& c) {
  const auto& o = model_->options();
  const std::int64_t M = ones_.size();
  const std::int64_t M0 = model_->spectrum().coefficient_extents()[0];
  const std::int64_t M1 = model_->spectrum().coefficient_extents()[1];
  nn::require_shape(c.shape(), {-1, o.in_channels, M0, M1}, "operators::T1CoefficientStep",
                    "the input coefficients");
  const std::int64_t B = c.extent(0);
  const int in = o.in_channels + (o.grid_coordinates ? 2 : 0);

  // z = [c, coordinate coefficients]
  nn::Tensor<T> z = c;
  if (o.grid_coordinates) {
    z = nn::Tensor<T>::uninitialized({B, in, M0, M1}, "torus::operators::T1CoefficientStep z");
    const T* cc = c.data();
    const T* cq = coordinates_.data();
    T* zz = z.data();
    const int C = o.in_channels;
    Kokkos::parallel_for(
        "torus::operators::t1_coefficient_inputs",
        Kokkos::RangePolicy<nn::ExecutionSpace>(0, z.size()), KOKKOS_LAMBDA(const std::int64_t k) {
          const std::int64_t m = k % M;
          const int ch = static_cast<int>((k / M) % in);
          const std::int64_t b = k / (M * in);
          zz[k] = ch < C ? cc[(b * C + ch) * M + m] : cq[(ch - C) * M + m];
        });
  }

  // u(b, o, k) = sum_i W(o, i) z(b, i, k) + bias(o) a1(k)
  auto& lift = model_->lift();
  const int width = lift.out();
  auto u = nn::Tensor<T>::uninitialized({B, width, M0, M1}, "torus::operators::T1 lifted");
  nn::detail::apply_matrix<T>(lift.weight().value.data(), nullptr, z.data(), u.data(), B, in, width,
                              M, false);
  const T* bias = lift.bias().value.data();
  const T* a1 = ones_.data();
  T* uu = u.data();
  Kokkos::parallel_for(
      "torus::operators::t1_coefficient_bias", Kokkos::RangePolicy<nn::ExecutionSpace>(0, u.size()),
      KOKKOS_LAMBDA(const std::int64_t k) { uu[k] += bias[(k / M) % width] * a1[k % M]; });

  if (this->training()) inputs_.push_back(z);
  return model_->forward_lifted(u);
}

template <class T>
nn::Tensor<T> T1CoefficientStep<T>::backward(const nn::Tensor<T>& grad_y) {
  this->require_forward(!inputs_.empty());
  const nn::Tensor<T> z = inputs_.back();
  inputs_.pop_back();
  const auto& o = model_->options();
  auto& lift = model_->lift();
  const std::int64_t B = z.extent(0), M = ones_.size();
  const int in = static_cast<int>(z.extent(1)), width = lift.out();

  const nn::Tensor<T> du = model_->backward_lifted(grad_y);
  // dz = W^T du; dW += sum du z^T; db(o) += sum_{b,k} du(b, o, k) a1(k)
  auto dz = nn::Tensor<T>::uninitialized(z.shape(), "torus::operators::T1CoefficientStep dz");
  nn::detail::apply_matrix<T>(lift.weight().value.data(), nullptr, du.data(), dz.data(), B, width,
                              in, M, true);
  nn::detail::accumulate_matrix_gradient<T>(z.data(), du.data(), lift.weight().grad.data(), nullptr,
                                            B, in, width, M);
  const T* g = du.data();
  const T* a1 = ones_.data();
  T* db = lift.bias().grad.data();
  Kokkos::parallel_for(
      "torus::operators::t1_coefficient_bias_gradient",
      Kokkos::RangePolicy<nn::ExecutionSpace>(0, width), KOKKOS_LAMBDA(const int oc) {
        T sum = 0;
        for (std::int64_t b = 0; b < B; ++b) {
          const T* row = g + (b * width + oc) * M;
          for (std::int64_t m = 0; m < M; ++m) sum += row[m] * a1[m];
        }
        db[oc] += sum;
      });
  if (!o.grid_coordinates) return dz;

  // dc: the first Cin channels of dz (the coordinate coefficients are constants).
  const int C = o.in_channels;
  auto dc = nn::Tensor<T>::uninitialized({B, C, z.extent(2), z.extent(3)},
                                         "torus::operators::T1CoefficientStep dc");
  const T* dzz = dz.data();
  T* out = dc.data();
  Kokkos::parallel_for(
      "torus::operators::t1_coefficient_input_gradient",
      Kokkos::RangePolicy<nn::ExecutionSpace>(0, dc.size()), KOKKOS_LAMBDA(const std::int64_t k) {
        const std::int64_t m = k % M, bc = k / M;
        out[k] = dzz[((bc / C) * in + bc % C) * M + m];
      });
  return dc;
}

template class T1CoefficientStep<float>;
template class T1CoefficientStep<double>;

}  // namespace torus::operators
