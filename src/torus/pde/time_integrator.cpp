// PETSc TS driving a SpectralSystem: the state Vec holds the complex coefficients as pairs of
// reals (PETSc is built with real scalars), in the C order of the (batch, channel, block) View.
#include "torus/pde/time_integrator.hpp"

#include <petscsnes.h>

#include <cmath>
#include <exception>
#include <sstream>

#include "torus/core/error.hpp"
#include "torus/core/log.hpp"

namespace torus::pde {

const std::vector<SchemeInfo>& known_schemes() {
  static const std::vector<SchemeInfo> schemes = {
      {"arkimex:1bee", 1, true},   {"arkimex:a2", 2, true},     {"arkimex:l2", 2, true},
      {"arkimex:ars122", 2, true}, {"arkimex:2c", 2, true},     {"arkimex:2d", 2, true},
      {"arkimex:2e", 2, true},     {"arkimex:prssp2", 2, true}, {"arkimex:3", 3, true},
      {"arkimex:ars443", 3, true}, {"arkimex:4", 4, true},      {"arkimex:5", 5, true},
      {"rk:1fe", 1, false},        {"rk:2a", 2, false},         {"rk:3", 3, false},
      {"rk:3bs", 3, false},        {"rk:4", 4, false},          {"rk:5f", 5, false},
  };
  return schemes;
}

const SchemeInfo& scheme_info(const std::string& name) {
  for (const auto& scheme : known_schemes())
    if (scheme.name == name) return scheme;
  std::string choices;
  for (const auto& scheme : known_schemes()) choices += (choices.empty() ? "" : ", ") + scheme.name;
  TORUS_THROW("unknown time-integration scheme '" + name + "'", "the scheme option",
              "choose one of " + choices);
}

namespace {

// Throws torus::Error when a PETSc call failed.
void check_petsc(PetscErrorCode status, const char* call) {
  if (status == 0) return;
  const char* text = nullptr;
  PetscErrorMessage(status, &text, nullptr);
  TORUS_THROW(std::string("PETSc failed in ") + call + ": " + (text ? text : "unknown error"),
              "the time integrator", "run with TORUS_LOG=debug and -log_view for details");
}

#define TORUS_PETSC(call) check_petsc((call), #call)

using ComplexVector = Kokkos::View<Kokkos::complex<double>*, fft::DefaultMemorySpace,
                                   Kokkos::MemoryTraits<Kokkos::Unmanaged>>;

}  // namespace

template <int Dim>
struct TimeIntegrator<Dim>::Impl {
  using system_type = SpectralSystem<Dim>;
  using spectral_view = typename system_type::spectral_view;
  using const_spectral_view = typename system_type::const_spectral_view;

  system_type& system;
  SchemeInfo info;
  std::string prefix;
  TS ts = nullptr;
  Vec state = nullptr;
  Mat jacobian = nullptr;
  typename system_type::diagonal_view lambda;
  std::size_t block = 0;    // complex entries of one field's local spectral block
  std::size_t entries = 0;  // complex entries of the local state
  double shift = 0;         // the implicit stage's shift, set by ijacobian()
  double dt = 0;            // the step asked for (after PETSc options)
  long steps = 0;
  long nonlinear_calls = 0;
  const StepMonitor<Dim>* monitor = nullptr;
  std::exception_ptr failure;  // an exception caught inside a PETSc callback

  Impl(system_type& s, const IntegratorOptions& options)
      : system(s), info(scheme_info(options.scheme)), prefix(options.options_prefix) {}

  // (batch, channels, local spectral block) over `data`, which holds `entries` complex values.
  template <class View, class Pointer>
  View shaped(Pointer data) const {
    const auto& n = system.grid().local_spectral_extents();
    if constexpr (Dim == 2)
      return View(data, system.batch(), system.channels(), n[0], n[1]);
    else
      return View(data, system.batch(), system.channels(), n[0], n[1], n[2]);
  }

  // out = lambda .* u (+ out when accumulate), entry by entry.
  void apply_diagonal(const Kokkos::complex<double>* u, Kokkos::complex<double>* out,
                      bool accumulate) const {
    ComplexVector u_flat(const_cast<Kokkos::complex<double>*>(u), entries);
    ComplexVector out_flat(out, entries);
    const auto lambda_ = lambda;
    const std::size_t block_ = block;
    Kokkos::parallel_for(
        "torus::pde::TimeIntegrator lambda u",
        Kokkos::RangePolicy<fft::DefaultMemorySpace::execution_space>(0, entries),
        KOKKOS_LAMBDA(const std::size_t j) {
          const Kokkos::complex<double> value = lambda_(j % block_) * u_flat(j);
          out_flat(j) = accumulate ? out_flat(j) + value : value;
        });
  }

  // Runs `body`, turning a C++ exception into a PETSc error code (exceptions must not cross
  // PETSc's C frames); the exception is rethrown by advance().
  template <class Body>
  PetscErrorCode guarded(Body&& body) {
    try {
      body();
      return 0;
    } catch (...) {
      if (!failure) failure = std::current_exception();
      return PETSC_ERR_USER;
    }
  }

  // G(t, U) = N(t, U) (IMEX) or lambda .* U + N(t, U) (explicit).
  static PetscErrorCode rhs(TS, PetscReal t, Vec U, Vec G, void* context) {
    auto& self = *static_cast<Impl*>(context);
    return self.guarded([&] {
      const PetscScalar* u = nullptr;
      PetscScalar* g = nullptr;
      TORUS_PETSC(VecGetArrayRead(U, &u));
      TORUS_PETSC(VecGetArrayWrite(G, &g));
      const auto* u_c = reinterpret_cast<const Kokkos::complex<double>*>(u);
      auto* g_c = reinterpret_cast<Kokkos::complex<double>*>(g);
      self.system.nonlinear(t, self.template shaped<const_spectral_view>(u_c),
                            self.template shaped<spectral_view>(g_c));
      ++self.nonlinear_calls;
      if (!self.info.imex) self.apply_diagonal(u_c, g_c, /*accumulate=*/true);
      Kokkos::fence();
      TORUS_PETSC(VecRestoreArrayWrite(G, &g));
      TORUS_PETSC(VecRestoreArrayRead(U, &u));
    });
  }

  // F(t, U, U') = U' - lambda .* U: the implicit part of an IMEX scheme.
  static PetscErrorCode ifunction(TS, PetscReal, Vec U, Vec Udot, Vec F, void* context) {
    auto& self = *static_cast<Impl*>(context);
    return self.guarded([&] {
      const PetscScalar* u = nullptr;
      PetscScalar* f = nullptr;
      TORUS_PETSC(VecGetArrayRead(U, &u));
      TORUS_PETSC(VecGetArrayWrite(F, &f));
      self.apply_diagonal(reinterpret_cast<const Kokkos::complex<double>*>(u),
                          reinterpret_cast<Kokkos::complex<double>*>(f), false);
      Kokkos::fence();
      TORUS_PETSC(VecRestoreArrayWrite(F, &f));
      TORUS_PETSC(VecRestoreArrayRead(U, &u));
      TORUS_PETSC(VecAYPX(F, -1.0, Udot));  // F = Udot - lambda U
    });
  }

  // dF/dU + shift dF/dU' = shift I - diag(lambda): only the shift changes between stages.
  static PetscErrorCode ijacobian(TS, PetscReal, Vec, Vec, PetscReal shift, Mat, Mat,
                                  void* context) {
    static_cast<Impl*>(context)->shift = shift;
    return 0;
  }

  // y = (shift - lambda) x  (for 0 <= e < 2: the real and imaginary parts alike), or with
  // `invert`, y = x / (shift - lambda): the exact solve of the implicit stage.
  PetscErrorCode diagonal_solve(Vec x, Vec y, bool invert) {
    return guarded([&] {
      const PetscScalar* in = nullptr;
      PetscScalar* out = nullptr;
      TORUS_PETSC(VecGetArrayRead(x, &in));
      TORUS_PETSC(VecGetArrayWrite(y, &out));
      using Reals =
          Kokkos::View<double*, fft::DefaultMemorySpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>>;
      Reals in_(const_cast<double*>(in), 2 * entries), out_(out, 2 * entries);
      const auto lambda_ = lambda;
      const std::size_t block_ = block;
      const double shift_ = shift;
      Kokkos::parallel_for(
          "torus::pde::TimeIntegrator implicit solve",
          Kokkos::RangePolicy<fft::DefaultMemorySpace::execution_space>(0, 2 * entries),
          KOKKOS_LAMBDA(const std::size_t e) {
            const double d = shift_ - lambda_((e / 2) % block_);
            out_(e) = invert ? in_(e) / d : in_(e) * d;
          });
      Kokkos::fence();
      TORUS_PETSC(VecRestoreArrayWrite(y, &out));
      TORUS_PETSC(VecRestoreArrayRead(x, &in));
    });
  }

  static PetscErrorCode jacobian_mult(Mat A, Vec x, Vec y) {
    void* context = nullptr;
    PetscCall(MatShellGetContext(A, &context));
    return static_cast<Impl*>(context)->diagonal_solve(x, y, false);
  }

  static PetscErrorCode jacobian_diagonal(Mat A, Vec d) {
    void* context = nullptr;
    PetscCall(MatShellGetContext(A, &context));
    auto& self = *static_cast<Impl*>(context);
    PetscCall(VecSet(d, 1.0));
    return self.diagonal_solve(d, d, false);
  }

  static PetscErrorCode preconditioner_apply(PC pc, Vec x, Vec y) {
    void* context = nullptr;
    PetscCall(PCShellGetContext(pc, &context));
    return static_cast<Impl*>(context)->diagonal_solve(x, y, true);
  }

  static PetscErrorCode step_monitor(TS, PetscInt step, PetscReal t, Vec U, void* context) {
    auto& self = *static_cast<Impl*>(context);
    if (step == 0) return 0;  // TSSolve reports the initial state too
    ++self.steps;
    if (!self.monitor || !*self.monitor) return 0;
    return self.guarded([&] {
      const PetscScalar* u = nullptr;
      TORUS_PETSC(VecGetArrayRead(U, &u));
      try {
        (*self.monitor)(self.steps, t,
                        self.template shaped<const_spectral_view>(
                            reinterpret_cast<const Kokkos::complex<double>*>(u)));
      } catch (...) {
        VecRestoreArrayRead(U, &u);
        throw;
      }
      TORUS_PETSC(VecRestoreArrayRead(U, &u));
    });
  }

  void set_up(double dt) {
    const MPI_Comm comm = system.grid().comm();
    lambda = system.linear_diagonal();
    block = 1;
    for (int s = 0; s < Dim; ++s) block *= system.grid().local_spectral_extents()[s];
    entries = block * static_cast<std::size_t>(system.batch()) * system.channels();
    TORUS_REQUIRE(lambda.extent(0) == block,
                  "the linear diagonal has " + std::to_string(lambda.extent(0)) +
                      " entries, but the local spectral block has " + std::to_string(block),
                  "SpectralSystem '" + system.name() + "'",
                  "return one lambda per entry of the local spectral block");
    const PetscInt local = static_cast<PetscInt>(2 * entries);

    TORUS_PETSC(VecCreateMPI(comm, local, PETSC_DETERMINE, &state));
    TORUS_PETSC(TSCreate(comm, &ts));
    if (!prefix.empty()) TORUS_PETSC(TSSetOptionsPrefix(ts, prefix.c_str()));
    TORUS_PETSC(TSSetProblemType(ts, TS_NONLINEAR));
    const std::string type = info.name.substr(info.name.find(':') + 1);
    TORUS_PETSC(TSSetRHSFunction(ts, nullptr, &Impl::rhs, this));
    if (info.imex) {
      TORUS_PETSC(TSSetType(ts, TSARKIMEX));
      TORUS_PETSC(TSARKIMEXSetType(ts, type.c_str()));
      TORUS_PETSC(TSSetIFunction(ts, nullptr, &Impl::ifunction, this));
      TORUS_PETSC(
          MatCreateShell(comm, local, local, PETSC_DETERMINE, PETSC_DETERMINE, this, &jacobian));
      TORUS_PETSC(MatShellSetOperation(jacobian, MATOP_MULT,
                                       reinterpret_cast<void (*)(void)>(&Impl::jacobian_mult)));
      TORUS_PETSC(MatShellSetOperation(jacobian, MATOP_GET_DIAGONAL,
                                       reinterpret_cast<void (*)(void)>(&Impl::jacobian_diagonal)));
      TORUS_PETSC(TSSetIJacobian(ts, jacobian, jacobian, &Impl::ijacobian, this));
      // The implicit stage is linear and diagonal: one exact "preconditioner" application.
      SNES snes = nullptr;
      KSP ksp = nullptr;
      PC pc = nullptr;
      TORUS_PETSC(TSGetSNES(ts, &snes));
      TORUS_PETSC(SNESSetType(snes, SNESKSPONLY));
      TORUS_PETSC(SNESGetKSP(snes, &ksp));
      TORUS_PETSC(KSPSetType(ksp, KSPPREONLY));
      TORUS_PETSC(KSPGetPC(ksp, &pc));
      TORUS_PETSC(PCSetType(pc, PCSHELL));
      TORUS_PETSC(PCShellSetContext(pc, this));
      TORUS_PETSC(PCShellSetApply(pc, &Impl::preconditioner_apply));
      TORUS_PETSC(PCShellSetName(pc, "torus exact diagonal solve"));
    } else {
      TORUS_PETSC(TSSetType(ts, TSRK));
      TORUS_PETSC(TSRKSetType(ts, type.c_str()));
    }
    TORUS_PETSC(TSSetTimeStep(ts, dt));
    // Fixed steps: PETSc would otherwise adapt them with the embedded error estimate.
    TSAdapt adapt = nullptr;
    TORUS_PETSC(TSGetAdapt(ts, &adapt));
    TORUS_PETSC(TSAdaptSetType(adapt, TSADAPTNONE));
    TORUS_PETSC(TSSetExactFinalTime(ts, TS_EXACTFINALTIME_STEPOVER));
    TORUS_PETSC(TSMonitorSet(ts, &Impl::step_monitor, this, nullptr));
    if (!prefix.empty()) TORUS_PETSC(TSSetFromOptions(ts));
    // Options may change the type within a family, not the family: the callbacks above split
    // the right-hand side for exactly one of them.
    TSType chosen = nullptr;
    TORUS_PETSC(TSGetType(ts, &chosen));
    const std::string want = info.imex ? TSARKIMEX : TSRK;
    TORUS_REQUIRE(chosen && want == chosen,
                  "PETSc options chose -ts_type " + std::string(chosen ? chosen : "?") +
                      " for a '" + info.name + "' integrator",
                  "the PETSc options with prefix '" + prefix + "'",
                  "pick the family with the scheme option (arkimex:<type> or rk:<type>) and "
                  "only the type with -" +
                      prefix + "ts_arkimex_type / -" + prefix + "ts_rk_type");
    TORUS_PETSC(TSGetTimeStep(ts, &this->dt));
    TORUS_PETSC(TSSetSolution(ts, state));
    TORUS_PETSC(TSSetUp(ts));
  }

  ~Impl() {
    if (ts) TSDestroy(&ts);
    if (jacobian) MatDestroy(&jacobian);
    if (state) VecDestroy(&state);
  }
};

template <int Dim>
TimeIntegrator<Dim>::TimeIntegrator(SpectralSystem<Dim>& system, const IntegratorOptions& options)
    : impl_(std::make_unique<Impl>(system, options)) {
  TORUS_REQUIRE(std::isfinite(options.dt) && options.dt > 0,
                "the time step must be a positive number, got " + std::to_string(options.dt),
                "IntegratorOptions::dt", "pass dt > 0");
  impl_->set_up(options.dt);
  log::debug("time integrator for {}: {} with dt = {}", system.name(), scheme(), dt());
}

template <int Dim>
TimeIntegrator<Dim>::~TimeIntegrator() = default;

template <int Dim>
void TimeIntegrator<Dim>::advance(const spectral_view& u, double& t, double t_end,
                                  const StepMonitor<Dim>& monitor) {
  Impl& self = *impl_;
  const std::string where = "TimeIntegrator::advance of " + self.system.name();
  const auto& n = self.system.grid().local_spectral_extents();
  bool same = u.extent(0) == std::size_t(self.system.batch()) &&
              u.extent(1) == std::size_t(self.system.channels());
  for (int s = 0; s < Dim; ++s) same = same && u.extent(2 + s) == std::size_t(n[s]);
  TORUS_REQUIRE(same, "the state's extents are not (batch, channels, local spectral block)", where,
                "pass the View the system was made for");
  TORUS_REQUIRE(std::isfinite(t) && std::isfinite(t_end) && t_end >= t,
                "cannot advance from t = " + std::to_string(t) + " to t = " + std::to_string(t_end),
                where, "pass a finite end time no earlier than the current time");
  if (t_end == t) return;

  // n equal steps of at most dt land exactly on t_end without a sliver of a last step.
  const double dt = this->dt();
  const double span = t_end - t;
  const long count = std::max(1L, static_cast<long>(std::ceil(span / dt * (1 - 1e-12))));
  const double h = span / static_cast<double>(count);

  PetscScalar* x = nullptr;
  TORUS_PETSC(VecGetArrayWrite(self.state, &x));
  Kokkos::deep_copy(
      self.template shaped<spectral_view>(reinterpret_cast<Kokkos::complex<double>*>(x)), u);
  TORUS_PETSC(VecRestoreArrayWrite(self.state, &x));

  TORUS_PETSC(TSSetTime(self.ts, t));
  TORUS_PETSC(TSSetTimeStep(self.ts, h));
  TORUS_PETSC(TSSetStepNumber(self.ts, 0));
  TORUS_PETSC(TSSetMaxSteps(self.ts, count));
  TORUS_PETSC(TSSetMaxTime(self.ts, t_end + h));  // never binding: the step count stops it
  self.monitor = &monitor;
  self.failure = nullptr;
  PetscPushErrorHandler(PetscReturnErrorHandler, nullptr);
  const PetscErrorCode status = TSSolve(self.ts, self.state);
  PetscPopErrorHandler();
  self.monitor = nullptr;

  // Whatever happened, hand back the last completed step.
  PetscReal reached = t;
  TSGetTime(self.ts, &reached);
  const PetscScalar* y = nullptr;
  VecGetArrayRead(self.state, &y);
  Kokkos::deep_copy(u,
                    self.template shaped<spectral_view>(
                        reinterpret_cast<Kokkos::complex<double>*>(const_cast<PetscScalar*>(y))));
  VecRestoreArrayRead(self.state, &y);

  if (self.failure) {
    t = reached;
    std::rethrow_exception(self.failure);
  }
  TSConvergedReason reason = TS_CONVERGED_ITERATING;
  TSGetConvergedReason(self.ts, &reason);
  if (status != 0 || reason < 0) {
    t = reached;
    check_petsc(status != 0 ? status : PETSC_ERR_NOT_CONVERGED, "TSSolve");
  }
  t = t_end;
}

template <int Dim>
std::string TimeIntegrator<Dim>::scheme() const {
  TSType type = nullptr;
  TSGetType(impl_->ts, &type);
  const std::string family = type ? type : "?";
  if (family == TSARKIMEX) {
    TSARKIMEXType sub = nullptr;
    TSARKIMEXGetType(impl_->ts, &sub);
    return "arkimex:" + std::string(sub ? sub : "?");
  }
  if (family == TSRK) {
    TSRKType sub = nullptr;
    TSRKGetType(impl_->ts, &sub);
    return "rk:" + std::string(sub ? sub : "?");
  }
  return family;
}

template <int Dim>
double TimeIntegrator<Dim>::dt() const {
  return impl_->dt;
}

template <int Dim>
long TimeIntegrator<Dim>::steps() const {
  return impl_->steps;
}

template <int Dim>
long TimeIntegrator<Dim>::nonlinear_evaluations() const {
  return impl_->nonlinear_calls;
}

template class TimeIntegrator<2>;
template class TimeIntegrator<3>;

}  // namespace torus::pde
