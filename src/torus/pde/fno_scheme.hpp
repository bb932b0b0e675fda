#pragma once
/// \file
/// The time scheme of the FNO Navier–Stokes data sets (Li et al. 2021, ns_2d.py), by name
/// "fno-cn": Crank–Nicolson for the diagonal part, forward Euler for the rest,
///   omega^{n+1} = [ (1 + dt/2 lambda) omega^n + dt N(omega^n) ] / (1 - dt/2 lambda),
/// which with lambda = -nu |k|^2 and N = q_hat - D[u . grad omega] is FNO's
///   w_h = (-dt F_h + dt f_h + (1 - 0.5 dt nu lap) w_h) / (1 + 0.5 dt nu lap).
/// It is first-order accurate in time (the explicit part is Euler) and takes steps of exactly
/// dt: times advance as t0 + n dt. Used with Ns2dConvention::fno it reproduces FNO's generator
/// to round-off.

#include "torus/pde/spectral_system.hpp"
#include "torus/pde/time_integrator.hpp"

namespace torus::pde {

/// The "fno-cn" stepper for any SpectralSystem<2> (file comment).
class FnoCrankNicolson {
 public:
  using spectral_view = SpectralSystem<2>::spectral_view;

  /// Keeps a reference to `system`. Throws torus::Error for dt <= 0 or not finite.
  FnoCrankNicolson(SpectralSystem<2>& system, double dt);

  /// Advances u in place from t to t_end in steps of exactly dt, calling `monitor` after each
  /// step; t becomes t_end. Throws torus::Error unless t_end - t is a whole number of steps
  /// (to 1e-9 relative) and u has the system's extents.
  void advance(const spectral_view& u, double& t, double t_end, const StepMonitor<2>& monitor = {});

  double dt() const { return dt_; }
  long steps() const { return steps_; }
  long nonlinear_evaluations() const { return steps_; }

 private:
  SpectralSystem<2>& system_;
  double dt_;
  long steps_ = 0;
  spectral_view nonlinear_;
};

}  // namespace torus::pde
