#include "torus/pde/mcwilliams.hpp"

#include <cmath>
#include <sstream>
#include <vector>

#include "torus/pde/diagnostics.hpp"

namespace torus::pde {

namespace {

std::string number(double x) {
  std::ostringstream text;
  text << x;
  return text.str();
}

}  // namespace

void validate(const McWilliamsOptions& options) {
  const std::string where = "pde::McWilliamsOptions";
  TORUS_REQUIRE(std::isfinite(options.peak) && options.peak > 0.0,
                "the peak wavenumber k0 = " + number(options.peak) + " is not positive",
                where + ".peak", "use k0 > 0 (McWilliams used 6)");
  TORUS_REQUIRE(std::isfinite(options.value) && options.value > 0.0,
                "the normalisation value " + number(options.value) + " is not positive",
                where + ".value", "ask for a positive energy or enstrophy (0.5, say)");
}

void mcwilliams_vorticity(const fft::Grid<2>& grid, fft::Plan<double, 2>& plan,
                          const fft::RealField<double, 2>& omega, std::uint64_t seed,
                          std::uint64_t first_sample, const McWilliamsOptions& options) {
  const std::string where = "pde::mcwilliams_vorticity on grid " + grid.describe();
  TORUS_REQUIRE(
      plan.grid() == grid,
      "the FFT plan was made on grid " + plan.grid().describe() + ", not on the field's grid",
      where, "make the plan on the same grid (extents, lengths, communicator, layout)");
  TORUS_REQUIRE(plan.channels() == 1 && omega.extent(1) == 1,
                "the McWilliams field fills one channel, but the plan has " +
                    std::to_string(plan.channels()) + " and the View " +
                    std::to_string(omega.extent(1)),
                where, "make the plan and the View with one channel");

  auto h_hat = plan.make_spectral("torus::pde::mcwilliams_vorticity h_hat");
  mcwilliams_coefficients(grid, h_hat, seed, first_sample, options);

  // The backward transform reproduces h exactly (it is Hermitian), so the field's energy or
  // enstrophy can be read from h before transforming.
  const std::vector<double> measured =
      options.norm == McWilliamsNorm::energy ? kinetic_energy(grid, h_hat) : enstrophy(grid, h_hat);
  const int batch = plan.batch();
  std::vector<double> factors(batch);
  for (int b = 0; b < batch; ++b) {
    TORUS_REQUIRE(measured[b] > 0.0, "the drawn field is identically zero", where,
                  "use a grid with at least one resolved mode (n >= 2)");
    factors[b] = std::sqrt(options.value / measured[b]);  // both scale as amplitude^2
  }
  Kokkos::View<double*> factor("torus::pde::mcwilliams_vorticity factor", batch);
  Kokkos::deep_copy(
      factor,
      Kokkos::View<const double*, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>>(
          factors.data(), factors.size()));

  plan.backward_overwriting(h_hat, omega, fft::Norm::backward);

  // omega_b <- sqrt(value / measured_b) omega_b
  fft::detail::for_each_entry(
      "torus::pde::mcwilliams_vorticity scale", omega,
      KOKKOS_LAMBDA(const int b, const int c, const int i0, const int i1, const int) {
        omega(b, c, i0, i1) *= factor(b);
      });
}

}  // namespace torus::pde
