#pragma once
/// \file
/// FFTW-MPI's one-time set-up, shared by every distributed grid and plan.

namespace torus::fft {

/// Calls fftw_mpi_init and fftwf_mpi_init once per process (MPI must be running).
void ensure_fftw_mpi_initialised();

}  // namespace torus::fft
