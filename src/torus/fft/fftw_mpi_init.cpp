#include "torus/fft/fftw_mpi_init.hpp"

#include <fftw3-mpi.h>

namespace torus::fft {

void ensure_fftw_threads_initialised() {
  static const bool done = [] {
    fftw_init_threads();
    fftwf_init_threads();
    return true;
  }();
  (void)done;
}

void ensure_fftw_mpi_initialised() {
  ensure_fftw_threads_initialised();
  static const bool done = [] {
    fftw_mpi_init();
    fftwf_mpi_init();
    return true;
  }();
  (void)done;
}

}  // namespace torus::fft
