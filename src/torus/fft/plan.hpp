#pragma once
/// \file
/// torus::fft::Plan: real-to-complex and complex-to-real transforms of batches of fields.
///
/// \code
/// fft::Grid<2> grid({256, 256}, runtime.comm());           // x slabs over the ranks
/// fft::Plan<double, 2> plan(grid, /*batch=*/4, /*channels=*/2);
/// auto w = plan.make_real("w");                            // (4, 2, 256/ranks, 256)
/// auto w_hat = plan.make_spectral("w_hat");                // (4, 2, 256/ranks, 129)
/// plan.forward(w, w_hat);                                  // numpy.fft.rfft2 per field
/// plan.backward(w_hat, w);                                 // numpy.fft.irfft2 per field
/// \endcode
///
/// A plan is made once for a grid and a number of fields and reused; it is not thread-safe
/// (it owns scratch memory), so give each thread its own.

#include <Kokkos_Core.hpp>

#include <array>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include "torus/core/error.hpp"
#include "torus/fft/engine.hpp"
#include "torus/fft/fields.hpp"
#include "torus/fft/grid.hpp"
#include "torus/fft/norm.hpp"

namespace torus::fft {

namespace detail {

template <class View>
std::string shape_of(const View& view) {
  std::string text = "(";
  for (unsigned r = 0; r < View::rank; ++r) {
    text += (r ? ", " : "") + std::to_string(view.extent(r));
  }
  return text + ")";
}

template <class View, std::size_t Rank, std::size_t... I>
View make_view(const std::string& label, const std::array<std::size_t, Rank>& n,
               std::index_sequence<I...>) {
  return View(Kokkos::view_alloc(label), n[I]...);
}

template <class A, class B>
bool overlap(const A& a, const B& b) {
  const auto* a0 = reinterpret_cast<const char*>(a.data());
  const auto* b0 = reinterpret_cast<const char*>(b.data());
  const auto* a1 = a0 + a.span() * sizeof(typename A::value_type);
  const auto* b1 = b0 + b.span() * sizeof(typename B::value_type);
  return a0 < b1 && b0 < a1;
}

}  // namespace detail

/// Batched, multi-channel 2-D or 3-D real FFTs on one Grid (split over its ranks or not).
///
/// Transforms act on the spatial axes of (batch, channel, x, y[, z]) Views, each field on its
/// own, and equal numpy.fft.rfftn / irfftn over those axes with the same `norm`.
template <class T, int Dim, class MemorySpace = DefaultMemorySpace>
class Plan {
  static_assert(std::is_same_v<T, float> || std::is_same_v<T, double>,
                "torus::fft::Plan transforms float or double fields");

 public:
  using real_view = typename FieldTypes<T, Dim, MemorySpace>::real;
  using const_real_view = typename FieldTypes<T, Dim, MemorySpace>::const_real;
  using spectral_view = typename FieldTypes<T, Dim, MemorySpace>::spectral;
  using const_spectral_view = typename FieldTypes<T, Dim, MemorySpace>::const_spectral;
  using execution_space = typename MemorySpace::execution_space;
  static constexpr int rank = Dim + 2;

  /// Plans the transforms of `batch` x `channels` fields on `grid`. Planning may take a moment
  /// (PlanOptions::planning); do it once. Throws torus::Error for a non-positive batch or
  /// channel count, or a memory space with no FFT backend.
  Plan(const Grid<Dim>& grid, int batch, int channels, PlanOptions options = {})
      : grid_(grid), batch_(batch), channels_(channels) {
    TORUS_REQUIRE(batch >= 1 && channels >= 1,
                  "an FFT plan needs at least one field, got batch " + std::to_string(batch) +
                      " and " + std::to_string(channels) + " channels",
                  "fft::Plan", "give batch >= 1 and channels >= 1");
    if constexpr (Kokkos::SpaceAccessibility<Kokkos::HostSpace, MemorySpace>::accessible) {
      const int fields = batch * channels;
      // One rank: FFTW on whole fields. Split grid: FFTW-MPI one field at a time, or whole
      // fields moved to ranks when asked and possible (docs/design.md).
      if (!grid.distributed()) {
        engine_ = detail::make_fftw_local_engine<T, Dim>(grid, fields, options);
      } else if (options.distribution == Distribution::whole_fields &&
                 detail::redistribution_fits<T, Dim>(grid, fields)) {
        engine_ = detail::make_fftw_redistribute_engine<T, Dim>(grid, fields, options);
      } else {
        engine_ = detail::make_fftw_slab_engine<T, Dim>(grid, fields, options);
      }
    } else {
      // TODO(fft): a cuFFT/hipFFT Engine for device memory spaces; the seam is engine.hpp.
      TORUS_THROW(std::string("no FFT backend for memory space ") + MemorySpace::name(),
                  "fft::Plan", "use host memory (Kokkos::HostSpace) until a device backend lands");
    }
  }

  /// x_hat = F[x] on every field, scaled as `norm` says. `x` is not modified.
  /// Throws torus::Error when a View's extents differ from real_extents() / spectral_extents().
  void forward(const const_real_view& x, const spectral_view& x_hat, Norm norm = Norm::backward) {
    check(x, real_extents(), "the real input of forward()");
    check(x_hat, spectral_extents(), "the spectral output of forward()");
    TORUS_REQUIRE(!detail::overlap(x, x_hat), "forward() input and output share memory",
                  "fft::Plan::forward", "pass separate real and spectral Views");
    // Kernels that wrote x may still be running on an asynchronous backend; FFTW reads raw memory.
    execution_space().fence();
    engine_->forward(x.data(), x_hat.data(), static_cast<T>(forward_scale(norm, grid_.points())));
  }

  /// x = F^-1[x_hat] on every field, scaled as `norm` says. `x_hat` is preserved (it is
  /// copied to scratch first, because FFTW's multi-dimensional c2r overwrites its input).
  void backward(const const_spectral_view& x_hat, const real_view& x, Norm norm = Norm::backward) {
    check(x_hat, spectral_extents(), "the spectral input of backward()");
    if (scratch_.extent(0) == 0) scratch_ = make_spectral("torus::fft::Plan scratch");
    Kokkos::deep_copy(scratch_, x_hat);
    backward_overwriting(scratch_, x, norm);
  }

  /// As backward(), but uses `x_hat` as scratch: its values are lost. Saves a copy when the
  /// caller does not need the coefficients again.
  void backward_overwriting(const spectral_view& x_hat, const real_view& x,
                            Norm norm = Norm::backward) {
    check(x_hat, spectral_extents(), "the spectral input of backward()");
    check(x, real_extents(), "the real output of backward()");
    TORUS_REQUIRE(!detail::overlap(x, x_hat), "backward() input and output share memory",
                  "fft::Plan::backward", "pass separate real and spectral Views");
    execution_space().fence();
    engine_->backward(x_hat.data(), x.data(), static_cast<T>(backward_scale(norm, grid_.points())));
  }

  /// Extents of the real Views this plan takes: (batch, channels, local x, y[, z]).
  std::array<std::size_t, Dim + 2> real_extents() const {
    return field_extents(grid_.local_extents());
  }
  /// Extents of the spectral Views: (batch, channels, local spectral block in storage order).
  std::array<std::size_t, Dim + 2> spectral_extents() const {
    return field_extents(grid_.local_spectral_extents());
  }

  /// A zero-filled real View of this plan's local shape.
  real_view make_real(const std::string& label) const {
    return detail::make_view<real_view>(label, real_extents(), std::make_index_sequence<Dim + 2>());
  }
  /// A zero-filled spectral View of this plan's local shape.
  spectral_view make_spectral(const std::string& label) const {
    return detail::make_view<spectral_view>(label, spectral_extents(),
                                            std::make_index_sequence<Dim + 2>());
  }

  const Grid<Dim>& grid() const { return grid_; }
  int batch() const { return batch_; }
  int channels() const { return channels_; }
  /// The engine's name: "fftw" on one rank, "fftw-mpi" on a distributed grid.
  const char* backend() const { return engine_->name(); }

 private:
  std::array<std::size_t, Dim + 2> field_extents(const std::array<int, Dim>& spatial) const {
    std::array<std::size_t, Dim + 2> n;
    n[0] = static_cast<std::size_t>(batch_);
    n[1] = static_cast<std::size_t>(channels_);
    for (int a = 0; a < Dim; ++a) n[a + 2] = static_cast<std::size_t>(spatial[a]);
    return n;
  }

  template <class View>
  void check(const View& view, const std::array<std::size_t, Dim + 2>& expected,
             const char* role) const {
    bool same = true;
    for (int r = 0; r < Dim + 2; ++r) same = same && view.extent(r) == expected[r];
    if (!same) {
      std::string want = "(";
      for (int r = 0; r < Dim + 2; ++r) want += (r ? ", " : "") + std::to_string(expected[r]);
      TORUS_THROW(std::string(role) + " has extents " + detail::shape_of(view) +
                      " but the plan expects " + want + ")",
                  "fft::Plan on grid " + grid_.describe(),
                  "allocate the View with plan.make_real()/make_spectral() or make a plan for "
                  "this shape");
    }
    TORUS_REQUIRE(view.span_is_contiguous(), std::string(role) + " is not contiguous", "fft::Plan",
                  "pass a contiguous View (deep_copy a strided subview first)");
  }

  Grid<Dim> grid_;
  int batch_;
  int channels_;
  std::unique_ptr<detail::Engine<T>> engine_;
  spectral_view scratch_;
};

}  // namespace torus::fft
