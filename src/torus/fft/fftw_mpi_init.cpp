#include "torus/fft/fftw_mpi_init.hpp"

#include <fftw3-mpi.h>

namespace torus::fft {

void ensure_fftw_mpi_initialised() {
  static const bool done = [] {
    fftw_mpi_init();
    fftwf_mpi_init();
    return true;
  }();
  (void)done;
}

}  // namespace torus::fft
