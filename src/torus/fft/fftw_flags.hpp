#pragma once
/// \file
/// FFTW planner flags from torus's Planning choice (detail of the FFTW engines).

#include <fftw3.h>

#include "torus/fft/engine.hpp"

namespace torus::fft::detail {

inline unsigned planner_flags(Planning planning) {
  switch (planning) {
    case Planning::estimate:
      return FFTW_ESTIMATE;
    case Planning::measure:
      return FFTW_MEASURE;
    case Planning::patient:
      return FFTW_PATIENT;
  }
  return FFTW_MEASURE;
}

}  // namespace torus::fft::detail
