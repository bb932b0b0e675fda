#pragma once
/// \file
/// Time integration of a SpectralSystem through PETSc TS.
///
/// \code
/// pde::TimeIntegrator<2> integrator(system, {.scheme = "arkimex:3", .dt = 1e-3});
/// double t = 0;
/// integrator.advance(u_hat, t, /*t_end=*/1.0);   // u_hat advanced in place, t = 1.0
/// \endcode
///
/// Schemes are named "<family>:<type>" after PETSc's TS types:
/// - "arkimex:<type>" — additive (IMEX) Runge–Kutta, TSARKIMEX with that type ("1bee", "a2",
///   "l2", "ars122", "2c", "2d", "2e", "prssp2", "3", "ars443", "4", "5"). The diagonal
///   part lambda .* u is implicit and solved EXACTLY: the Newton system of each implicit stage,
///   (shift - lambda) du = r, is diagonal, so the integrator runs SNES "ksponly" with KSP
///   "preonly" and a shell preconditioner that divides by (shift - lambda): one division per
///   entry, no Krylov iteration.
/// - "rk:<type>" — explicit Runge–Kutta, TSRK with that type ("1fe", "2a", "3", "3bs", "4",
///   "5f"), on lambda .* u + N(t, u).
/// These are the types whose order of accuracy the tests confirm. PETSc's "bpr3" converges at
/// first order on a non-stiff nonlinear problem, so it is left out; "5dp" and "5bs" are fifth
/// order but their error is dominated by higher-order terms down to round-off, so their order
/// cannot be confirmed and they are left out of the list (PETSc options can still pick them).
/// PETSc options given on the command line (or in PETSC_OPTIONS) with the integrator's prefix
/// override these choices (e.g. -ns2d_ts_arkimex_type 4), as TSSetFromOptions does.
///
/// The step is fixed (no adaptivity unless PETSc options ask for it): advance() takes
/// ceil((t_end - t) / dt) equal steps, each of at most dt, so it lands exactly on t_end.

#include <petscts.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "torus/pde/spectral_system.hpp"

namespace torus::pde {

/// How to integrate in time.
struct IntegratorOptions {
  /// "<family>:<type>" (file comment); "arkimex:3" by default.
  std::string scheme = "arkimex:3";
  /// The time step, > 0.
  double dt = 1e-3;
  /// Prefix of the PETSc options read for this integrator ("ns2d_" reads -ns2d_ts_type, ...);
  /// empty: read none (the scheme and dt above are used as given).
  std::string options_prefix;
};

/// The schemes the integrator names, with their orders of accuracy: {"arkimex:3", 3}, ...
struct SchemeInfo {
  std::string name;
  int order;
  bool imex;
};
/// Every scheme name the integrator accepts, with its order.
const std::vector<SchemeInfo>& known_schemes();
/// The entry of known_schemes() for `name`; throws torus::Error naming the choices otherwise.
const SchemeInfo& scheme_info(const std::string& name);

/// Called after every accepted step with the step count, the time and the state.
template <int Dim>
using StepMonitor = std::function<void(long step, double t,
                                       const typename SpectralSystem<Dim>::const_spectral_view& u)>;

/// Advances the state of a SpectralSystem with a PETSc TS (file comment). Collective over the
/// system's grid communicator. Not copyable; keeps a reference to the system.
template <int Dim>
class TimeIntegrator {
 public:
  using spectral_view = typename SpectralSystem<Dim>::spectral_view;

  /// Sets up the TS for `system`. Throws torus::Error for an unknown scheme, dt <= 0 or not
  /// finite, or a PETSc failure.
  TimeIntegrator(SpectralSystem<Dim>& system, const IntegratorOptions& options);
  ~TimeIntegrator();
  TimeIntegrator(const TimeIntegrator&) = delete;
  TimeIntegrator& operator=(const TimeIntegrator&) = delete;

  /// Advances `u` ((batch, channels, local spectral block) of the system) in place from time t
  /// to t_end in ceil((t_end - t) / dt) equal steps (each <= dt), calling `monitor`
  /// after each step; t becomes t_end. Throws torus::Error when u has the wrong extents, t_end <
  /// t, or PETSc fails (the state is then the last completed step's and t its time).
  void advance(const spectral_view& u, double& t, double t_end,
               const StepMonitor<Dim>& monitor = {});

  /// The scheme as PETSc runs it (after options), e.g. "arkimex:3".
  std::string scheme() const;
  /// The step size (after options).
  double dt() const;
  /// Steps taken so far by this integrator.
  long steps() const;
  /// Evaluations of N(t, u) so far.
  long nonlinear_evaluations() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

extern template class TimeIntegrator<2>;
extern template class TimeIntegrator<3>;

}  // namespace torus::pde
