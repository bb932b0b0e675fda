#pragma once
/// \file
/// The 2-D Navier–Stokes solver as users drive it: a batch of vorticity fields on a grid, a
/// scheme by name, advance to a time, read the fields back; with blow-up detection.
///
/// \code
/// fft::Grid<2> grid({256, 256}, runtime.comm(), {.transposed_spectral = true});
/// pde::Ns2dOptions options;                       // nu = 1e-3, FNO forcing, fno-cn, dt = 1e-4
/// pde::Ns2dSolver solver(grid, /*batch=*/4, options);
/// auto omega = solver.plan().make_real("omega");
/// pde::gaussian_random_field(grid, solver.plan(), omega, /*seed=*/0, /*first_sample=*/0);
/// solver.set_vorticity(omega);
/// solver.advance_to(1.0);                         // throws Ns2dBlowUp on a CFL or NaN failure
/// solver.vorticity(omega);
/// \endcode
///
/// Schemes: "fno-cn" (fno_scheme.hpp; it implies Ns2dConvention::fno) or any name of
/// known_schemes() ("arkimex:3", "rk:4", ...; Ns2dConvention::standard), integrated through
/// PETSc TS with the options prefix "ns2d_" (so -ns2d_ts_arkimex_type 4 picks the type).
///
/// **Safety.** Every `check_every` steps the solver computes the CFL number
/// max(|u| dt/dx + |v| dt/dy) and checks the vorticity is finite. When the CFL number exceeds
/// `max_cfl` or a value is not finite, the state is rolled back to the last check that passed and
/// Ns2dBlowUp is thrown, naming the time and a step that would have been stable.

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "torus/core/error.hpp"
#include "torus/fft/plan.hpp"
#include "torus/pde/ns2d_system.hpp"

namespace torus::pde {

/// Everything that defines a 2-D run apart from the grid, the batch and the initial field.
struct Ns2dOptions {
  /// nu, forcing and drag. The convention is set by the scheme (file comment).
  Ns2dParameters parameters{1e-3, {ForcingKind::fno, 4, 1.0, 0.0}};
  /// "fno-cn" or a known_schemes() name.
  std::string scheme = "fno-cn";
  /// The time step (fno-cn: exact; TS schemes: the largest step, see TimeIntegrator::advance).
  double dt = 1e-4;
  /// Steps between CFL and NaN checks (>= 1).
  int check_every = 100;
  /// The largest CFL number accepted at a check.
  double max_cfl = 1.0;
  /// Prefix of the PETSc options read by TS schemes; empty reads none.
  std::string petsc_prefix = "ns2d_";
};

/// The scheme names the solver accepts: "fno-cn" and every known_schemes() name.
std::vector<std::string> ns2d_schemes();
/// The order of accuracy in time of a scheme the solver accepts (fno-cn: 1).
int ns2d_scheme_order(const std::string& scheme);

/// A run stopped by a CFL or NaN failure. The solver's state is the last good one.
class Ns2dBlowUp : public Error {
 public:
  Ns2dBlowUp(const std::string& problem, double time, double good_time, double cfl,
             double suggested_dt);
  /// The time at which the failure was seen.
  double time() const { return time_; }
  /// The time of the state the solver was rolled back to.
  double good_time() const { return good_time_; }
  /// The CFL number seen (NaN or infinite when the fields were not finite).
  double cfl() const { return cfl_; }
  /// A time step that would keep the CFL number within bounds.
  double suggested_dt() const { return suggested_dt_; }

 private:
  double time_, good_time_, cfl_, suggested_dt_;
};

/// The solver (file comment). Collective over the grid's communicator.
class Ns2dSolver {
 public:
  using real_view = fft::RealField<double, 2>;
  using spectral_view = fft::SpectralField<double, 2>;
  /// Called after every check with (steps so far, time, largest CFL number over the batch).
  using Progress = std::function<void(long step, double t, double cfl)>;

  /// Throws torus::Error for bad parameters or an unknown scheme.
  Ns2dSolver(const fft::Grid<2>& grid, int batch, const Ns2dOptions& options);
  ~Ns2dSolver();

  /// Sets the state to the vorticity `omega` ((batch, 1, local x, y)) at time t. Throws when
  /// the extents are wrong or a value is not finite.
  void set_vorticity(const real_view& omega, double t = 0);
  /// Sets the state from spectral coefficients (Norm::backward) at time t.
  void set_vorticity_hat(const spectral_view& omega_hat, double t = 0);
  /// Writes the current vorticity into `omega` ((batch, 1, local x, y)).
  void vorticity(const real_view& omega);
  /// The current spectral vorticity (Norm::backward), owned by the solver.
  const spectral_view& vorticity_hat() const { return omega_hat_; }
  double time() const { return t_; }

  /// Advances to t_end, checking stability every check_every steps (file comment) and calling
  /// `progress` after each check. Throws Ns2dBlowUp (state rolled back), or torus::Error for
  /// t_end < time() or an fno-cn interval that is not a whole number of steps.
  void advance_to(double t_end, const Progress& progress = {});

  /// The largest CFL number over the batch for the current state and dt, and whether every
  /// value of the vorticity is finite.
  double cfl();
  bool finite() const;

  /// The (batch, 1) plan of the grid: make Views with it.
  fft::Plan<double, 2>& plan() { return plan_; }
  const fft::Grid<2>& grid() const { return grid_; }
  Ns2dSystem& system() { return system_; }
  const Ns2dOptions& options() const { return options_; }
  /// The scheme as run ("fno-cn", "arkimex:3", ...).
  std::string scheme() const;
  long steps() const;
  /// Evaluations of the nonlinear term so far (one per step for fno-cn, one per stage for TS).
  long evaluations() const;

 private:
  struct Stepper;
  fft::Grid<2> grid_;
  Ns2dOptions options_;
  Ns2dSystem system_;
  fft::Plan<double, 2> plan_;           // (batch, 1)
  fft::Plan<double, 2> velocity_plan_;  // (batch, 2)
  spectral_view omega_hat_, last_good_, velocity_hat_;
  real_view velocity_;
  double t_ = 0;
  std::unique_ptr<Stepper> stepper_;
};

}  // namespace torus::pde
