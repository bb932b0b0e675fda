#include "torus/nn/sequential.hpp"

namespace torus::nn {

template <class T>
Tensor<T> Sequential<T>::forward(const Tensor<T>& x) {
  Tensor<T> y = x;
  for (auto& child : children_) y = child->forward(y);
  return y;
}

template <class T>
Tensor<T> Sequential<T>::backward(const Tensor<T>& grad_y) {
  Tensor<T> grad = grad_y;
  for (auto child = children_.rbegin(); child != children_.rend(); ++child) {
    grad = (*child)->backward(grad);
  }
  return grad;
}

template <class T>
nlohmann::json Sequential<T>::config() const {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& child : children_) {
    list.push_back({{"kind", child->kind()}, {"config", child->config()}});
  }
  return {{"children", list}};
}

template <class T>
std::vector<std::pair<std::string, Module<T>*>> Sequential<T>::children() {
  std::vector<std::pair<std::string, Module<T>*>> named;
  for (std::size_t i = 0; i < children_.size(); ++i) {
    named.emplace_back(std::to_string(i), children_[i].get());
  }
  return named;
}

template <class T>
Module<T>& Sequential<T>::operator[](std::size_t index) {
  TORUS_REQUIRE(
      index < children_.size(),
      "child " + std::to_string(index) + " of a Sequential of " + std::to_string(children_.size()),
      "nn::Sequential", "index below size()");
  return *children_[index];
}

template class Sequential<float>;
template class Sequential<double>;

}  // namespace torus::nn
