#pragma once
/// \file
/// The contract between a pseudo-spectral model and the time integrators: a semi-linear system
///   du/dt = lambda .* u + N(t, u)
/// for the Fourier coefficients u of a batch of fields, where the linear part is DIAGONAL in
/// Fourier space (viscosity -nu |k|^2, linear drag -mu, hyperviscosity, ...) and N is everything
/// else (advection, forcing, projection). IMEX integrators treat lambda implicitly and solve it
/// exactly, entry by entry; explicit integrators evaluate lambda .* u + N(t, u).
///
/// The state is a (batch, channels, local spectral block) View of Kokkos::complex<double> on the
/// system's grid, with the normalisation of fft::Norm::backward (what Plan::forward gives).

#include <Kokkos_Core.hpp>

#include <cstddef>
#include <string>

#include "torus/fft/fields.hpp"
#include "torus/fft/grid.hpp"

namespace torus::pde {

/// A semi-linear pseudo-spectral system du/dt = lambda .* u + N(t, u) on a Dim-dimensional grid.
template <int Dim>
class SpectralSystem {
 public:
  using spectral_view = fft::SpectralField<double, Dim>;
  using const_spectral_view =
      typename fft::FieldTypes<double, Dim, fft::DefaultMemorySpace>::const_spectral;
  /// lambda over the local spectral block, C order of its storage axes; the same for every sample
  /// and channel.
  using diagonal_view = Kokkos::View<const double*, fft::DefaultMemorySpace>;

  virtual ~SpectralSystem() = default;

  /// The grid the state lives on (its communicator splits the state over ranks).
  virtual const fft::Grid<Dim>& grid() const = 0;
  /// Samples in the state.
  virtual int batch() const = 0;
  /// Channels per sample (1 for vorticity, 3 for a 3-D velocity).
  virtual int channels() const = 0;

  /// lambda for every entry of the local spectral block, flattened in C order (length = product
  /// of grid().local_spectral_extents()). Real and <= 0 for a dissipative system.
  virtual diagonal_view linear_diagonal() const = 0;

  /// out = N(t, u) for the state u. May use internal scratch; not thread-safe. Must not keep
  /// references to u or out after it returns.
  virtual void nonlinear(double t, const const_spectral_view& u, const spectral_view& out) = 0;

  /// Optionally, one fused step of the fno-cn scheme (fno_scheme.hpp),
  ///   u <- [(1 + dt/2 lambda) u + dt N(t, u)] / (1 - dt/2 lambda),
  /// computed while N is still in cache. Returns false when the system has none; the stepper
  /// then calls nonlinear() and updates u itself, with the same formula.
  virtual bool crank_nicolson_euler_step(double t, const spectral_view& u, double dt) {
    (void)t, (void)u, (void)dt;
    return false;
  }

  /// A name for logs and errors ("ns2d", "ns3d").
  virtual std::string name() const = 0;
};

}  // namespace torus::pde
