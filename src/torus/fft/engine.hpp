#pragma once
/// \file
/// The backend seam of the FFT layer. A Plan owns one Engine, which performs unnormalised
/// transforms of all the fields of a batch on raw, contiguous memory. The FFTW engines serve
/// host memory; a device backend (cuFFT, hipFFT) is one more Engine and one more branch in
/// make_engine(), with no change to Plan's callers.

#include <Kokkos_Core.hpp>

#include <memory>

#include "torus/fft/grid.hpp"

namespace torus::fft {

/// How hard FFTW searches for a fast algorithm when a plan is made (FFTW_ESTIMATE,
/// FFTW_MEASURE, FFTW_PATIENT). Measuring takes from milliseconds to seconds, once per plan.
enum class Planning { estimate, measure, patient };

struct PlanOptions {
  Planning planning = Planning::measure;
};

namespace detail {

/// Transforms of `fields` contiguous fields laid out as the Grid says, multiplied by `scale`.
/// The scale is the engine's job so that it can be applied while the data is still in cache
/// (or folded into a copy the engine makes anyway) instead of in another pass over memory.
template <class T>
class Engine {
 public:
  virtual ~Engine() = default;
  /// out = scale * F[in]. in: fields x local physical slab (row-major); out: fields x local
  /// spectral block. `in` is not modified.
  virtual void forward(const T* in, Kokkos::complex<T>* out, T scale) = 0;
  /// out = scale * F^-1[in] (unnormalised inverse). in: fields x local spectral block,
  /// overwritten; out: fields x local physical slab.
  virtual void backward(Kokkos::complex<T>* in, T* out, T scale) = 0;
  /// A short name for logs and benchmarks ("fftw", "fftw-mpi").
  virtual const char* name() const = 0;
};

/// FFTW on one rank: one plan_many call over all fields.
template <class T, int Dim>
std::unique_ptr<Engine<T>> make_fftw_local_engine(const Grid<Dim>& grid, int fields,
                                                  const PlanOptions& options);

/// FFTW-MPI over the grid's communicator (slabs).
template <class T, int Dim>
std::unique_ptr<Engine<T>> make_fftw_slab_engine(const Grid<Dim>& grid, int fields,
                                                 const PlanOptions& options);

}  // namespace detail
}  // namespace torus::fft
