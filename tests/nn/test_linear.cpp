// Linear against a hand-written loop y(a, o, s) = sum_i W(o, i) x(a, i, s) + b(o) along axes 1,
// 2 and 3 of a 4-D tensor and on (batch, features); its adjoint against finite differences in
// float64; the float forward against the double one; gradient accumulation; bad shapes. The
// gemm seam under it: the BLAS path and the Kokkos path each against a hand-written triple loop,
// with every transpose pair, padded leading dimensions and accumulation with beta = 1.
#include <gtest/gtest.h>

#include <vector>

#include "nn/support.hpp"
#include "torus/nn/gemm.hpp"
#include "torus/nn/gradient_check.hpp"
#include "torus/nn/linear.hpp"

namespace torus::nn {
namespace {

using testing::host;
using testing::max_abs;
using testing::max_difference;
using testing::random_tensor;

// The map written out: x seen as (outer, in, inner) around `axis`.
std::vector<double> reference(const std::vector<double>& W, const std::vector<double>& b,
                              const std::vector<double>& x, const Shape& shape, int axis, int out) {
  std::int64_t outer = 1, inner = 1;
  for (int a = 0; a < axis; ++a) outer *= shape[a];
  for (std::size_t a = axis + 1; a < shape.size(); ++a) inner *= shape[a];
  const std::int64_t in = shape[axis];
  std::vector<double> y(outer * out * inner);
  for (std::int64_t a = 0; a < outer; ++a) {
    for (int o = 0; o < out; ++o) {
      for (std::int64_t s = 0; s < inner; ++s) {
        double sum = b.empty() ? 0.0 : b[o];
        for (std::int64_t i = 0; i < in; ++i) sum += W[o * in + i] * x[(a * in + i) * inner + s];
        y[(a * out + o) * inner + s] = sum;
      }
    }
  }
  return y;
}

struct Case {
  Shape shape;
  int axis;
  int out;
  bool bias;
};

std::vector<Case> cases() {
  return {{{2, 3, 5, 4}, 1, 6, true}, {{2, 3, 5, 4}, 2, 2, true}, {{2, 3, 5, 4}, 3, 7, false},
          {{9, 4}, 1, 3, true},       {{2, 70, 3}, 2, 2, true},   {{3, 2, 67}, 1, 3, true},
          {{4, 5}, 1, 1, false}};
}

TEST(Linear, MatchesHandLoopAlongEachAxis) {
  for (const auto& c : cases()) {
    const int in = static_cast<int>(c.shape[c.axis]);
    Linear<double> linear(in, c.out, RandomKey{11, 2}, {c.axis, c.bias});
    const auto x = random_tensor<double>(c.shape, 3);
    const auto y = linear.forward(x);
    Shape expected = c.shape;
    expected[c.axis] = c.out;
    ASSERT_EQ(y.shape(), expected);
    const auto want = reference(host(linear.weight().value),
                                c.bias ? host(linear.bias().value) : std::vector<double>{}, host(x),
                                c.shape, c.axis, c.out);
    EXPECT_LT(max_difference(host(y), want), 1e-13) << shape_text(c.shape) << " axis " << c.axis;
  }
}

TEST(Linear, InitialisedUniformWithinPyTorchBound) {
  Linear<double> linear(16, 8, RandomKey{5, 0});
  const double bound = 1.0 / 4.0;
  const auto w = host(linear.weight().value);
  const auto b = host(linear.bias().value);
  EXPECT_LE(max_abs(w), bound);
  EXPECT_LE(max_abs(b), bound);
  EXPECT_GT(max_abs(w), 0.8 * bound);  // 128 draws fill the interval
  EXPECT_NE(w[0], b[0]);               // bias drawn past the weights, not the same numbers
}

TEST(Linear, GradientsMatchFiniteDifferences) {
  for (const auto& c : cases()) {
    const int in = static_cast<int>(c.shape[c.axis]);
    Linear<double> linear(in, c.out, RandomKey{11, 4}, {c.axis, c.bias});
    const auto report = check_gradients(linear, random_tensor<double>(c.shape, 8));
    EXPECT_LT(report.worst_error, 1e-7)
        << shape_text(c.shape) << " axis " << c.axis << ": " << report.worst;
    EXPECT_GT(report.checked, 10);
  }
}

TEST(Linear, BackwardAccumulatesParameterGradients) {
  Linear<double> linear(3, 2, RandomKey{1, 1});
  const auto x = random_tensor<double>({4, 3}, 2);
  const auto dy = random_tensor<double>({4, 2}, 3);
  linear.zero_grad();
  linear.forward(x);
  linear.backward(dy);
  const auto once = host(linear.weight().grad);
  linear.forward(x);
  linear.backward(dy);
  const auto twice = host(linear.weight().grad);
  for (std::size_t i = 0; i < once.size(); ++i) EXPECT_NEAR(twice[i], 2 * once[i], 1e-14);
  EXPECT_GT(max_abs(once), 0.0);
}

TEST(Linear, FloatForwardMatchesDouble) {
  for (const auto& c : cases()) {
    const int in = static_cast<int>(c.shape[c.axis]);
    // The same key gives the same weights rounded to float.
    Linear<double> exact(in, c.out, RandomKey{21, 0}, {c.axis, c.bias});
    Linear<float> single(in, c.out, RandomKey{21, 0}, {c.axis, c.bias});
    const auto x = random_tensor<double>(c.shape, 5);
    const auto y = host(exact.forward(x));
    const auto yf = host(single.forward(testing::cast<float>(x)));
    // Sums of `in` products of O(1) terms: a few float epsilons times sqrt(in) or so.
    EXPECT_LT(max_difference(yf, y), 1e-5 * (1 + max_abs(y))) << shape_text(c.shape);
  }
}

TEST(Linear, BadShapesThrow) {
  EXPECT_THROW(Linear<double>(0, 3, RandomKey{}), Error);
  EXPECT_THROW(Linear<double>(3, 0, RandomKey{}), Error);
  EXPECT_THROW(Linear<double>(3, 2, RandomKey{}, {-1, true}), Error);

  Linear<double> linear(3, 2, RandomKey{}, {2, true});
  EXPECT_THROW(linear.forward(Tensor<double>({2, 3, 4})), Error);   // axis 2 has 4 entries
  EXPECT_THROW(linear.forward(Tensor<double>({2, 3})), Error);      // no axis 2
  EXPECT_THROW(linear.backward(Tensor<double>({2, 4, 2})), Error);  // no forward before

  linear.forward(Tensor<double>({2, 4, 3}));
  EXPECT_THROW(linear.backward(Tensor<double>({2, 4, 3})), Error);  // wrong gradient shape

  Linear<double> no_bias(3, 2, RandomKey{}, {1, false});
  EXPECT_THROW(no_bias.bias(), Error);
  EXPECT_EQ(no_bias.parameters().size(), 1u);
  EXPECT_EQ(no_bias.config()["bias"], false);
}

TEST(Linear, EvaluationModeKeepsNothing) {
  Linear<double> linear(3, 2, RandomKey{});
  linear.train(false);
  linear.forward(Tensor<double>({1, 3}));
  EXPECT_THROW(linear.backward(Tensor<double>({1, 2})), Error);
}

// C = alpha op(A) op(B) + beta C written out on row-major host matrices.
std::vector<double> reference_gemm(bool ta, bool tb, int m, int n, int k, double alpha,
                                   const std::vector<double>& A, int lda,
                                   const std::vector<double>& B, int ldb, double beta,
                                   std::vector<double> C, int ldc) {
  for (int i = 0; i < m; ++i) {
    for (int j = 0; j < n; ++j) {
      double sum = 0;
      for (int l = 0; l < k; ++l) {
        sum += (ta ? A[l * lda + i] : A[i * lda + l]) * (tb ? B[j * ldb + l] : B[l * ldb + j]);
      }
      C[i * ldc + j] = alpha * sum + beta * C[i * ldc + j];
    }
  }
  return C;
}

template <class T>
void check_gemm_paths(double tolerance) {
  // Rectangular, with padded leading dimensions, so a swapped extent or stride shows.
  const int m = 5, n = 7, k = 3, pad = 2;
  for (const bool ta : {false, true}) {
    for (const bool tb : {false, true}) {
      for (const double beta : {0.0, 1.0, -0.5}) {
        const int lda = (ta ? m : k) + pad, ldb = (tb ? k : n) + pad, ldc = n + pad;
        const auto A = random_tensor<T>({(ta ? k : m) * lda}, 1);
        const auto B = random_tensor<T>({(tb ? n : k) * ldb}, 2);
        const auto C0 = random_tensor<T>({m * ldc}, 3);
        const auto hA = host(A), hB = host(B), hC = host(C0);
        const auto want =
            reference_gemm(ta, tb, m, n, k, 0.75, std::vector<double>(hA.begin(), hA.end()), lda,
                           std::vector<double>(hB.begin(), hB.end()), ldb, beta,
                           std::vector<double>(hC.begin(), hC.end()), ldc);
        const auto op_a = ta ? Transpose::yes : Transpose::no;
        const auto op_b = tb ? Transpose::yes : Transpose::no;
        auto blas = clone(C0, "blas");
        auto kokkos = clone(C0, "kokkos");
        auto seam = clone(C0, "seam");
        detail::gemm_blas<T>(op_a, op_b, m, n, k, T(0.75), A.data(), lda, B.data(), ldb, T(beta),
                             blas.data(), ldc);
        detail::gemm_kokkos<T>(op_a, op_b, m, n, k, T(0.75), A.data(), lda, B.data(), ldb, T(beta),
                               kokkos.data(), ldc);
        gemm<T>(op_a, op_b, m, n, k, T(0.75), A.data(), lda, B.data(), ldb, T(beta), seam.data(),
                ldc);
        // The padding between rows is never written.
        EXPECT_LT(max_difference(host(blas), want), tolerance) << ta << tb << " beta " << beta;
        EXPECT_LT(max_difference(host(kokkos), want), tolerance) << ta << tb << " beta " << beta;
        EXPECT_EQ(max_difference(host(seam), host(blas)), 0.0);
      }
    }
  }
}

TEST(Gemm, BlasAndKokkosPathsMatchHandLoop) {
  EXPECT_TRUE(detail::gemm_uses_blas());  // the host build takes the BLAS path
  check_gemm_paths<double>(1e-13);
  check_gemm_paths<float>(1e-5);
}

TEST(Gemm, BetaZeroIgnoresOldValuesAndBadArgumentsThrow) {
  // With beta = 0 the BLAS convention holds: NaNs already in C do not leak into it.
  auto A = testing::tensor<double>({4}, {1, 2, 3, 4});  // 2 x 2
  for (const bool use_blas : {true, false}) {
    auto C = testing::tensor<double>({4}, {NAN, NAN, NAN, NAN});
    if (use_blas) {
      detail::gemm_blas<double>(Transpose::no, Transpose::no, 2, 2, 2, 1.0, A.data(), 2, A.data(),
                                2, 0.0, C.data(), 2);
    } else {
      detail::gemm_kokkos<double>(Transpose::no, Transpose::no, 2, 2, 2, 1.0, A.data(), 2, A.data(),
                                  2, 0.0, C.data(), 2);
    }
    EXPECT_EQ(host(C), (std::vector<double>{7, 10, 15, 22})) << use_blas;
  }
  auto C = testing::tensor<double>({4}, {0, 0, 0, 0});
  EXPECT_THROW(gemm<double>(Transpose::no, Transpose::no, -1, 2, 2, 1.0, A.data(), 2, A.data(), 2,
                            0.0, C.data(), 2),
               Error);
  EXPECT_THROW(gemm<double>(Transpose::no, Transpose::no, 2, 2, 2, 1.0, A.data(), 1, A.data(), 2,
                            0.0, C.data(), 2),
               Error);  // lda shorter than a row of A
}

TEST(Linear, BlasPathMatchesKokkosKernelsOnFnoShapes) {
  // A channel-mixing layer as in FNO (batch, channel, x, y): forward and backward through the
  // seam (BLAS here), against the same products done by the Kokkos kernel one batch at a time.
  const int in = 6, out = 5;
  const Shape shape{3, in, 9, 8};
  const std::int64_t inner = 72;
  Linear<float> linear(in, out, RandomKey{3, 3});
  const auto x = random_tensor<float>(shape, 1);
  const auto dy = random_tensor<float>({3, out, 9, 8}, 2);
  linear.zero_grad();
  const auto y = linear.forward(x);
  const auto dx = linear.backward(dy);
  auto y_k = Tensor<float>({3, out, 9, 8});
  auto dx_k = Tensor<float>(shape);
  auto dW_k = Tensor<float>({out, in});
  const float* W = linear.weight().value.data();
  for (std::int64_t a = 0; a < 3; ++a) {
    detail::gemm_kokkos<float>(Transpose::no, Transpose::no, out, inner, in, 1.0f, W, in,
                               x.data() + a * in * inner, inner, 0.0f, y_k.data() + a * out * inner,
                               inner);
    detail::gemm_kokkos<float>(Transpose::yes, Transpose::no, in, inner, out, 1.0f, W, in,
                               dy.data() + a * out * inner, inner, 0.0f,
                               dx_k.data() + a * in * inner, inner);
    detail::gemm_kokkos<float>(Transpose::no, Transpose::yes, out, in, inner, 1.0f,
                               dy.data() + a * out * inner, inner, x.data() + a * in * inner, inner,
                               1.0f, dW_k.data(), in);
  }
  auto yk = host(y_k);
  const auto b = host(linear.bias().value);
  for (std::size_t e = 0; e < yk.size(); ++e) yk[e] += b[(e / inner) % out];
  EXPECT_LT(max_difference(host(y), yk), 1e-5);
  EXPECT_LT(max_difference(host(dx), host(dx_k)), 1e-5);
  EXPECT_LT(max_difference(host(linear.weight().grad), host(dW_k)), 1e-4);
}

}  // namespace
}  // namespace torus::nn
