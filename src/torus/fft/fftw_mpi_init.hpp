#pragma once
/// \file
/// FFTW's one-time set-up of its threads and MPI interfaces, shared by every grid and plan.

namespace torus::fft {

/// Calls fftw_init_threads and fftwf_init_threads once per process.
void ensure_fftw_threads_initialised();

/// Calls fftw_mpi_init and fftwf_mpi_init once per process (MPI must be running), after the
/// threads set-up, which FFTW requires to come first.
void ensure_fftw_mpi_initialised();

}  // namespace torus::fft
