#include "torus/operators/t1_block.hpp"

#include <string>

namespace torus::operators {

namespace detail {

template <class T>
void add_into(T* y, const T* x, std::int64_t n) {
  Kokkos::parallel_for(
      "torus::operators::add_into", Kokkos::RangePolicy<nn::ExecutionSpace>(0, n),
      KOKKOS_LAMBDA(const std::int64_t i) { y[i] += x[i]; });
}

}  // namespace detail

namespace {

RandomKey child_key(RandomKey key, std::uint64_t child) {
  return RandomKey{key.seed, key.stream * 8 + child};
}

}  // namespace

template <class T>
T1Block<T>::T1Block(int width, std::array<int, 2> block, nn::ActivationKind activation,
                    RandomKey key)
    : width_(width),
      block_(block),
      activation_(activation),
      channel_mix_(width, width, block, child_key(key, 1)),
      mix_x_(block[0], block[0], child_key(key, 2), nn::LinearOptions{2, false}),
      mix_y_(block[1], block[1], child_key(key, 3), nn::LinearOptions{3, false}) {}

template <class T>
nlohmann::json T1Block<T>::config() const {
  return {{"width", width_}, {"block", block_}, {"activation", nn::to_string(activation_)}};
}

template <class T>
std::vector<std::pair<std::string, nn::Module<T>*>> T1Block<T>::children() {
  return {{"channel_mix", &channel_mix_}, {"mix_x", &mix_x_}, {"mix_y", &mix_y_}};
}

template <class T>
nn::Tensor<T> T1Block<T>::forward(const nn::Tensor<T>& h) {
  nn::require_shape(h.shape(), {-1, width_, block_[0], block_[1]}, "operators::T1Block::forward",
                    "the block of coefficients");
  // a = C h + Y X h
  nn::Tensor<T> a = channel_mix_.forward(h);
  const nn::Tensor<T> mixed = mix_y_.forward(mix_x_.forward(h));
  detail::add_into<T>(a.data(), mixed.data(), a.size());

  // h_out = h + act(a)
  nn::Tensor<T> out = nn::clone(a, "torus::operators::T1Block output");
  nn::apply_activation<T>(activation_, out.data(), out.size());
  detail::add_into<T>(out.data(), h.data(), out.size());
  if (this->training()) pre_activations_.push_back(a);
  return out;
}

template <class T>
nn::Tensor<T> T1Block<T>::backward(const nn::Tensor<T>& grad_out) {
  this->require_forward(!pre_activations_.empty());
  const nn::Tensor<T> a = pre_activations_.back();
  pre_activations_.pop_back();
  nn::require_shape(grad_out.shape(), a.shape(), "operators::T1Block::backward",
                    "the output gradient");

  // da = act'(a) dh_out;  dh = dh_out + C^T da + X^T Y^T da
  auto da = nn::Tensor<T>::uninitialized(a.shape(), "torus::operators::T1Block da");
  nn::activation_adjoint<T>(activation_, a.data(), grad_out.data(), da.data(), a.size());
  nn::Tensor<T> grad_h = channel_mix_.backward(da);
  const nn::Tensor<T> through_modes = mix_x_.backward(mix_y_.backward(da));
  detail::add_into<T>(grad_h.data(), through_modes.data(), grad_h.size());
  detail::add_into<T>(grad_h.data(), grad_out.data(), grad_h.size());
  return grad_h;
}

template class T1Block<float>;
template class T1Block<double>;
template void detail::add_into<float>(float*, const float*, std::int64_t);
template void detail::add_into<double>(double*, const double*, std::int64_t);

}  // namespace torus::operators
