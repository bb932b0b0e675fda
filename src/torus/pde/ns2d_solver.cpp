#include "torus/pde/ns2d_solver.hpp"

#include <algorithm>
#include <cmath>
#include <exception>
#include <limits>
#include <sstream>

#include "torus/core/log.hpp"
#include "torus/pde/diagnostics.hpp"
#include "torus/pde/fno_scheme.hpp"
#include "torus/pde/time_integrator.hpp"

namespace torus::pde {

namespace {

constexpr const char* fno_scheme_name = "fno-cn";

Ns2dParameters with_convention(Ns2dParameters parameters, const std::string& scheme) {
  parameters.convention =
      scheme == fno_scheme_name ? Ns2dConvention::fno : Ns2dConvention::standard;
  return parameters;
}

std::string format_number(double value) {
  std::ostringstream text;
  text.precision(4);
  text << value;
  return text.str();
}

}  // namespace

std::vector<std::string> ns2d_schemes() {
  std::vector<std::string> names{fno_scheme_name};
  for (const auto& scheme : known_schemes()) names.push_back(scheme.name);
  return names;
}

int ns2d_scheme_order(const std::string& scheme) {
  if (scheme == fno_scheme_name) return 1;
  return scheme_info(scheme).order;
}

Ns2dBlowUp::Ns2dBlowUp(const std::string& problem, double time, double good_time, double cfl,
                       double suggested_dt)
    : Error(problem, "the 2-D Navier-Stokes run",
            "restart from the last good state (t = " + format_number(good_time) + ") with dt <= " +
                format_number(suggested_dt) + ", or resolve the flow with more points"),
      time_(time),
      good_time_(good_time),
      cfl_(cfl),
      suggested_dt_(suggested_dt) {}

// The TS integrator or the fno-cn stepper behind one interface.
struct Ns2dSolver::Stepper {
  std::unique_ptr<TimeIntegrator<2>> integrator;
  std::unique_ptr<FnoCrankNicolson> fno;

  void advance(const spectral_view& u, double& t, double t_end) {
    if (fno)
      fno->advance(u, t, t_end);
    else
      integrator->advance(u, t, t_end);
  }
  double dt() const { return fno ? fno->dt() : integrator->dt(); }
  long steps() const { return fno ? fno->steps() : integrator->steps(); }
};

Ns2dSolver::Ns2dSolver(const fft::Grid<2>& grid, int batch, const Ns2dOptions& options)
    : grid_(grid),
      options_(options),
      system_(grid, batch, with_convention(options.parameters, options.scheme)),
      plan_(grid, batch, 1),
      velocity_plan_(grid, batch, 2),
      stepper_(std::make_unique<Stepper>()) {
  TORUS_REQUIRE(options.check_every >= 1,
                "check_every must be >= 1, got " + std::to_string(options.check_every),
                "Ns2dOptions::check_every", "check at least every few hundred steps");
  TORUS_REQUIRE(std::isfinite(options.max_cfl) && options.max_cfl > 0, "max_cfl must be > 0",
                "Ns2dOptions::max_cfl", "use about 1");
  options_.parameters.convention = system_.parameters().convention;
  if (options.scheme == fno_scheme_name) {
    stepper_->fno = std::make_unique<FnoCrankNicolson>(system_, options.dt);
  } else {
    stepper_->integrator = std::make_unique<TimeIntegrator<2>>(
        system_, IntegratorOptions{options.scheme, options.dt, options.petsc_prefix});
  }
  omega_hat_ = plan_.make_spectral("torus::pde::Ns2dSolver omega_hat");
  last_good_ = plan_.make_spectral("torus::pde::Ns2dSolver last good");
  velocity_hat_ = velocity_plan_.make_spectral("torus::pde::Ns2dSolver velocity_hat");
  velocity_ = velocity_plan_.make_real("torus::pde::Ns2dSolver velocity");
}

Ns2dSolver::~Ns2dSolver() = default;

std::string Ns2dSolver::scheme() const {
  return stepper_->fno ? fno_scheme_name : stepper_->integrator->scheme();
}

long Ns2dSolver::steps() const { return stepper_->steps(); }

long Ns2dSolver::evaluations() const {
  return stepper_->fno ? stepper_->fno->nonlinear_evaluations()
                       : stepper_->integrator->nonlinear_evaluations();
}

void Ns2dSolver::set_vorticity(const real_view& omega, double t) {
  TORUS_REQUIRE(std::isfinite(t), "the start time is not finite", "Ns2dSolver::set_vorticity",
                "pass a finite time");
  plan_.forward(omega, omega_hat_);
  TORUS_REQUIRE(finite(), "the initial vorticity holds values that are not finite",
                "Ns2dSolver::set_vorticity", "check the initial field (NaN or infinity)");
  t_ = t;
}

void Ns2dSolver::set_vorticity_hat(const spectral_view& omega_hat, double t) {
  Kokkos::deep_copy(omega_hat_, omega_hat);
  TORUS_REQUIRE(finite(), "the initial vorticity holds values that are not finite",
                "Ns2dSolver::set_vorticity_hat", "check the initial field (NaN or infinity)");
  t_ = t;
}

void Ns2dSolver::vorticity(const real_view& omega) { plan_.backward(omega_hat_, omega); }

bool Ns2dSolver::finite() const {
  const auto omega_hat = omega_hat_;
  const auto& n = grid_.local_spectral_extents();
  const int m0 = n[0], m1 = n[1], batch = static_cast<int>(omega_hat.extent(0));
  int bad = 0;
  // x - x is 0 for every finite x and NaN for NaN and +-infinity.
  Kokkos::parallel_reduce(
      "torus::pde::Ns2dSolver finite", Kokkos::RangePolicy<>(0, batch * m0 * m1),
      KOKKOS_LAMBDA(const int j, int& found) {
        const auto z = omega_hat(j / (m0 * m1), 0, (j / m1) % m0, j % m1);
        if (!(z.real() - z.real() == 0 && z.imag() - z.imag() == 0)) found += 1;
      },
      bad);
  int any = bad;
  MPI_Allreduce(&bad, &any, 1, MPI_INT, MPI_SUM, grid_.comm());
  return any == 0;
}

double Ns2dSolver::cfl() {
  velocity_from_vorticity(grid_, omega_hat_, velocity_hat_);
  velocity_plan_.backward_overwriting(velocity_hat_, velocity_);
  const auto values = pde::cfl(grid_, velocity_, stepper_->dt());
  return *std::max_element(values.begin(), values.end());
}

void Ns2dSolver::advance_to(double t_end, const Progress& progress) {
  TORUS_REQUIRE(
      std::isfinite(t_end) && t_end >= t_,
      "cannot advance from t = " + std::to_string(t_) + " to t = " + std::to_string(t_end),
      "Ns2dSolver::advance_to", "pass a finite end time no earlier than time()");
  const double dt = stepper_->dt();
  if (stepper_->fno) {
    const double span = t_end - t_;
    TORUS_REQUIRE(
        std::abs(std::lround(span / dt) * dt - span) <= 1e-9 * std::max(1.0, std::abs(t_end)),
        "the interval [" + std::to_string(t_) + ", " + std::to_string(t_end) +
            "] is not a whole number of steps of dt = " + std::to_string(dt),
        "the fno-cn scheme", "choose output times that are multiples of dt");
  }
  const double chunk = options_.check_every * dt;
  while (t_ < t_end) {
    Kokkos::deep_copy(last_good_, omega_hat_);
    const double good_time = t_;
    // Whole chunks of check_every steps; the last one lands on t_end.
    double target = t_ + chunk;
    if (target > t_end - 1e-9 * dt) target = t_end;
    double t = t_;
    std::exception_ptr failure;
    try {
      stepper_->advance(omega_hat_, t, target);
    } catch (const Error&) {
      failure = std::current_exception();
    }
    const bool ok = !failure && finite();
    if (failure && finite()) {  // not a blow-up: put the state back and report it as it is
      Kokkos::deep_copy(omega_hat_, last_good_);
      t_ = good_time;
      std::rethrow_exception(failure);
    }
    const double courant = ok ? cfl() : std::numeric_limits<double>::quiet_NaN();
    if (!ok || courant > options_.max_cfl) {
      Kokkos::deep_copy(omega_hat_, last_good_);
      t_ = good_time;
      const double suggested =
          ok ? 0.5 * dt * options_.max_cfl / courant : 0.25 * dt;  // halve, with a margin
      const std::string what = ok ? "the CFL number reached " + format_number(courant) +
                                        " (limit " + format_number(options_.max_cfl) + ")"
                                  : "the vorticity stopped being finite (NaN or infinity)";
      log::error("ns2d blow-up at t = {}: {}; state rolled back to t = {}", t, what, good_time);
      throw Ns2dBlowUp("the run blew up at t = " + format_number(t) + ": " + what +
                           " with dt = " + format_number(dt),
                       t, good_time, courant, suggested);
    }
    t_ = target;
    if (progress) progress(steps(), t_, courant);
  }
}

}  // namespace torus::pde
