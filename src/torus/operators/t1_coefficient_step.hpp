#pragma once
/// \file
/// torus::operators::T1CoefficientStep: a DCT T1 that reads the coefficients of its input
/// instead of the fields, so data transformed once stays in frequency space for a whole
/// training run, rollouts included.
///
/// T1 computes y = F(analyse(lift(x~))) with x~ the input with its coordinate channels and
/// lift(z) = W z + b (per point). The transform acts on each channel alone, so it commutes
/// with the channel mixing:
///   analyse(lift(x~)) = W analyse(x~) + b (x) a1,       a1 = analyse(1),
/// where a1, the coefficients of the constant field 1, is sqrt(X Y) on the (0, 0) mode and 0
/// elsewhere for the orthonormal DCT. This module takes c = analyse(x) (B, Cin, M0, M1),
/// appends the constant coefficients of the coordinate channels, applies the right side above
/// with T1's own lift parameters and continues with T1::forward_lifted: the same prediction as
/// T1::forward(x) (to round-off) with no transform at all. Adjoint, with z the coefficients
/// the lift reads and u = W z + b (x) a1:
///   dz = W^T du,   dW += sum_{b,k} du(b, :, k) z(b, :, k)^T,   db(o) += sum_{b,k} du(b, o, k)
///   a1(k),
/// and dc is the first Cin channels of dz. The parameters are T1's: the T1 is this module's one
/// child ("t1"), so parameters(), zero_grad() and train() reach them.

#include "torus/operators/t1.hpp"

namespace torus::operators {

/// T1 on input coefficients (file comment); the T1 must outlive it.
template <class T>
class T1CoefficientStep : public nn::Module<T> {
 public:
  /// Throws torus::Error when `model` uses the rfft (its coefficient layout interleaves
  /// channels; only the DCT is supported).
  explicit T1CoefficientStep(T1<T>& model);

  /// T1::forward(x) given c = model.spectrum().analyse(x): (B, Cin, M0, M1) or (B, Cin, X, Y)
  /// with keep_high. Throws torus::Error for another shape.
  nn::Tensor<T> forward(const nn::Tensor<T>& c) override;
  nn::Tensor<T> backward(const nn::Tensor<T>& grad_y) override;
  std::string kind() const override { return "T1CoefficientStep"; }
  std::vector<std::pair<std::string, nn::Module<T>*>> children() override {
    return {{"t1", model_}};
  }

 private:
  T1<T>* model_;
  nn::Tensor<T> coordinates_;  // (1, 2, M): the coefficients of the coordinate channels
  nn::Tensor<T> ones_;         // (M,): a1 = analyse(1)
  std::vector<nn::Tensor<T>> inputs_;
};

}  // namespace torus::operators
