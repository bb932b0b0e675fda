#include "torus/nn/mlp.hpp"

#include <memory>
#include <string>

namespace torus::nn {

template <class T>
RandomKey MLP<T>::layer_key(RandomKey key, std::size_t l) {
  return RandomKey{key.seed, torus::detail::mix64(key.stream ^ 0x6d6c70ULL) + l};
}

template <class T>
MLP<T>::MLP(std::vector<int> widths, ActivationKind activation, RandomKey key, int axis)
    : widths_(std::move(widths)), activation_(activation), axis_(axis) {
  TORUS_REQUIRE(widths_.size() >= 2, "an MLP with " + std::to_string(widths_.size()) + " widths",
                "nn::MLP widths", "give the input width, any hidden widths and the output width");
  for (const int w : widths_) {
    TORUS_REQUIRE(w >= 1, "an MLP layer of width " + std::to_string(w), "nn::MLP widths",
                  "give widths of at least 1");
  }
  TORUS_REQUIRE(axis >= 0, "an MLP along axis " + std::to_string(axis), "nn::MLP axis",
                "give a non-negative axis (1 for channels or features)");
  const std::size_t maps = widths_.size() - 1;
  for (std::size_t l = 0; l < maps; ++l) {
    layers_.add(std::make_unique<Linear<T>>(widths_[l], widths_[l + 1], layer_key(key, l),
                                            LinearOptions{axis, true}));
    if (l + 1 < maps) layers_.add(std::make_unique<Activation<T>>(activation));
  }
}

template <class T>
nlohmann::json MLP<T>::config() const {
  return {{"widths", widths_}, {"activation", to_string(activation_)}, {"axis", axis_}};
}

template <class T>
Linear<T>& MLP<T>::linear(std::size_t l) {
  TORUS_REQUIRE(
      l + 1 < widths_.size(),
      "linear map " + std::to_string(l) + " of an MLP with " + std::to_string(widths_.size() - 1),
      "nn::MLP::linear", "index below widths().size() - 1");
  return static_cast<Linear<T>&>(layers_[2 * l]);
}

template class MLP<float>;
template class MLP<double>;

}  // namespace torus::nn
