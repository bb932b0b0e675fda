#pragma once
/// \file
/// torus::nn::gemm: the dense matrix product C = alpha op(A) op(B) + beta C on C-ordered
/// (row-major) matrices, the one seam through which the neural layers reach a BLAS.
///
/// op(A) is m x k, op(B) is k x n and C is m x n; op(M) is M or its transpose M^T. Row r of a
/// matrix M with leading dimension ldM starts at M + r * ldM. On memory spaces the host can
/// read, gemm calls the Fortran BLAS (sgemm_/dgemm_, OpenBLAS through Debian's libblas.so.3);
/// elsewhere (a device build of Kokkos) it runs a Kokkos kernel, detail::gemm_kokkos, which
/// tests also run on the host against the BLAS.
///
/// Threads: torus does not set the BLAS's thread count. OpenBLAS reads OPENBLAS_NUM_THREADS
/// (or OMP_NUM_THREADS); with MPI, set it to 1 so each rank runs one thread.

#include <cstdint>

namespace torus::nn {

/// Whether gemm multiplies by a matrix or by its transpose.
enum class Transpose { no, yes };

/// C(i, j) = alpha sum_l op(A)(i, l) op(B)(l, j) + beta C(i, j) for i < m, j < n, l < k, with
/// all three matrices C-ordered and in the memory space of torus's tensors. With beta = 0, C is
/// overwritten (its old values, even NaNs, are not read). Throws torus::Error for negative
/// extents or leading dimensions shorter than a row.
template <class T>
void gemm(Transpose trans_a, Transpose trans_b, std::int64_t m, std::int64_t n, std::int64_t k,
          T alpha, const T* A, std::int64_t lda, const T* B, std::int64_t ldb, T beta, T* C,
          std::int64_t ldc);

namespace detail {

/// gemm as a Kokkos kernel (one work item per entry of C): the path of non-host memory spaces.
/// Same contract as gemm, without the argument checks.
template <class T>
void gemm_kokkos(Transpose trans_a, Transpose trans_b, std::int64_t m, std::int64_t n,
                 std::int64_t k, T alpha, const T* A, std::int64_t lda, const T* B,
                 std::int64_t ldb, T beta, T* C, std::int64_t ldc);

/// gemm through the Fortran BLAS; host memory only. Same contract as gemm, without the checks;
/// throws torus::Error for extents beyond the BLAS's 32-bit integers.
template <class T>
void gemm_blas(Transpose trans_a, Transpose trans_b, std::int64_t m, std::int64_t n, std::int64_t k,
               T alpha, const T* A, std::int64_t lda, const T* B, std::int64_t ldb, T beta, T* C,
               std::int64_t ldc);

/// True when gemm takes the BLAS path for torus's memory space.
bool gemm_uses_blas();

}  // namespace detail

}  // namespace torus::nn
