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

/// How a plan on a split grid shares the work of a batch among the ranks.
/// - split_fields: every field is transformed by all ranks together (FFTW-MPI, one field at a
///   time). The default: fastest on the machines measured (benchmarks/RESULTS.md).
/// - whole_fields: each rank takes whole fields (one all-to-all), transforms them alone and
///   sends the spectra back as kx slabs (another). Needs an untransposed layout and at least as
///   many fields as ranks; otherwise the plan falls back to split_fields. Worth measuring on a
///   cluster, where it halves the all-to-alls of an untransposed transform.
enum class Distribution { split_fields, whole_fields };

struct PlanOptions {
  Planning planning = Planning::measure;
  Distribution distribution = Distribution::split_fields;
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

/// Whole fields moved to ranks and transformed there (see fftw_redistribute_engine.cpp).
template <class T, int Dim>
std::unique_ptr<Engine<T>> make_fftw_redistribute_engine(const Grid<Dim>& grid, int fields,
                                                         const PlanOptions& options);

/// True when the redistributing engine applies: a split, untransposed grid with at least as
/// many fields as ranks, and per-rank buffers MPI can address with int counts.
template <class T, int Dim>
bool redistribution_fits(const Grid<Dim>& grid, int fields);

}  // namespace detail
}  // namespace torus::fft
