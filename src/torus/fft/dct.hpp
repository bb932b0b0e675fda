#pragma once
/// \file
/// torus::fft::DctPlan: the real DCT-II along every spatial axis of batches of fields, and its
/// inverse (the DCT-III), as scipy.fft.dctn / idctn with type=2 compute them. Transform-Once (T1)
/// works on these coefficients.
///
/// \code
/// fft::DctPlan<float, 2> dct({64, 64}, /*batch=*/8, /*channels=*/3);
/// auto c = dct.make_real("c");
/// dct.forward(x, c);          // scipy.fft.dctn(x, type=2, axes=(2, 3), norm="ortho")
/// dct.inverse(c, x);          // scipy.fft.idctn(c, type=2, axes=(2, 3), norm="ortho")
/// \endcode
///
/// Along one axis of N points the unscaled DCT-II and DCT-III are
///   y_k = 2 sum_{n=0}^{N-1} x_n cos(pi k (2n + 1) / (2N)),
///   x_n = y_0 + 2 sum_{k=1}^{N-1} y_k cos(pi k (2n + 1) / (2N)),
/// (FFTW's REDFT10 and REDFT01), and DCT-III(DCT-II(x)) = 2N x. `norm` places the 2N as scipy
/// does, per axis:
/// - backward: forward unscaled, inverse divided by 2N;
/// - forward: forward divided by 2N, inverse unscaled;
/// - ortho: forward multiplied by sqrt(1/(2N)) and y_0 by a further 1/sqrt(2), which makes the
///   transform orthonormal (its inverse is its transpose, and Parseval holds exactly).
///
/// Plans are undistributed: T1 trains data-parallel, every rank transforming whole fields.

#include <Kokkos_Core.hpp>

#include <array>
#include <cmath>
#include <memory>
#include <string>
#include <type_traits>

#include "torus/core/error.hpp"
#include "torus/fft/engine.hpp"
#include "torus/fft/fields.hpp"
#include "torus/fft/norm.hpp"
#include "torus/fft/plan.hpp"

namespace torus::fft {

namespace detail {

/// Unnormalised DCTs of `fields` contiguous fields, in place (the backend seam of DctPlan).
template <class T>
class DctEngine {
 public:
  virtual ~DctEngine() = default;
  /// DCT-II (REDFT10) along every axis of every field, unscaled, in place.
  virtual void forward(T* data) = 0;
  /// DCT-III (REDFT01) along every axis of every field, unscaled, in place.
  virtual void inverse(T* data) = 0;
};

/// FFTW r2r: one plan_many call over all fields.
template <class T, int Dim>
std::unique_ptr<DctEngine<T>> make_fftw_dct_engine(const std::array<int, Dim>& n, int fields,
                                                   const PlanOptions& options);

/// x(f, n0, n1[, n2]) *= prod_a (n_a == 0 ? first[a] : rest[a]) over a contiguous View of
/// fields of extents `n`.
template <class T, int Dim, class View>
void scale_by_axis(const View& x, const std::array<int, Dim>& n, const Kokkos::Array<T, Dim>& first,
                   const Kokkos::Array<T, Dim>& rest) {
  Kokkos::Array<int, Dim> extent;
  for (int a = 0; a < Dim; ++a) extent[a] = n[a];
  T* data = x.data();
  Kokkos::parallel_for(
      "torus::fft::dct_scale", Kokkos::RangePolicy<typename View::execution_space>(0, x.span()),
      KOKKOS_LAMBDA(const std::size_t i) {
        std::size_t rest_of_index = i;
        T factor = 1;
        for (int a = Dim - 1; a >= 0; --a) {
          const int index = static_cast<int>(rest_of_index % extent[a]);
          rest_of_index /= extent[a];
          factor *= index == 0 ? first[a] : rest[a];
        }
        data[i] *= factor;
      });
}

}  // namespace detail

/// Batched, multi-channel 2-D or 3-D DCT-II and DCT-III of real (batch, channel, x, y[, z])
/// fields on one rank, equal to scipy.fft.dctn / idctn (type 2) over the spatial axes with the
/// same `norm` (see the file comment for the formulas).
template <class T, int Dim, class MemorySpace = DefaultMemorySpace>
class DctPlan {
  static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>,
                "torus::fft::DctPlan transforms float or double fields");
  static_assert(Dim == 2 || Dim == 3, "torus::fft::DctPlan is 2-D or 3-D");

 public:
  using real_view = typename FieldTypes<T, Dim, MemorySpace>::real;
  using const_real_view = typename FieldTypes<T, Dim, MemorySpace>::const_real;

  /// Plans the DCTs of `batch` x `channels` fields of n[0] x n[1] (x n[2]) points. Planning may
  /// take a moment (PlanOptions::planning); do it once. Throws torus::Error for an extent below
  /// 1, a non-positive batch or channel count, or a memory space with no FFT backend.
  DctPlan(const std::array<int, Dim>& n, int batch, int channels, PlanOptions options = {})
      : n_(n), batch_(batch), channels_(channels) {
    for (int a = 0; a < Dim; ++a) {
      TORUS_REQUIRE(n[a] >= 1,
                    "DCT extent " + std::to_string(n[a]) + " along axis " + std::to_string(a) +
                        " is not positive",
                    "fft::DctPlan " + format_extents<Dim>(n), "give every axis at least one point");
    }
    TORUS_REQUIRE(batch >= 1 && channels >= 1,
                  "a DCT plan needs at least one field, got batch " + std::to_string(batch) +
                      " and " + std::to_string(channels) + " channels",
                  "fft::DctPlan", "give batch >= 1 and channels >= 1");
    if constexpr (Kokkos::SpaceAccessibility<Kokkos::HostSpace, MemorySpace>::accessible) {
      engine_ = detail::make_fftw_dct_engine<T, Dim>(n, batch * channels, options);
    } else {
      // TODO(fft): a device DCT (through a device FFT) when the Engine seam gets a device backend.
      TORUS_THROW(std::string("no DCT backend for memory space ") + MemorySpace::name(),
                  "fft::DctPlan",
                  "use host memory (Kokkos::HostSpace) until a device backend lands");
    }
  }

  /// y = DCT-II of x along every spatial axis, scaled as `norm` says (scipy.fft.dctn, type 2).
  /// `x` is not modified; x and y may be the same View (in place). Throws torus::Error when a
  /// View's extents differ from extents(), a View is not contiguous, or x and y partly overlap.
  void forward(const const_real_view& x, const real_view& y, Norm norm = Norm::ortho) {
    check(x, "the input of DctPlan::forward()");
    check(y, "the output of DctPlan::forward()");
    check_aliasing(x, y, "fft::DctPlan::forward");
    if (x.data() != y.data()) Kokkos::deep_copy(y, x);
    engine_->forward(y.data());

    // Per axis of N points, after the unscaled DCT-II: ortho 1/sqrt(2N) (and 1/sqrt(2) more
    // at k = 0), forward 1/(2N), backward 1.
    Kokkos::Array<T, Dim> first, rest;
    for (int a = 0; a < Dim; ++a) {
      const double two_n = 2.0 * n_[a];
      const double other = norm == Norm::ortho     ? 1.0 / std::sqrt(two_n)
                           : norm == Norm::forward ? 1.0 / two_n
                                                   : 1.0;
      rest[a] = static_cast<T>(other);
      first[a] = static_cast<T>(norm == Norm::ortho ? other / std::sqrt(2.0) : other);
    }
    if (norm != Norm::backward) detail::scale_by_axis<T, Dim>(y, n_, first, rest);
    Kokkos::fence();
  }

  /// x = DCT-III of y along every spatial axis, the inverse of forward() with the same `norm`
  /// (scipy.fft.idctn, type 2). `y` is not modified; y and x may be the same View. Throws
  /// torus::Error as forward() does.
  void inverse(const const_real_view& y, const real_view& x, Norm norm = Norm::ortho) {
    check(y, "the input of DctPlan::inverse()");
    check(x, "the output of DctPlan::inverse()");
    check_aliasing(y, x, "fft::DctPlan::inverse");
    if (x.data() != y.data()) Kokkos::deep_copy(x, y);

    // Per axis of N points, on the coefficients before the unscaled DCT-III: ortho 1/sqrt(2N)
    // (and sqrt(2) more at k = 0, undoing forward()'s 1/sqrt(2)), backward 1/(2N), forward 1.
    Kokkos::Array<T, Dim> first, rest;
    for (int a = 0; a < Dim; ++a) {
      const double two_n = 2.0 * n_[a];
      const double other = norm == Norm::ortho      ? 1.0 / std::sqrt(two_n)
                           : norm == Norm::backward ? 1.0 / two_n
                                                    : 1.0;
      rest[a] = static_cast<T>(other);
      first[a] = static_cast<T>(norm == Norm::ortho ? other * std::sqrt(2.0) : other);
    }
    if (norm != Norm::forward) {
      detail::scale_by_axis<T, Dim>(x, n_, first, rest);
      Kokkos::fence();
    }
    engine_->inverse(x.data());
  }

  /// Extents of the Views this plan takes, input and output alike: (batch, channels, n...).
  std::array<std::size_t, Dim + 2> extents() const {
    std::array<std::size_t, Dim + 2> e;
    e[0] = static_cast<std::size_t>(batch_);
    e[1] = static_cast<std::size_t>(channels_);
    for (int a = 0; a < Dim; ++a) e[a + 2] = static_cast<std::size_t>(n_[a]);
    return e;
  }

  /// A zero-filled View of this plan's shape.
  real_view make_real(const std::string& label) const {
    return detail::make_view<real_view>(label, extents(), std::make_index_sequence<Dim + 2>());
  }

  /// The spatial extents the plan transforms.
  const std::array<int, Dim>& n() const { return n_; }
  /// Fields per batch entry: the View's extent 0.
  int batch() const { return batch_; }
  /// Channels per field: the View's extent 1.
  int channels() const { return channels_; }

 private:
  template <class View>
  void check(const View& view, const char* role) const {
    const auto expected = extents();
    bool same = true;
    std::string want = "(";
    for (int r = 0; r < Dim + 2; ++r) {
      same = same && view.extent(r) == expected[r];
      want += (r ? ", " : "") + std::to_string(expected[r]);
    }
    TORUS_REQUIRE(same,
                  std::string(role) + " has extents " + detail::shape_of(view) +
                      " but the plan expects " + want + ")",
                  "fft::DctPlan " + format_extents<Dim>(n_),
                  "allocate the View with plan.make_real() or make a plan for this shape");
    TORUS_REQUIRE(view.span_is_contiguous(), std::string(role) + " is not contiguous",
                  "fft::DctPlan", "pass a contiguous View (deep_copy a strided subview first)");
  }

  static void check_aliasing(const const_real_view& in, const real_view& out, const char* where) {
    TORUS_REQUIRE(in.data() == out.data() || !detail::overlap(in, out),
                  "the input and output Views partly overlap", where,
                  "pass the same View to transform in place, or separate Views");
  }

  std::array<int, Dim> n_;
  int batch_;
  int channels_;
  std::unique_ptr<detail::DctEngine<T>> engine_;
};

}  // namespace torus::fft
