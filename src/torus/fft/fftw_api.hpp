#pragma once
/// \file
/// FFTW's C API for float and double behind one name (detail of the FFTW engines).

#include <fftw3-mpi.h>

#include <Kokkos_Core.hpp>

namespace torus::fft::detail {

template <class T>
struct Fftw;

#define TORUS_FFTW_API(REAL, PREFIX)                                                         \
  template <>                                                                                \
  struct Fftw<REAL> {                                                                        \
    using plan = PREFIX##_plan;                                                              \
    using complex = PREFIX##_complex;                                                        \
    using iodim = PREFIX##_iodim;                                                            \
    static complex* cast(Kokkos::complex<REAL>* p) { return reinterpret_cast<complex*>(p); } \
    static constexpr auto plan_many_r2c = PREFIX##_plan_many_dft_r2c;                        \
    static constexpr auto plan_many_c2r = PREFIX##_plan_many_dft_c2r;                        \
    static constexpr auto execute_r2c = PREFIX##_execute_dft_r2c;                            \
    static constexpr auto plan_guru_dft = PREFIX##_plan_guru_dft;                            \
    static constexpr auto execute_dft = PREFIX##_execute_dft;                                \
    static constexpr auto execute_c2r = PREFIX##_execute_dft_c2r;                            \
    static constexpr auto plan_r2r = PREFIX##_plan_many_r2r;                                 \
    static constexpr auto execute_r2r = PREFIX##_execute_r2r;                                \
    static constexpr auto destroy = PREFIX##_destroy_plan;                                   \
    static constexpr auto alloc_real = PREFIX##_alloc_real;                                  \
    static constexpr auto alloc_complex = PREFIX##_alloc_complex;                            \
    static constexpr auto free = PREFIX##_free;                                              \
    static constexpr auto alignment_of = PREFIX##_alignment_of;                              \
    static constexpr auto mpi_plan_many_r2c = PREFIX##_mpi_plan_many_dft_r2c;                \
    static constexpr auto mpi_plan_many_c2r = PREFIX##_mpi_plan_many_dft_c2r;                \
    static constexpr auto mpi_execute_r2c = PREFIX##_mpi_execute_dft_r2c;                    \
    static constexpr auto mpi_execute_c2r = PREFIX##_mpi_execute_dft_c2r;                    \
    static constexpr auto mpi_local_size_many_transposed =                                   \
        PREFIX##_mpi_local_size_many_transposed;                                             \
  };

TORUS_FFTW_API(double, fftw)
TORUS_FFTW_API(float, fftwf)
#undef TORUS_FFTW_API

}  // namespace torus::fft::detail
