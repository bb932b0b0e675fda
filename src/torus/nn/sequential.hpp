#pragma once
/// \file
/// torus::nn::Sequential: a chain of modules f_n o ... o f_1 applied in order.
///
/// forward(x) computes x_k = f_k(x_{k-1}) for k = 1..n and returns x_n; by the chain rule the
/// adjoint is the children's adjoints in reverse order,
///   dx_{k-1} = (df_k/dx_{k-1})^T dx_k,   k = n..1,
/// each child accumulating its own parameter gradients. Children are named "0", "1", ... in the
/// order they were added, as in PyTorch's nn.Sequential, so parameters read "0.weight".
///
/// \code
/// nn::Sequential<float> net;
/// net.add(std::make_unique<nn::Linear<float>>(3, 64, key));
/// net.emplace<nn::Activation<float>>(nn::ActivationKind::gelu);
/// auto y = net.forward(x);
/// \endcode

#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "torus/nn/module.hpp"

namespace torus::nn {

/// Applies its children in order; see the file comment. With no children it is the identity.
template <class T>
class Sequential : public Module<T> {
 public:
  Sequential() = default;

  /// Appends `child` (which the chain now owns) and returns it. The child takes the chain's
  /// training mode. Throws torus::Error on a null pointer.
  template <class M>
  M& add(std::unique_ptr<M> child) {
    static_assert(std::is_base_of_v<Module<T>, M>, "Sequential<T> holds Module<T>s");
    TORUS_REQUIRE(child != nullptr, "a null module added to a Sequential", "nn::Sequential::add",
                  "pass a module made with std::make_unique");
    M& added = *child;
    added.train(this->training());
    children_.push_back(std::move(child));
    return added;
  }

  /// Builds a child of type M from `args` in place and appends it; returns it.
  template <class M, class... Args>
  M& emplace(Args&&... args) {
    return add(std::make_unique<M>(std::forward<Args>(args)...));
  }

  /// x_n = f_n(... f_1(x)); see the file comment.
  Tensor<T> forward(const Tensor<T>& x) override;
  /// The children's backward() in reverse order. Throws torus::Error (from a child) when no
  /// training forward() preceded it or the gradient's shape is wrong.
  Tensor<T> backward(const Tensor<T>& grad_y) override;
  std::string kind() const override { return "Sequential"; }
  /// {"children": [{"kind": ..., "config": ...}, ...]} in order.
  nlohmann::json config() const override;
  std::vector<std::pair<std::string, Module<T>*>> children() override;

  /// The number of children.
  std::size_t size() const { return children_.size(); }
  /// Child `index`; throws torus::Error when there is no such child.
  Module<T>& operator[](std::size_t index);

 private:
  std::vector<std::unique_ptr<Module<T>>> children_;
};

}  // namespace torus::nn
