// FFTW on one rank: the fields of a batch in plan_many calls, a cache-sized chunk at a time.
//
// The (batch, channel, x, y[, z]) layout keeps each field contiguous, which is exactly FFTW's
// "howmany" loop with unit stride and a distance of one field, so no data is moved before or
// after the transform. The batch is cut into chunks of about 1 MiB so that the normalisation
// (a multiply by 1/N or 1/sqrt N) runs while the chunk is still in the core's 2 MiB L2, instead
// of as another sweep over the whole batch in memory.

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "torus/core/error.hpp"
#include "torus/fft/engine.hpp"
#include "torus/fft/fftw_api.hpp"
#include "torus/fft/fftw_flags.hpp"

namespace torus::fft::detail {
namespace {

using HostSpace = Kokkos::DefaultHostExecutionSpace;
constexpr std::int64_t chunk_bytes = std::int64_t(1) << 20;

template <class T, int Dim>
class FftwLocalEngine final : public Engine<T> {
  using api = Fftw<T>;
  struct Plans {
    typename api::plan forward = nullptr;
    typename api::plan backward = nullptr;
  };

 public:
  FftwLocalEngine(const Grid<Dim>& grid, int fields, const PlanOptions& options)
      : fields_(fields), flags_(prepare_planner(options.planning)) {
    for (int a = 0; a < Dim; ++a) n_[a] = grid.extents()[a];
    real_points_ = grid.points();
    spectral_points_ = real_points_ / n_[Dim - 1] * (n_[Dim - 1] / 2 + 1);
    const std::int64_t field_bytes = (real_points_ + 2 * spectral_points_) * sizeof(T);
    // With FFTW threads each thread should still get a cache's worth.
    const std::int64_t bytes = chunk_bytes * fftw_threads();
    chunk_ = static_cast<int>(std::clamp<std::int64_t>(bytes / field_bytes, 1, fields));
    // Plan the shapes every call uses now, so the measuring cost is paid at construction.
    plans(chunk_, true);
    if (fields_ % chunk_ != 0) plans(fields_ % chunk_, true);
  }

  ~FftwLocalEngine() override {
    for (auto& [key, pair] : plans_) {
      if (pair.forward != nullptr) api::destroy(pair.forward);
      if (pair.backward != nullptr) api::destroy(pair.backward);
    }
  }

  void forward(const T* in, Kokkos::complex<T>* out, T scale) override {
    for (int first = 0; first < fields_; first += chunk_) {
      const int count = std::min(chunk_, fields_ - first);
      // FFTW takes non-const input, but an out-of-place r2c preserves it.
      T* input = const_cast<T*>(in) + first * real_points_;
      Kokkos::complex<T>* output = out + first * spectral_points_;
      api::execute_r2c(plans(count, aligned(input, output)).forward, input, api::cast(output));
      scale_chunk(output, count * spectral_points_, scale);
    }
  }

  void backward(Kokkos::complex<T>* in, T* out, T scale) override {
    for (int first = 0; first < fields_; first += chunk_) {
      const int count = std::min(chunk_, fields_ - first);
      Kokkos::complex<T>* input = in + first * spectral_points_;
      T* output = out + first * real_points_;
      api::execute_c2r(plans(count, aligned(output, input)).backward, api::cast(input), output);
      scale_chunk(output, count * real_points_, scale);
    }
  }

  const char* name() const override { return "fftw"; }

 private:
  template <class V>
  static void scale_chunk(V* data, std::int64_t count, T scale) {
    if (scale == T(1)) return;
    Kokkos::parallel_for("torus::fft::normalise", Kokkos::RangePolicy<HostSpace>(0, count),
                         [=](std::int64_t i) { data[i] *= scale; });
    HostSpace().fence();
  }

  // Plans are made on fftw_malloc'd arrays (alignment 0); other alignments, such as a subview
  // that starts mid-allocation or a chunk of odd-sized fields, use an FFTW_UNALIGNED variant.
  static bool aligned(T* real, Kokkos::complex<T>* complex) {
    return api::alignment_of(real) == 0 && api::alignment_of(reinterpret_cast<T*>(complex)) == 0;
  }

  const Plans& plans(int howmany, bool is_aligned) {
    auto key = std::make_pair(howmany, is_aligned);
    auto found = plans_.find(key);
    if (found != plans_.end()) return found->second;
    return plans_[key] = make_plans(howmany, is_aligned ? 0u : unsigned(FFTW_UNALIGNED));
  }

  Plans make_plans(int howmany, unsigned extra_flags) const {
    // Measuring plans overwrite their arrays, so plan on scratch memory, then free it: the
    // plans run later on the caller's Views through FFTW's new-array interface.
    T* real = api::alloc_real(static_cast<size_t>(real_points_ * howmany));
    auto* complex = api::alloc_complex(static_cast<size_t>(spectral_points_ * howmany));
    TORUS_REQUIRE(real != nullptr && complex != nullptr,
                  "out of memory while planning an FFT of " + std::to_string(howmany) + " fields",
                  "fft::Plan", "transform fewer fields at once");
    std::array<int, Dim> spectral_n = n_;
    spectral_n[Dim - 1] = n_[Dim - 1] / 2 + 1;
    Plans made;
    made.forward = api::plan_many_r2c(Dim, n_.data(), howmany, real, n_.data(), 1,
                                      static_cast<int>(real_points_), complex, spectral_n.data(), 1,
                                      static_cast<int>(spectral_points_), flags_ | extra_flags);
    made.backward = api::plan_many_c2r(Dim, n_.data(), howmany, complex, spectral_n.data(), 1,
                                       static_cast<int>(spectral_points_), real, n_.data(), 1,
                                       static_cast<int>(real_points_),
                                       flags_ | extra_flags | FFTW_DESTROY_INPUT);
    api::free(real);
    api::free(complex);
    TORUS_REQUIRE(made.forward != nullptr && made.backward != nullptr,
                  "FFTW could not plan the transform", "fft::Plan",
                  "report this with the grid and field count");
    return made;
  }

  std::array<int, Dim> n_;
  int fields_;
  int chunk_ = 1;
  unsigned flags_;
  std::int64_t real_points_ = 0;
  std::int64_t spectral_points_ = 0;
  std::map<std::pair<int, bool>, Plans> plans_;
};

}  // namespace

template <class T, int Dim>
std::unique_ptr<Engine<T>> make_fftw_local_engine(const Grid<Dim>& grid, int fields,
                                                  const PlanOptions& options) {
  return std::make_unique<FftwLocalEngine<T, Dim>>(grid, fields, options);
}

template std::unique_ptr<Engine<float>> make_fftw_local_engine<float, 2>(const Grid<2>&, int,
                                                                         const PlanOptions&);
template std::unique_ptr<Engine<float>> make_fftw_local_engine<float, 3>(const Grid<3>&, int,
                                                                         const PlanOptions&);
template std::unique_ptr<Engine<double>> make_fftw_local_engine<double, 2>(const Grid<2>&, int,
                                                                           const PlanOptions&);
template std::unique_ptr<Engine<double>> make_fftw_local_engine<double, 3>(const Grid<3>&, int,
                                                                           const PlanOptions&);

}  // namespace torus::fft::detail
