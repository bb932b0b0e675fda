#include "torus/pde/fno_scheme.hpp"

#include <cmath>

#include "torus/core/error.hpp"
#include "torus/fft/wavenumbers.hpp"

namespace torus::pde {

FnoCrankNicolson::FnoCrankNicolson(SpectralSystem<2>& system, double dt)
    : system_(system), dt_(dt) {
  TORUS_REQUIRE(std::isfinite(dt) && dt > 0,
                "the time step must be a positive number, got " + std::to_string(dt),
                "the fno-cn scheme", "pass dt > 0 (the FNO data sets use 1e-4)");
  const auto& n = system.grid().local_spectral_extents();
  nonlinear_ = spectral_view("torus::pde::FnoCrankNicolson N", system.batch(), system.channels(),
                             n[0], n[1]);
}

void FnoCrankNicolson::advance(const spectral_view& u, double& t, double t_end,
                               const StepMonitor<2>& monitor) {
  const std::string where = "the fno-cn scheme of " + system_.name();
  TORUS_REQUIRE(u.extent(0) == nonlinear_.extent(0) && u.extent(1) == nonlinear_.extent(1) &&
                    u.extent(2) == nonlinear_.extent(2) && u.extent(3) == nonlinear_.extent(3),
                "the state's extents are not (batch, channels, local spectral block)", where,
                "pass the View the system was made for");
  const double span = t_end - t;
  TORUS_REQUIRE(std::isfinite(span) && span >= 0,
                "cannot advance from t = " + std::to_string(t) + " to t = " + std::to_string(t_end),
                where, "pass a finite end time no earlier than the current time");
  const long count = std::lround(span / dt_);
  TORUS_REQUIRE(std::abs(count * dt_ - span) <= 1e-9 * std::max(1.0, std::abs(t_end)),
                "the interval [" + std::to_string(t) + ", " + std::to_string(t_end) +
                    "] is not a whole number of steps of dt = " + std::to_string(dt_),
                where, "choose output times that are multiples of dt");

  const auto lambda = system_.linear_diagonal();
  const std::size_t block = lambda.extent(0);
  TORUS_REQUIRE(u.span_is_contiguous(), "the state is not contiguous", where,
                "pass a whole View, not a strided subview");
  const std::size_t fields = u.size() / block;
  Kokkos::complex<double>* u_flat = u.data();
  const Kokkos::complex<double>* n_flat = nonlinear_.data();
  const double half_dt = 0.5 * dt_, dt = dt_;
  const double t0 = t;
  for (long step = 1; step <= count; ++step) {
    if (system_.crank_nicolson_euler_step(t, u, dt_)) {  // fused: N stays in cache
      ++steps_;
      t = step == count ? t_end : t0 + step * dt_;
      if (monitor) monitor(steps_, t, u);
      continue;
    }
    system_.nonlinear(t, u, nonlinear_);
    // omega <- [(1 + dt/2 lambda) omega + dt N] / (1 - dt/2 lambda)
    Kokkos::parallel_for(
        "torus::pde::FnoCrankNicolson step", Kokkos::RangePolicy<>(0, block),
        KOKKOS_LAMBDA(const std::size_t j) {
          const double l = lambda(j);
          const double denominator = 1 - half_dt * l;
          for (std::size_t field = 0; field < fields; ++field) {
            const std::size_t e = field * block + j;
            u_flat[e] = ((1 + half_dt * l) * u_flat[e] + dt * n_flat[e]) / denominator;
          }
        });
    ++steps_;
    t = step == count ? t_end : t0 + step * dt_;
    if (monitor) monitor(steps_, t, u);
  }
  t = t_end;
}

}  // namespace torus::pde
