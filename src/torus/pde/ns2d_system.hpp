#pragma once
/// \file
/// The 2-D incompressible Navier–Stokes equations in vorticity–stream-function form,
///   d omega/dt = nu lap omega - mu omega - u . grad omega + q,   -lap psi = omega,
///   u = (d psi/dy, -d psi/dx),
/// on the periodic box [0, L0) x [0, L1), pseudo-spectrally, as a SpectralSystem<2>:
///   lambda = -nu |k|^2 - mu,      N(omega) = -D[ u . grad omega ] + q_hat,
/// where D is the 2/3 dealias rule and q the forcing (forcing.hpp).
///
/// **Cost.** The transforms bound a step. The fno convention needs five per sample, as FNO's
/// generator: u, v, omega_x, omega_y come back (in two 2-channel inverses, (u, omega_x) then
/// (v, omega_y), so a pass's working set stays small) and u omega_x + v omega_y goes forward. The
/// standard convention needs four: since div u = 0,
///   u . grad omega = curl div(u u) = d_x d_y (v^2 - u^2) + (d_x^2 - d_y^2) (u v),
/// so only u and v come back and v^2 - u^2 and u v go forward (2 + 2 channels). With dealiased
/// factors both forms are exact on the kept modes, so they agree to round-off; with FNO's
/// undealiased factors they alias differently, which is why fno keeps the advective form.
/// Samples are processed in cache-sized passes (samples_per_pass()).
///
/// **Conventions.** Two sets, chosen by Ns2dConvention:
/// - `standard`: the 2/3 rule keeps 3|f| < n on each axis (fft::dealias) and is applied to the
///   fields before the product as well as to the product, so the semi-discrete system conserves
///   energy and enstrophy exactly in the inviscid, unforced limit. First derivatives zero the
///   Nyquist modes of their own axis (fft::derivative).
/// - `fno`: exactly the FNO data generator (Li et al. 2021, ns_2d.py). Derivatives are taken on
///   the full spectrum with the Nyquist frequency read as -n/2 and brought back by a
///   half-spectrum inverse. On the r2c block that means: d/dx uses k_x = -n0/2 on the Nyquist
///   row except on the self-conjugate columns f1 = 0 and f1 = n1/2, where the result is 0;
///   d/dy gives 0 on the Nyquist column f1 = n1/2. Only the product is dealiased, keeping
///   |f_a| <= (2/3) floor(n_a / 2) on both axes. |k|^2 at k = 0 is read as 1 (FNO's lap[0,0] = 1),
///   so lambda_0 = -nu - mu: the mean of omega decays (FNO's fields have zero mean).

#include <Kokkos_Core.hpp>

#include <string>

#include "torus/fft/plan.hpp"
#include "torus/pde/forcing.hpp"
#include "torus/pde/spectral_system.hpp"

namespace torus::pde {

/// Which discretisation details to follow (file comment).
enum class Ns2dConvention { standard, fno };

/// The physical parameters of the 2-D system.
struct Ns2dParameters {
  /// Kinematic viscosity nu > 0.
  double nu = 1e-3;
  /// The forcing q and the linear drag mu.
  ForcingOptions forcing;
  /// Discretisation details (file comment).
  Ns2dConvention convention = Ns2dConvention::standard;
};

/// Throws torus::Error for nu <= 0 or not finite, or a bad forcing (validate()).
void validate(const Ns2dParameters& parameters, const fft::Grid<2>& grid);

/// The 2-D vorticity equation on `grid` for `batch` independent samples (file comment). The
/// state is omega_hat, (batch, 1, local spectral block), Norm::backward coefficients.
class Ns2dSystem final : public SpectralSystem<2> {
 public:
  /// Plans the transforms and tabulates lambda and q_hat. Collective over the grid's
  /// communicator. Throws as validate() and for batch < 1.
  Ns2dSystem(const fft::Grid<2>& grid, int batch, const Ns2dParameters& parameters);

  const fft::Grid<2>& grid() const override { return grid_; }
  int batch() const override { return batch_; }
  int channels() const override { return 1; }
  diagonal_view linear_diagonal() const override { return lambda_; }
  std::string name() const override { return "ns2d"; }

  /// out = -D[u . grad omega] + q_hat for the vorticity omega_hat (file comment). t is unused:
  /// the forcing is steady.
  void nonlinear(double t, const const_spectral_view& omega_hat, const spectral_view& out) override;

  /// The fno-cn step fused into the last pass of nonlinear() (SpectralSystem): N never leaves
  /// the cache.
  bool crank_nicolson_euler_step(double t, const spectral_view& omega_hat, double dt) override;

  const Ns2dParameters& parameters() const { return parameters_; }

  /// The transforms one call of nonlinear() makes per sample: 5 in the fno convention (4
  /// inverse + 1 forward), 4 in the standard one (2 + 2; file comment).
  int transforms_per_sample() const {
    return parameters_.convention == Ns2dConvention::fno ? 5 : 4;
  }

  /// Samples per pass: nonlinear() runs over the batch in passes of this many samples, so each
  /// pass works in cache (a divisor of the batch).
  int samples_per_pass() const { return chunk_; }

  /// How many times a pass calls inverse_plan(): 2 in the fno convention ((u, omega_x) then
  /// (v, omega_y)), 1 in the standard one ((u, v)).
  int inverse_calls_per_pass() const {
    return parameters_.convention == Ns2dConvention::fno ? 2 : 1;
  }

  /// The plans nonlinear() uses, for timing the transforms alone: per pass of
  /// samples_per_pass() samples, inverse_calls_per_pass() calls of the inverse (2 channels) and
  /// one of the forward (1 channel, fno; 2 standard).
  fft::Plan<double, 2>& inverse_plan() { return inverse_plan_; }
  fft::Plan<double, 2>& forward_plan() { return forward_plan_; }

 private:
  // nonlinear() for the chunk_ samples at `omega` (contiguous) into `out` (chunk_, 1, block);
  // with dt > 0, instead the fused fno-cn update of those samples, in place at `omega`.
  void nonlinear_pass(Kokkos::complex<double>* omega, const spectral_view& out, double dt = 0);
  // The fno convention's pass: u omega_x + v omega_y, 5 transforms.
  void advective_pass(Kokkos::complex<double>* omega, const spectral_view& out, double dt);
  // The standard convention's pass: second derivatives of v^2 - u^2 and u v, 4 transforms.
  void divergence_free_pass(Kokkos::complex<double>* omega, const spectral_view& out, double dt);
  // The per-mode tables of the fused fno-cn update for step dt (finish_pass).
  void tabulate_step(double dt);
  template <class Advection>
  void finish_pass(Kokkos::complex<double>* omega, const spectral_view& out, double dt,
                   const Advection& advection);

  fft::Grid<2> grid_;
  int batch_;
  int chunk_;
  Ns2dParameters parameters_;
  fft::Plan<double, 2> inverse_plan_;  // (chunk, 2): (u, omega_x) then (v, omega_y); standard: u, v
  fft::Plan<double, 2> forward_plan_;  // (chunk, 1): u omega_x + v omega_y; standard: 2 products
  Kokkos::View<double*> lambda_;
  // Per mode, column by column (LayoutLeft): k_x / N, k_y / N, 1/|k|^2, the product mask,
  // -k_x k_y and k_y^2 - k_x^2 (both masked).
  Kokkos::View<double* [6], Kokkos::LayoutLeft> modes_;
  fft::SpectralField<double, 2> forcing_hat_;  // (1, 1, block): q_hat
  // The fno-cn update's tables for dt = step_dt_ (tabulate_step): A and K by column, and Q.
  double step_dt_ = 0;
  Kokkos::View<double* [2], Kokkos::LayoutLeft> step_;
  Kokkos::View<Kokkos::complex<double>*> step_forcing_;
  fft::SpectralField<double, 2> fields_hat_;  // the inverse plan's spectral shape
  fft::RealField<double, 2> fields_;          // the inverse plan's real shape
  fft::RealField<double, 2> advection_;       // the forward plan's real shape
  fft::SpectralField<double, 2> scratch_;     // the forward plan's spectral shape
};

}  // namespace torus::pde
