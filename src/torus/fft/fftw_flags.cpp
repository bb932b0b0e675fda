#include "torus/fft/fftw_flags.hpp"

#include <Kokkos_Core.hpp>

#include <cstdlib>
#include <string>

#include "torus/core/error.hpp"
#include "torus/core/log.hpp"
#include "torus/fft/fftw_mpi_init.hpp"

namespace torus::fft::detail {

int fftw_threads() {
  if (const char* value = std::getenv("TORUS_FFTW_THREADS"); value != nullptr && *value != '\0') {
    char* end = nullptr;
    const long threads = std::strtol(value, &end, 10);
    TORUS_REQUIRE(*end == '\0' && threads >= 1 && threads <= 4096,
                  "TORUS_FFTW_THREADS='" + std::string(value) + "' is not a thread count",
                  "TORUS_FFTW_THREADS", "set a positive integer, or unset it to follow Kokkos");
    return static_cast<int>(threads);
  }
  return Kokkos::DefaultHostExecutionSpace().concurrency();
}

unsigned prepare_planner(Planning planning) {
  ensure_fftw_threads_initialised();
  const int threads = fftw_threads();
  log::debug("fft: FFTW plans with {} thread(s)", threads);
  fftw_plan_with_nthreads(threads);
  fftwf_plan_with_nthreads(threads);
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
