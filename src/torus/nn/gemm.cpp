#include "torus/nn/gemm.hpp"

#include <climits>
#include <cstddef>
#include <string>

#include "torus/core/error.hpp"
#include "torus/nn/tensor.hpp"

// The reference Fortran BLAS interface (libblas.so.3). The two trailing lengths are the hidden
// CHARACTER lengths of gfortran's calling convention; a C implementation (OpenBLAS) ignores them.
extern "C" {
void sgemm_(const char* transa, const char* transb, const int* m, const int* n, const int* k,
            const float* alpha, const float* a, const int* lda, const float* b, const int* ldb,
            const float* beta, float* c, const int* ldc, std::size_t, std::size_t);
void dgemm_(const char* transa, const char* transb, const int* m, const int* n, const int* k,
            const double* alpha, const double* a, const int* lda, const double* b, const int* ldb,
            const double* beta, double* c, const int* ldc, std::size_t, std::size_t);
}

namespace torus::nn {

namespace detail {

bool gemm_uses_blas() {
  return Kokkos::SpaceAccessibility<Kokkos::HostSpace, MemorySpace>::accessible;
}

// C(i, j) = alpha sum_l op(A)(i, l) op(B)(l, j) + beta C(i, j), with
// op(A)(i, l) = A[i lda + l] (or A[l lda + i] transposed) and op(B)(l, j) = B[l ldb + j] (or
// B[j ldb + l]). One work item per (i, j), j fastest so neighbouring items touch neighbouring C.
template <class T>
void gemm_kokkos(Transpose trans_a, Transpose trans_b, std::int64_t m, std::int64_t n,
                 std::int64_t k, T alpha, const T* A, std::int64_t lda, const T* B,
                 std::int64_t ldb, T beta, T* C, std::int64_t ldc) {
  const bool ta = trans_a == Transpose::yes;
  const bool tb = trans_b == Transpose::yes;
  const std::int64_t a_row = ta ? 1 : lda, a_col = ta ? lda : 1;
  const std::int64_t b_row = tb ? 1 : ldb, b_col = tb ? ldb : 1;
  Kokkos::parallel_for(
      "torus::nn::gemm", Kokkos::RangePolicy<ExecutionSpace>(0, m * n),
      KOKKOS_LAMBDA(const std::int64_t item) {
        const std::int64_t i = item / n;
        const std::int64_t j = item % n;
        T sum = 0;
        for (std::int64_t l = 0; l < k; ++l)
          sum += A[i * a_row + l * a_col] * B[l * b_row + j * b_col];
        T* c = C + i * ldc + j;
        *c = beta == T(0) ? alpha * sum : alpha * sum + beta * *c;
      });
}

namespace {

int blas_int(std::int64_t value, const char* what) {
  TORUS_REQUIRE(value <= INT_MAX,
                std::string("a matrix ") + what + " of " + std::to_string(value) +
                    " beyond the BLAS's 32-bit integers",
                "nn::gemm", "split the product into smaller ones");
  return static_cast<int>(value);
}

void fortran_gemm(const char* ta, const char* tb, const int* m, const int* n, const int* k,
                  const float* alpha, const float* a, const int* lda, const float* b,
                  const int* ldb, const float* beta, float* c, const int* ldc) {
  sgemm_(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, 1, 1);
}
void fortran_gemm(const char* ta, const char* tb, const int* m, const int* n, const int* k,
                  const double* alpha, const double* a, const int* lda, const double* b,
                  const int* ldb, const double* beta, double* c, const int* ldc) {
  dgemm_(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc, 1, 1);
}

}  // namespace

// A C-ordered matrix is the column-major storage of its transpose, so the row-major
// C = op(A) op(B) is the column-major C^T = op(B)^T op(A)^T: the BLAS is called with the
// operands and the extents m, n swapped and the transpose flags unchanged.
template <class T>
void gemm_blas(Transpose trans_a, Transpose trans_b, std::int64_t m, std::int64_t n, std::int64_t k,
               T alpha, const T* A, std::int64_t lda, const T* B, std::int64_t ldb, T beta, T* C,
               std::int64_t ldc) {
  if (m == 0 || n == 0) return;
  const char ta = trans_a == Transpose::yes ? 'T' : 'N';
  const char tb = trans_b == Transpose::yes ? 'T' : 'N';
  const int bm = blas_int(m, "extent"), bn = blas_int(n, "extent"), bk = blas_int(k, "extent");
  // The BLAS requires leading dimensions of at least 1 even when k = 0.
  const int blda = blas_int(lda > 0 ? lda : 1, "leading dimension");
  const int bldb = blas_int(ldb > 0 ? ldb : 1, "leading dimension");
  const int bldc = blas_int(ldc, "leading dimension");
  fortran_gemm(&tb, &ta, &bn, &bm, &bk, &alpha, B, &bldb, A, &blda, &beta, C, &bldc);
}

}  // namespace detail

template <class T>
void gemm(Transpose trans_a, Transpose trans_b, std::int64_t m, std::int64_t n, std::int64_t k,
          T alpha, const T* A, std::int64_t lda, const T* B, std::int64_t ldb, T beta, T* C,
          std::int64_t ldc) {
  TORUS_REQUIRE(m >= 0 && n >= 0 && k >= 0,
                "a matrix product of extents m = " + std::to_string(m) +
                    ", n = " + std::to_string(n) + ", k = " + std::to_string(k),
                "nn::gemm", "give non-negative extents");
  const std::int64_t a_cols = trans_a == Transpose::yes ? m : k;
  const std::int64_t b_cols = trans_b == Transpose::yes ? k : n;
  TORUS_REQUIRE(lda >= a_cols && ldb >= b_cols && ldc >= n && ldc >= 1,
                "leading dimensions lda = " + std::to_string(lda) +
                    ", ldb = " + std::to_string(ldb) + ", ldc = " + std::to_string(ldc) +
                    " shorter than the rows (" + std::to_string(a_cols) + ", " +
                    std::to_string(b_cols) + ", " + std::to_string(n) + ")",
                "nn::gemm", "give each matrix's row stride, at least its row length");
  if (detail::gemm_uses_blas()) {
    detail::gemm_blas<T>(trans_a, trans_b, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
  } else {
    detail::gemm_kokkos<T>(trans_a, trans_b, m, n, k, alpha, A, lda, B, ldb, beta, C, ldc);
  }
}

#define TORUS_NN_GEMM_INSTANTIATE(T)                                                          \
  template void gemm<T>(Transpose, Transpose, std::int64_t, std::int64_t, std::int64_t, T,    \
                        const T*, std::int64_t, const T*, std::int64_t, T, T*, std::int64_t); \
  template void detail::gemm_kokkos<T>(Transpose, Transpose, std::int64_t, std::int64_t,      \
                                       std::int64_t, T, const T*, std::int64_t, const T*,     \
                                       std::int64_t, T, T*, std::int64_t);                    \
  template void detail::gemm_blas<T>(Transpose, Transpose, std::int64_t, std::int64_t,        \
                                     std::int64_t, T, const T*, std::int64_t, const T*,       \
                                     std::int64_t, T, T*, std::int64_t);
TORUS_NN_GEMM_INSTANTIATE(float)
TORUS_NN_GEMM_INSTANTIATE(double)
#undef TORUS_NN_GEMM_INSTANTIATE

}  // namespace torus::nn
