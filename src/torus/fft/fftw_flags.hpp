#pragma once
/// \file
/// Getting FFTW ready to plan (detail of the FFTW engines): planner flags from torus's Planning
/// choice, and FFTW's thread count.

#include <fftw3.h>

#include "torus/fft/engine.hpp"

namespace torus::fft::detail {

/// The number of threads FFTW plans use: TORUS_FFTW_THREADS if set to a positive number,
/// otherwise the concurrency of Kokkos's default host execution space (1 for Serial, the
/// thread count of an OpenMP build), so FFTW runs as wide as the kernels around it.
int fftw_threads();

/// Makes FFTW's next plans use fftw_threads() threads (initialising FFTW's threads once) and
/// returns the planner flags for `planning`. Every engine calls it right before planning.
unsigned prepare_planner(Planning planning);

}  // namespace torus::fft::detail
