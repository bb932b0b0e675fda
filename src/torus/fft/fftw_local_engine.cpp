// FFTW on one rank: all fields of a batch in one plan_many call.
//
// The (batch, channel, x, y[, z]) layout keeps each field contiguous, which is exactly FFTW's
// "howmany" loop with unit stride and a distance of one field, so no data is moved before or
// after the transform.

#include <array>
#include <memory>
#include <string>

#include "torus/core/error.hpp"
#include "torus/fft/engine.hpp"
#include "torus/fft/fftw_api.hpp"
#include "torus/fft/fftw_flags.hpp"

namespace torus::fft::detail {
namespace {

template <class T, int Dim>
class FftwLocalEngine final : public Engine<T> {
  using api = Fftw<T>;

 public:
  FftwLocalEngine(const Grid<Dim>& grid, int fields, const PlanOptions& options)
      : fields_(fields), flags_(planner_flags(options.planning)) {
    for (int a = 0; a < Dim; ++a) n_[a] = grid.extents()[a];
    real_points_ = grid.points();
    spectral_points_ = real_points_ / n_[Dim - 1] * (n_[Dim - 1] / 2 + 1);
    make_plans(0, forward_, backward_);
  }

  ~FftwLocalEngine() override {
    for (auto plan : {forward_, backward_, forward_unaligned_, backward_unaligned_}) {
      if (plan != nullptr) api::destroy(plan);
    }
  }

  void forward(const T* in, Kokkos::complex<T>* out) override {
    T* input = const_cast<T*>(in);  // FFTW takes non-const, but r2c out of place preserves it.
    auto plan = aligned(input, out) ? forward_ : unaligned().first;
    api::execute_r2c(plan, input, api::cast(out));
  }

  void backward(Kokkos::complex<T>* in, T* out) override {
    auto plan = aligned(out, in) ? backward_ : unaligned().second;
    api::execute_c2r(plan, api::cast(in), out);
  }

  const char* name() const override { return "fftw"; }

 private:
  // The plans were made on fftw_malloc'd arrays (alignment 0); other alignments, such as a
  // subview that starts mid-allocation, need the FFTW_UNALIGNED variant, made on first use.
  bool aligned(T* real, Kokkos::complex<T>* complex) const {
    return api::alignment_of(real) == 0 &&
           api::alignment_of(reinterpret_cast<T*>(complex)) == 0;
  }

  std::pair<typename api::plan, typename api::plan> unaligned() {
    if (forward_unaligned_ == nullptr) {
      make_plans(FFTW_UNALIGNED, forward_unaligned_, backward_unaligned_);
    }
    return {forward_unaligned_, backward_unaligned_};
  }

  void make_plans(unsigned extra_flags, typename api::plan& forward,
                  typename api::plan& backward) {
    // Measuring plans overwrite their arrays, so plan on scratch memory, then free it: the
    // plans are executed later on the caller's Views through FFTW's new-array interface.
    T* real = api::alloc_real(static_cast<size_t>(real_points_ * fields_));
    auto* complex = api::alloc_complex(static_cast<size_t>(spectral_points_ * fields_));
    TORUS_REQUIRE(real != nullptr && complex != nullptr,
                  "out of memory while planning an FFT of " + std::to_string(fields_) + " fields",
                  "fft::Plan", "transform fewer fields at once");
    const int spectral_last = n_[Dim - 1] / 2 + 1;
    std::array<int, Dim> spectral_n = n_;
    spectral_n[Dim - 1] = spectral_last;
    forward = api::plan_many_r2c(Dim, n_.data(), fields_, real, n_.data(), 1,
                                 static_cast<int>(real_points_), complex, spectral_n.data(), 1,
                                 static_cast<int>(spectral_points_), flags_ | extra_flags);
    backward = api::plan_many_c2r(Dim, n_.data(), fields_, complex, spectral_n.data(), 1,
                                  static_cast<int>(spectral_points_), real, n_.data(), 1,
                                  static_cast<int>(real_points_),
                                  flags_ | extra_flags | FFTW_DESTROY_INPUT);
    api::free(real);
    api::free(complex);
    TORUS_REQUIRE(forward != nullptr && backward != nullptr, "FFTW could not plan the transform",
                  "fft::Plan", "report this with the grid and field count");
  }

  std::array<int, Dim> n_;
  int fields_;
  unsigned flags_;
  std::int64_t real_points_ = 0;
  std::int64_t spectral_points_ = 0;
  typename api::plan forward_ = nullptr;
  typename api::plan backward_ = nullptr;
  typename api::plan forward_unaligned_ = nullptr;
  typename api::plan backward_unaligned_ = nullptr;
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
