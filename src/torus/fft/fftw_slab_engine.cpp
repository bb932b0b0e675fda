// FFTW-MPI over x slabs, one field at a time.
//
// Why one field at a time. FFTW-MPI can transform many fields in one call, but its "howmany"
// interleaves them point by point, (x, y, z, field), while torus keeps each field contiguous,
// (field, x, y, z), because every kernel and every local FFT wants that. Batching through
// FFTW-MPI would therefore cost a full transpose of the batch before and after each
// transform, on top of FFTW-MPI's own. Distributed grids are the solvers' case, where a rank
// holds a few large fields, so the per-field all-to-all is large enough that its latency does
// not matter. (Many small fields are the training case, which uses undistributed grids and the
// local engine.) What stays is one copy per field into FFTW-MPI's padded real layout, which
// r2c requires even out of place, and one copy of the spectral block, because FFTW-MPI may
// need more room than the block itself (alloc_local). benchmarks/fft measures what they cost.

#include <fftw3-mpi.h>

#include <array>
#include <memory>
#include <string>

#include "torus/core/error.hpp"
#include "torus/fft/engine.hpp"
#include "torus/fft/fftw_api.hpp"
#include "torus/fft/fftw_flags.hpp"
#include "torus/fft/fftw_mpi_init.hpp"

namespace torus::fft::detail {
namespace {

using HostSpace = Kokkos::DefaultHostExecutionSpace;

template <class T, int Dim>
class FftwSlabEngine final : public Engine<T> {
  using api = Fftw<T>;

 public:
  FftwSlabEngine(const Grid<Dim>& grid, int fields, const PlanOptions& options)
      : fields_(fields),
        local_points_(grid.local_points()),
        local_spectral_points_(grid.local_spectral_points()) {
    ensure_fftw_mpi_initialised();
    std::array<ptrdiff_t, Dim> n;
    std::array<ptrdiff_t, Dim> complex_n;
    for (int a = 0; a < Dim; ++a) n[a] = complex_n[a] = grid.extents()[a];
    complex_n[Dim - 1] = n[Dim - 1] / 2 + 1;
    row_length_ = n[Dim - 1];
    padded_row_length_ = 2 * complex_n[Dim - 1];
    rows_ = grid.local_points() / row_length_;

    ptrdiff_t local_n0, local_0_start, local_n1, local_1_start;
    const ptrdiff_t alloc_local = api::mpi_local_size_many_transposed(
        Dim, complex_n.data(), 1, FFTW_MPI_DEFAULT_BLOCK, FFTW_MPI_DEFAULT_BLOCK, grid.comm(),
        &local_n0, &local_0_start, &local_n1, &local_1_start);
    // Padded real input and complex output are separate arrays: out of place, FFTW-MPI may
    // scribble on its input, which is our own scratch.
    real_ = api::alloc_real(static_cast<size_t>(2 * alloc_local));
    complex_ = api::alloc_complex(static_cast<size_t>(alloc_local));
    TORUS_REQUIRE(real_ != nullptr && complex_ != nullptr,
                  "out of memory for FFTW-MPI buffers on grid " + grid.describe(), "fft::Plan",
                  "run on more ranks");

    const unsigned flags = prepare_planner(options.planning) | FFTW_DESTROY_INPUT;
    const unsigned forward_layout = grid.transposed() ? FFTW_MPI_TRANSPOSED_OUT : 0;
    const unsigned backward_layout = grid.transposed() ? FFTW_MPI_TRANSPOSED_IN : 0;
    forward_ =
        api::mpi_plan_many_r2c(Dim, n.data(), 1, FFTW_MPI_DEFAULT_BLOCK, FFTW_MPI_DEFAULT_BLOCK,
                               real_, complex_, grid.comm(), flags | forward_layout);
    backward_ =
        api::mpi_plan_many_c2r(Dim, n.data(), 1, FFTW_MPI_DEFAULT_BLOCK, FFTW_MPI_DEFAULT_BLOCK,
                               complex_, real_, grid.comm(), flags | backward_layout);
    TORUS_REQUIRE(forward_ != nullptr && backward_ != nullptr,
                  "FFTW-MPI could not plan a transform on grid " + grid.describe(), "fft::Plan",
                  "report this with the grid and number of ranks");
  }

  ~FftwSlabEngine() override {
    if (forward_ != nullptr) api::destroy(forward_);
    if (backward_ != nullptr) api::destroy(backward_);
    api::free(real_);
    api::free(complex_);
  }

  // The normalisation rides on the copies out of FFTW-MPI's buffers: no extra pass.
  void forward(const T* in, Kokkos::complex<T>* out, T scale) override {
    for (int field = 0; field < fields_; ++field) {
      pad(in + field * local_points_);
      HostSpace().fence();
      api::mpi_execute_r2c(forward_, real_, complex_);
      copy(reinterpret_cast<Kokkos::complex<T>*>(complex_), out + field * local_spectral_points_,
           local_spectral_points_, scale);
    }
    HostSpace().fence();
  }

  void backward(Kokkos::complex<T>* in, T* out, T scale) override {
    for (int field = 0; field < fields_; ++field) {
      copy(in + field * local_spectral_points_, reinterpret_cast<Kokkos::complex<T>*>(complex_),
           local_spectral_points_, T(1));
      HostSpace().fence();
      api::mpi_execute_c2r(backward_, complex_, real_);
      unpad(out + field * local_points_, scale);
    }
    HostSpace().fence();
  }

  const char* name() const override { return "fftw-mpi"; }

 private:
  // padded[row][i] = field[row][i] for i < n_last; FFTW-MPI's r2c rows hold 2 (n_last/2 + 1).
  void pad(const T* field) {
    T* padded = real_;
    const std::int64_t length = row_length_, padded_length = padded_row_length_;
    Kokkos::parallel_for("torus::fft::pad", Kokkos::RangePolicy<HostSpace>(0, rows_),
                         [=](std::int64_t row) {
                           for (std::int64_t i = 0; i < length; ++i)
                             padded[row * padded_length + i] = field[row * length + i];
                         });
  }

  void unpad(T* field, T scale) {
    const T* padded = real_;
    const std::int64_t length = row_length_, padded_length = padded_row_length_;
    Kokkos::parallel_for("torus::fft::unpad", Kokkos::RangePolicy<HostSpace>(0, rows_),
                         [=](std::int64_t row) {
                           for (std::int64_t i = 0; i < length; ++i)
                             field[row * length + i] = scale * padded[row * padded_length + i];
                         });
  }

  static void copy(const Kokkos::complex<T>* from, Kokkos::complex<T>* to, std::int64_t count,
                   T scale) {
    Kokkos::parallel_for("torus::fft::copy_spectral", Kokkos::RangePolicy<HostSpace>(0, count),
                         [=](std::int64_t i) { to[i] = scale * from[i]; });
  }

  int fields_;
  std::int64_t local_points_;
  std::int64_t local_spectral_points_;
  std::int64_t row_length_ = 0;
  std::int64_t padded_row_length_ = 0;
  std::int64_t rows_ = 0;
  T* real_ = nullptr;
  typename api::complex* complex_ = nullptr;
  typename api::plan forward_ = nullptr;
  typename api::plan backward_ = nullptr;
};

}  // namespace

template <class T, int Dim>
std::unique_ptr<Engine<T>> make_fftw_slab_engine(const Grid<Dim>& grid, int fields,
                                                 const PlanOptions& options) {
  return std::make_unique<FftwSlabEngine<T, Dim>>(grid, fields, options);
}

template std::unique_ptr<Engine<float>> make_fftw_slab_engine<float, 2>(const Grid<2>&, int,
                                                                        const PlanOptions&);
template std::unique_ptr<Engine<float>> make_fftw_slab_engine<float, 3>(const Grid<3>&, int,
                                                                        const PlanOptions&);
template std::unique_ptr<Engine<double>> make_fftw_slab_engine<double, 2>(const Grid<2>&, int,
                                                                          const PlanOptions&);
template std::unique_ptr<Engine<double>> make_fftw_slab_engine<double, 3>(const Grid<3>&, int,
                                                                          const PlanOptions&);

}  // namespace torus::fft::detail
