// FFTW r2r behind DctPlan: REDFT10 (DCT-II) and REDFT01 (DCT-III) along every axis, all fields
// of a batch in one plan_many call, in place.
//
// In place because DctPlan copies the input into the output first: the inverse must scale the
// coefficients before the DCT-III (orthonormal k = 0 factor), and the caller's input is const.
// One in-place plan per direction then serves both transforms.

#include <array>
#include <memory>
#include <string>

#include "torus/core/error.hpp"
#include "torus/fft/dct.hpp"
#include "torus/fft/fftw_api.hpp"
#include "torus/fft/fftw_flags.hpp"

namespace torus::fft::detail {
namespace {

template <class T, int Dim>
class FftwDctEngine final : public DctEngine<T> {
  using api = Fftw<T>;

 public:
  FftwDctEngine(const std::array<int, Dim>& n, int fields, const PlanOptions& options)
      : n_(n), fields_(fields), flags_(prepare_planner(options.planning)) {
    points_ = 1;
    for (int a = 0; a < Dim; ++a) points_ *= n_[a];
    make_plans(0, forward_, inverse_);
  }

  ~FftwDctEngine() override {
    for (auto plan : {forward_, inverse_, forward_unaligned_, inverse_unaligned_}) {
      if (plan != nullptr) api::destroy(plan);
    }
  }

  void forward(T* data) override {
    auto plan = api::alignment_of(data) == 0 ? forward_ : unaligned().first;
    api::execute_r2r(plan, data, data);
  }

  void inverse(T* data) override {
    auto plan = api::alignment_of(data) == 0 ? inverse_ : unaligned().second;
    api::execute_r2r(plan, data, data);
  }

 private:
  // The plans were made on fftw_malloc'd memory (alignment 0); a View that starts elsewhere
  // needs the FFTW_UNALIGNED variant, made on first use.
  std::pair<typename api::plan, typename api::plan> unaligned() {
    if (forward_unaligned_ == nullptr) {
      make_plans(FFTW_UNALIGNED, forward_unaligned_, inverse_unaligned_);
    }
    return {forward_unaligned_, inverse_unaligned_};
  }

  void make_plans(unsigned extra_flags, typename api::plan& forward, typename api::plan& inverse) {
    // Measuring overwrites the array, so plan on scratch and execute later on the caller's View
    // through the new-array interface (in place, as planned).
    T* scratch = api::alloc_real(static_cast<size_t>(points_ * fields_));
    TORUS_REQUIRE(scratch != nullptr,
                  "out of memory while planning a DCT of " + std::to_string(fields_) + " fields",
                  "fft::DctPlan", "transform fewer fields at once");
    std::array<fftw_r2r_kind, Dim> dct2, dct3;
    dct2.fill(FFTW_REDFT10);
    dct3.fill(FFTW_REDFT01);
    const int dist = static_cast<int>(points_);
    forward = api::plan_r2r(Dim, n_.data(), fields_, scratch, nullptr, 1, dist, scratch, nullptr, 1,
                            dist, dct2.data(), flags_ | extra_flags);
    inverse = api::plan_r2r(Dim, n_.data(), fields_, scratch, nullptr, 1, dist, scratch, nullptr, 1,
                            dist, dct3.data(), flags_ | extra_flags);
    api::free(scratch);
    TORUS_REQUIRE(forward != nullptr && inverse != nullptr, "FFTW could not plan the DCT",
                  "fft::DctPlan " + format_extents<Dim>(n_),
                  "report this with the extents and field count");
  }

  std::array<int, Dim> n_;
  int fields_;
  unsigned flags_;
  std::int64_t points_ = 0;
  typename api::plan forward_ = nullptr;
  typename api::plan inverse_ = nullptr;
  typename api::plan forward_unaligned_ = nullptr;
  typename api::plan inverse_unaligned_ = nullptr;
};

}  // namespace

template <class T, int Dim>
std::unique_ptr<DctEngine<T>> make_fftw_dct_engine(const std::array<int, Dim>& n, int fields,
                                                   const PlanOptions& options) {
  return std::make_unique<FftwDctEngine<T, Dim>>(n, fields, options);
}

template std::unique_ptr<DctEngine<float>> make_fftw_dct_engine<float, 2>(const std::array<int, 2>&,
                                                                          int, const PlanOptions&);
template std::unique_ptr<DctEngine<float>> make_fftw_dct_engine<float, 3>(const std::array<int, 3>&,
                                                                          int, const PlanOptions&);
template std::unique_ptr<DctEngine<double>> make_fftw_dct_engine<double, 2>(
    const std::array<int, 2>&, int, const PlanOptions&);
template std::unique_ptr<DctEngine<double>> make_fftw_dct_engine<double, 3>(
    const std::array<int, 3>&, int, const PlanOptions&);

}  // namespace torus::fft::detail
