#pragma once
/// \file
/// torus::pde::Ns3dSystem: the 3-D incompressible Navier–Stokes equations in velocity form on a
/// periodic box, pseudo-spectral, as a SpectralSystem<3> for the time integrators.
///
/// \code
/// fft::Grid<3> grid({128, 128, 128}, runtime.comm(), {.transposed_spectral = true},
///                   {two_pi, two_pi, two_pi});
/// pde::Ns3dSystem system(grid, {.nu = 1.0 / 1600});
/// auto u_hat = system.make_state();                 // (1, 3, local spectral block)
/// pde::TimeIntegrator<3> integrator(system, {.scheme = "rk:4", .dt = 0.02});
/// \endcode
///
/// **Equations.** With the total pressure (Bernoulli head) P = p + |u|^2 / 2, the momentum
/// equation in rotational form is
///   du/dt = u x omega - grad P + nu lap u,   div u = 0,   omega = curl u,
/// and in Fourier space, with the Leray projector P(k) = I - k k^T / |k|^2 removing the gradient,
///   du_hat/dt = -nu |k|^2 u_hat + P(k) [u x omega]_hat(k),
/// i.e. lambda = -nu |k|^2 (exact, diagonal) and N(u) = P [u x omega]_hat. At k = 0, P is the
/// identity (a gradient has no mean); for a divergence-free field the mean of u x omega is zero,
/// so the mean flow stays as it is.
///
/// **Dealiasing (2/3 rule).** u is truncated to the modes the 2/3 rule keeps (fft/dealias.hpp)
/// before omega is formed, and the product is truncated again after the forward transform, so
/// the kept modes of N are free of aliasing. Because u . (u x omega) = 0 at every grid point,
/// the discrete Parseval sum gives sum_k conj(u_k) . N_k = 0 for any truncated, divergence-free
/// u: the nonlinear term conserves the energy to round-off, and dE/dt = -nu sum |k|^2 |u_k|^2
/// = -eps exactly for the semi-discrete system. Modes outside the 2/3 band take no part in N
/// and only decay under lambda (a band-limited initial field keeps them zero).
///
/// **Cost.** One evaluation of N is 6 inverse transforms (u and omega, one batched call) and 3
/// forward transforms (u x omega), through two Plans made once in the constructor; no
/// allocation per call.

#include <Kokkos_Core.hpp>

#include <memory>
#include <string>

#include "torus/fft/fields.hpp"
#include "torus/fft/grid.hpp"
#include "torus/fft/plan.hpp"
#include "torus/pde/spectral_system.hpp"
#include "torus/pde/wavevector.hpp"

namespace torus::pde {

/// The parameters of an Ns3dSystem.
struct Ns3dOptions {
  /// Kinematic viscosity nu >= 0 (Re = V0 L0 / nu for a velocity scale V0 and a length L0).
  double nu = 0.01;
  /// Independent flows in the state.
  int batch = 1;
  /// How the transforms are planned (FFTW_MEASURE by default: slower to make, faster to run).
  fft::PlanOptions plan = {};
};

/// du/dt = -nu |k|^2 u + P [u x curl u] (file comment) for the spectral velocity
/// (batch, 3, local spectral block) on a 3-D grid, whole on each rank or split in slabs, in the
/// transposed spectral layout or not. Not thread-safe (it owns scratch fields).
class Ns3dSystem final : public SpectralSystem<3> {
 public:
  using plan_type = fft::Plan<double, 3>;

  /// Plans the transforms and tabulates lambda for `grid`. Throws torus::Error when nu < 0 or
  /// is not finite, or batch < 1 (and as fft::Plan).
  Ns3dSystem(const fft::Grid<3>& grid, const Ns3dOptions& options);
  ~Ns3dSystem() override;

  /// The grid of the state.
  const fft::Grid<3>& grid() const override { return grid_; }
  /// Flows in the state.
  int batch() const override { return batch_; }
  /// 3: the velocity components (u, v, w) along x, y, z.
  int channels() const override { return 3; }
  /// lambda = -nu |k|^2 over the local spectral block, C order.
  diagonal_view linear_diagonal() const override { return lambda_; }
  /// out = N(u) = mask . P(k) [(mask u) x curl(mask u)]_hat, mask the 2/3 rule (file comment).
  /// u and out are (batch, 3, local spectral block), Norm::backward; they must not overlap.
  /// Throws torus::Error for other extents or overlapping Views.
  void nonlinear(double t, const const_spectral_view& u, const spectral_view& out) override;
  /// "ns3d".
  std::string name() const override { return "ns3d"; }

  /// The viscosity nu.
  double viscosity() const { return nu_; }
  /// A zero-filled state View (batch, 3, local spectral block).
  spectral_view make_state(const std::string& label = "u_hat") const;
  /// The spectral velocity of a physical one: u_hat = F[u] (Norm::backward) for u of shape
  /// (batch, 3, local x slab). Throws torus::Error for other extents.
  void to_spectral(const fft::FieldTypes<double, 3, fft::DefaultMemorySpace>::const_real& u,
                   const spectral_view& u_hat);
  /// The physical velocity of a spectral one: u = F^-1[u_hat] (Norm::backward). u_hat is
  /// preserved. Throws torus::Error for other extents.
  void to_physical(const const_spectral_view& u_hat, const fft::RealField<double, 3>& u);

  /// Evaluations of nonlinear() so far.
  long evaluations() const { return evaluations_; }
  /// Wall-clock seconds spent in the FFTs of nonlinear() so far (the rest is pointwise work).
  double transform_seconds() const { return transform_seconds_; }
  /// Wall-clock seconds spent in nonlinear() so far, transforms included.
  double nonlinear_seconds() const { return nonlinear_seconds_; }

 private:
  fft::Grid<3> grid_;
  int batch_;
  double nu_;
  std::unique_ptr<plan_type> inverse_plan_;  // 6 channels: u and omega
  std::unique_ptr<plan_type> forward_plan_;  // 3 channels: u x omega, and the velocity
  detail::Wavevector wavevector_;
  Kokkos::View<double*, fft::DefaultMemorySpace> lambda_;
  spectral_view velocity_vorticity_hat_;          // (batch, 6, ...) truncated u_hat, omega_hat
  fft::RealField<double, 3> velocity_vorticity_;  // (batch, 6, local slab) u, omega
  fft::RealField<double, 3> cross_;               // (batch, 3, local slab) u x omega
  long evaluations_ = 0;
  double transform_seconds_ = 0.0;
  double nonlinear_seconds_ = 0.0;
};

}  // namespace torus::pde
