#include "torus/operators/t1_spectrum.hpp"

#include <cmath>

#include "torus/fft/low_modes.hpp"

namespace torus::operators {

namespace {

constexpr double kSqrt2 = 1.41421356237309504880;

// The weights of the file comment on compact block index (j0, j1): analysis multiplies by
// w, synthesis by s = w / (1 + [f1 >= 1]) (the conjugate mirror that c2r adds for f1 >= 1
// carries the other half of the energy).
struct RfftWeights {
  int m0;
  bool has_unpaired;  // 2 m0 < X: entry (m0, 0), frequency -m0, has no partner in the block

  KOKKOS_INLINE_FUNCTION bool unpaired(int j0, int j1) const {
    return has_unpaired && j1 == 0 && j0 == m0;
  }
  KOKKOS_INLINE_FUNCTION double analysis(int j0, int j1) const {
    return j1 >= 1 || unpaired(j0, j1) ? kSqrt2 : 1.0;
  }
  KOKKOS_INLINE_FUNCTION double synthesis(int j0, int j1) const {
    return j1 >= 1 ? 1.0 / kSqrt2 : unpaired(j0, j1) ? kSqrt2 : 1.0;
  }
  // The compact index of the conjugate partner -f0 of row j0 on the f1 = 0 column, or -1.
  KOKKOS_INLINE_FUNCTION int partner(int j0) const {
    if (j0 == 0) return 0;
    if (j0 == m0) return has_unpaired ? -1 : m0;
    return 2 * m0 - j0;
  }
};

}  // namespace

std::string to_string(T1Transform transform) {
  return transform == T1Transform::dct ? "dct" : "rfft";
}

T1Transform parse_t1_transform(const std::string& name) {
  if (name == "dct") return T1Transform::dct;
  if (name == "rfft") return T1Transform::rfft;
  TORUS_THROW("unknown T1 transform '" + name + "'", "T1 option transform", "use dct or rfft");
}

namespace detail {

template <class T>
void copy_corner(const nn::Tensor<T>& src, const nn::Tensor<T>& dst, int n0, int n1) {
  const std::int64_t S0 = src.extent(2), S1 = src.extent(3);
  const std::int64_t D0 = dst.extent(2), D1 = dst.extent(3);
  const std::int64_t fields = src.extent(0) * src.extent(1);
  const T* s = src.data();
  T* d = dst.data();
  // dst(f, i, j) = src(f, i, j) for i < n0, j < n1 (f = b C + c)
  Kokkos::parallel_for(
      "torus::operators::copy_corner", Kokkos::RangePolicy<nn::ExecutionSpace>(0, fields * n0),
      KOKKOS_LAMBDA(const std::int64_t item) {
        const std::int64_t f = item / n0;
        const std::int64_t i = item % n0;
        const T* row = s + (f * S0 + i) * S1;
        T* out = d + (f * D0 + i) * D1;
        for (int j = 0; j < n1; ++j) out[j] = row[j];
      });
}

template <class T>
void zero_corner(const nn::Tensor<T>& dst, int n0, int n1) {
  const std::int64_t D0 = dst.extent(2), D1 = dst.extent(3);
  const std::int64_t fields = dst.extent(0) * dst.extent(1);
  T* d = dst.data();
  Kokkos::parallel_for(
      "torus::operators::zero_corner", Kokkos::RangePolicy<nn::ExecutionSpace>(0, fields * n0),
      KOKKOS_LAMBDA(const std::int64_t item) {
        T* out = d + ((item / n0) * D0 + item % n0) * D1;
        for (int j = 0; j < n1; ++j) out[j] = T(0);
      });
}

}  // namespace detail

template <class T>
T1Spectrum<T>::T1Spectrum(T1Transform transform, std::array<int, 2> grid, std::array<int, 2> modes,
                          bool keep_high, fft::Planning planning)
    : transform_(transform),
      grid_(grid),
      modes_(modes),
      keep_high_(keep_high),
      planning_(planning) {
  const std::string where = "T1 on a " + std::to_string(grid[0]) + " x " + std::to_string(grid[1]) +
                            " grid with " + std::to_string(modes[0]) + " x " +
                            std::to_string(modes[1]) + " modes (" + to_string(transform) + ")";
  TORUS_REQUIRE(grid[0] >= 1 && grid[1] >= 1, "the grid has an extent below 1", where,
                "give the grid extents of the input fields");
  TORUS_REQUIRE(modes[0] >= 1 && modes[1] >= 1, "fewer than one retained mode on an axis", where,
                "retain at least one mode along x and y");
  if (transform == T1Transform::dct) {
    TORUS_REQUIRE(modes[0] <= grid[0] && modes[1] <= grid[1],
                  "more DCT modes retained than the grid has points", where,
                  "retain at most X modes along x and Y along y");
  } else {
    TORUS_REQUIRE(2 * modes[0] <= grid[0] && modes[1] <= grid[1] / 2,
                  "the rfft block of 2 m0 x m1 frequencies does not fit the grid (it needs "
                  "2 m0 <= X and m1 <= Y/2; the Nyquist column is not retained)",
                  where, "retain at most X/2 modes along x and Y/2 along y");
    // TODO(operators): keep_high with the rfft (the full half spectrum with its Hermitian
    // columns as real channels); only the DCT carries the high modes today.
    TORUS_REQUIRE(!keep_high, "keep_high is implemented for the DCT only", where,
                  "use transform = dct with keep_high, or keep_high = false");
    fft_grid_ = std::make_unique<fft::Grid<2>>(fft::Grid<2>::Extents{grid[0], grid[1]});
  }
}

template <class T>
int T1Spectrum<T>::coefficient_channels(int channels) const {
  return transform_ == T1Transform::dct ? channels : 2 * channels;
}

template <class T>
std::array<int, 2> T1Spectrum<T>::block() const {
  return transform_ == T1Transform::dct ? modes_ : std::array<int, 2>{2 * modes_[0], modes_[1]};
}

template <class T>
std::array<int, 2> T1Spectrum<T>::coefficient_extents() const {
  return keep_high_ ? grid_ : block();
}

template <class T>
nn::Shape T1Spectrum<T>::coefficient_shape(std::int64_t batch, int channels) const {
  const auto e = coefficient_extents();
  return {batch, coefficient_channels(channels), e[0], e[1]};
}

template <class T>
std::int64_t T1Spectrum<T>::retained_dimensions() const {
  const std::int64_t m0 = modes_[0], m1 = modes_[1];
  if (transform_ == T1Transform::dct) {
    return keep_high_ ? static_cast<std::int64_t>(grid_[0]) * grid_[1] : m0 * m1;
  }
  return 4 * m0 * m1 - 2 * m0 + (2 * m0 < grid_[0] ? 1 : 0);
}

template <class T>
fft::DctPlan<T, 2>& T1Spectrum<T>::dct_plan(int batch, int channels) {
  auto& plan = dct_plans_[{batch, channels}];
  if (!plan) {
    plan =
        std::make_unique<fft::DctPlan<T, 2>>(grid_, batch, channels, fft::PlanOptions{planning_});
  }
  return *plan;
}

template <class T>
fft::Plan<T, 2>& T1Spectrum<T>::rfft_plan(int batch, int channels) {
  auto& plan = rfft_plans_[{batch, channels}];
  if (!plan) {
    plan =
        std::make_unique<fft::Plan<T, 2>>(*fft_grid_, batch, channels, fft::PlanOptions{planning_});
  }
  return *plan;
}

template <class T>
nn::Tensor<T> T1Spectrum<T>::analyse(const nn::Tensor<T>& x) {
  nn::require_shape(x.shape(), {-1, -1, grid_[0], grid_[1]}, "operators::T1Spectrum::analyse",
                    "the physical field");
  const int batch = static_cast<int>(x.extent(0));
  const int channels = static_cast<int>(x.extent(1));
  auto c = nn::Tensor<T>::uninitialized(coefficient_shape(batch, channels),
                                        "torus::operators::T1 coefficients");

  if (transform_ == T1Transform::dct) {
    auto& plan = dct_plan(batch, channels);
    if (keep_high_) {
      plan.forward(x.template as<4>(), c.template as<4>(), fft::Norm::ortho);
      return c;
    }
    auto full = nn::Tensor<T>::uninitialized(x.shape(), "torus::operators::T1 DCT");
    plan.forward(x.template as<4>(), full.template as<4>(), fft::Norm::ortho);
    detail::copy_corner(full, c, modes_[0], modes_[1]);
    return c;
  }

  // rfft: X_hat = rfft2(x) (ortho), its corner block, then c = w X_hat as real channels.
  auto& plan = rfft_plan(batch, channels);
  auto x_hat = plan.make_spectral("torus::operators::T1 rfft");
  plan.forward(x.template as<4>(), x_hat, fft::Norm::ortho);
  const auto extents = fft::low_mode_extents<2>(modes_, batch, channels);
  fft::SpectralField<T, 2> block(
      Kokkos::view_alloc(Kokkos::WithoutInitializing, "torus::operators::T1 block"), extents[0],
      extents[1], extents[2], extents[3]);
  fft::gather_low_modes(*fft_grid_, modes_, x_hat, block);

  const RfftWeights weights{modes_[0], 2 * modes_[0] < grid_[0]};
  const int M0 = 2 * modes_[0], M1 = modes_[1];
  T* out = c.data();
  // c(b, ch, j) = w(j) Re X_hat(b, ch, f(j)),  c(b, C + ch, j) = w(j) Im X_hat(b, ch, f(j))
  Kokkos::parallel_for(
      "torus::operators::t1_rfft_pack",
      Kokkos::RangePolicy<nn::ExecutionSpace>(
          0, static_cast<std::int64_t>(batch) * channels * M0 * M1),
      KOKKOS_LAMBDA(const std::int64_t item) {
        const int j1 = static_cast<int>(item % M1);
        const int j0 = static_cast<int>((item / M1) % M0);
        const int ch = static_cast<int>((item / (M1 * M0)) % channels);
        const std::int64_t b = item / (static_cast<std::int64_t>(M1) * M0 * channels);
        const T w = static_cast<T>(weights.analysis(j0, j1));
        const auto z = block(b, ch, j0, j1);
        const std::int64_t plane = static_cast<std::int64_t>(M0) * M1;
        out[(b * 2 * channels + ch) * plane + j0 * M1 + j1] = w * z.real();
        out[(b * 2 * channels + channels + ch) * plane + j0 * M1 + j1] = w * z.imag();
      });
  return project(c);
}

template <class T>
int T1Spectrum<T>::physical_channels(const nn::Tensor<T>& c, const char* who) const {
  const auto e = coefficient_extents();
  nn::require_shape(c.shape(), {-1, -1, e[0], e[1]}, who, "the coefficients");
  const int per = transform_ == T1Transform::dct ? 1 : 2;
  TORUS_REQUIRE(c.extent(1) % per == 0,
                "rfft coefficients of shape " + nn::shape_text(c.shape()) +
                    " have an odd channel count (real and imaginary parts come in pairs)",
                who, "pass coefficients made by analyse() or predicted by T1");
  return static_cast<int>(c.extent(1) / per);
}

template <class T>
nn::Tensor<T> T1Spectrum<T>::project(const nn::Tensor<T>& c) const {
  const int channels = physical_channels(c, "operators::T1Spectrum::project");
  nn::Tensor<T> out = nn::clone(c, "torus::operators::T1 projected coefficients");
  if (transform_ == T1Transform::dct) return out;

  const RfftWeights weights{modes_[0], 2 * modes_[0] < grid_[0]};
  const int M0 = 2 * modes_[0], M1 = modes_[1];
  const std::int64_t plane = static_cast<std::int64_t>(M0) * M1;
  const T* in = c.data();
  T* o = out.data();
  // On the f1 = 0 column, with p the partner of j: re(j) = (re(j) + re(p)) / 2,
  // im(j) = (im(j) - im(p)) / 2 (a self-conjugate entry, p = j, loses its imaginary part);
  // an unpaired entry is left as it is.
  Kokkos::parallel_for(
      "torus::operators::t1_rfft_project",
      Kokkos::RangePolicy<nn::ExecutionSpace>(0, c.extent(0) * channels * M0),
      KOKKOS_LAMBDA(const std::int64_t item) {
        const int j0 = static_cast<int>(item % M0);
        const std::int64_t ch = (item / M0) % channels;
        const std::int64_t b = item / (static_cast<std::int64_t>(M0) * channels);
        const int p = weights.partner(j0);
        if (p < 0) return;
        const T* re = in + (b * 2 * channels + ch) * plane;
        const T* im = in + (b * 2 * channels + channels + ch) * plane;
        o[(b * 2 * channels + ch) * plane + j0 * M1] = T(0.5) * (re[j0 * M1] + re[p * M1]);
        o[(b * 2 * channels + channels + ch) * plane + j0 * M1] =
            T(0.5) * (im[j0 * M1] - im[p * M1]);
      });
  return out;
}

template <class T>
nn::Tensor<T> T1Spectrum<T>::synthesise(const nn::Tensor<T>& c) {
  const int channels = physical_channels(c, "operators::T1Spectrum::synthesise");
  const int batch = static_cast<int>(c.extent(0));
  auto x = nn::Tensor<T>::uninitialized({batch, channels, grid_[0], grid_[1]},
                                        "torus::operators::T1 physical field");

  if (transform_ == T1Transform::dct) {
    auto& plan = dct_plan(batch, channels);
    if (keep_high_) {
      plan.inverse(c.template as<4>(), x.template as<4>(), fft::Norm::ortho);
      return x;
    }
    Kokkos::deep_copy(x.values(), T(0));
    detail::copy_corner(c, x, modes_[0], modes_[1]);
    plan.inverse(x.template as<4>(), x.template as<4>(), fft::Norm::ortho);
    return x;
  }

  // rfft: block = s H c as complex numbers, scattered into a zero half spectrum, the f1 = 0
  // column made Hermitian, then irfft2 (ortho).
  const nn::Tensor<T> hc = project(c);
  const RfftWeights weights{modes_[0], 2 * modes_[0] < grid_[0]};
  const int M0 = 2 * modes_[0], M1 = modes_[1];
  const auto extents = fft::low_mode_extents<2>(modes_, batch, channels);
  fft::SpectralField<T, 2> block(
      Kokkos::view_alloc(Kokkos::WithoutInitializing, "torus::operators::T1 block"), extents[0],
      extents[1], extents[2], extents[3]);
  const T* in = hc.data();
  // block(b, ch, j) = s(j) (c(b, ch, j) + i c(b, C + ch, j))
  Kokkos::parallel_for(
      "torus::operators::t1_rfft_unpack",
      Kokkos::RangePolicy<nn::ExecutionSpace>(
          0, static_cast<std::int64_t>(batch) * channels * M0 * M1),
      KOKKOS_LAMBDA(const std::int64_t item) {
        const int j1 = static_cast<int>(item % M1);
        const int j0 = static_cast<int>((item / M1) % M0);
        const int ch = static_cast<int>((item / (M1 * M0)) % channels);
        const std::int64_t b = item / (static_cast<std::int64_t>(M1) * M0 * channels);
        const T s = static_cast<T>(weights.synthesis(j0, j1));
        const std::int64_t plane = static_cast<std::int64_t>(M0) * M1;
        const T re = in[(b * 2 * channels + ch) * plane + j0 * M1 + j1];
        const T im = in[(b * 2 * channels + channels + ch) * plane + j0 * M1 + j1];
        block(b, ch, j0, j1) = Kokkos::complex<T>(s * re, s * im);
      });

  auto& plan = rfft_plan(batch, channels);
  auto x_hat = plan.make_spectral("torus::operators::T1 rfft");
  fft::scatter_low_modes(*fft_grid_, modes_, block, x_hat);
  const int X = grid_[0];
  // x_hat(k, 0) = conj x_hat(-k, 0) = (x_hat(k, 0) + conj x_hat(-k, 0)) / 2 for k = 0..X/2
  Kokkos::parallel_for(
      "torus::operators::t1_rfft_hermitian_column",
      Kokkos::RangePolicy<nn::ExecutionSpace>(
          0, static_cast<std::int64_t>(batch) * channels * (X / 2 + 1)),
      KOKKOS_LAMBDA(const std::int64_t item) {
        const int k = static_cast<int>(item % (X / 2 + 1));
        const int ch = static_cast<int>((item / (X / 2 + 1)) % channels);
        const int b = static_cast<int>(item / (static_cast<std::int64_t>(X / 2 + 1) * channels));
        const int minus_k = (X - k) % X;
        const auto a = x_hat(b, ch, k, 0);
        const auto z = x_hat(b, ch, minus_k, 0);
        const Kokkos::complex<T> mean(T(0.5) * (a.real() + z.real()),
                                      T(0.5) * (a.imag() - z.imag()));
        x_hat(b, ch, k, 0) = mean;
        x_hat(b, ch, minus_k, 0) = Kokkos::conj(mean);
      });
  plan.backward_overwriting(x_hat, x.template as<4>(), fft::Norm::ortho);
  return x;
}

template class T1Spectrum<float>;
template class T1Spectrum<double>;
template void detail::copy_corner<float>(const nn::Tensor<float>&, const nn::Tensor<float>&, int,
                                         int);
template void detail::copy_corner<double>(const nn::Tensor<double>&, const nn::Tensor<double>&, int,
                                          int);
template void detail::zero_corner<float>(const nn::Tensor<float>&, int, int);
template void detail::zero_corner<double>(const nn::Tensor<double>&, int, int);

}  // namespace torus::operators
