#include "torus/pde/diagnostics.hpp"

#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>

#include "torus/core/error.hpp"
#include "torus/core/math.hpp"
#include "torus/fft/plan.hpp"
#include "torus/fft/wavenumbers.hpp"

namespace torus::pde {

namespace {

constexpr double two_pi = 6.283185307179586476925286766559;

using execution_space = fft::DefaultMemorySpace::execution_space;
using complex = Kokkos::complex<double>;
using Range2 = Kokkos::MDRangePolicy<execution_space, Kokkos::Rank<2>, Kokkos::IndexType<int>>;
using Range3 = Kokkos::MDRangePolicy<execution_space, Kokkos::Rank<3>, Kokkos::IndexType<int>>;

std::string number(double x) {
  std::ostringstream text;
  text << x;
  return text.str();
}

void require_vorticity(const fft::Grid<2>& grid, const ConstSpectral2& omega_hat,
                       const std::string& where) {
  fft::detail::require_spectral_block(grid, omega_hat, "the spectral vorticity", where);
  TORUS_REQUIRE(omega_hat.extent(1) == 1,
                "the spectral vorticity " + fft::detail::shape_of(omega_hat) + " has " +
                    std::to_string(omega_hat.extent(1)) + " channels, not 1",
                where, "pass a (batch, 1, ...) View of the vorticity coefficients");
}

// The multiplicity of an r2c mode in the full spectrum: 2 (itself and its conjugate -f), or 1 on
// the columns f1 = 0 and, for even n1, f1 = n1/2, which the r2c block holds in full.
struct R2cMultiplicity {
  int halved_storage_axis;  // the storage axis that holds f1 = 0..n1/2
  int start;                // the global index of its local index 0
  int n1;

  KOKKOS_INLINE_FUNCTION double operator()(int i0, int i1) const {
    const int f1 = (halved_storage_axis == 0 ? i0 : i1) + start;
    return (f1 == 0 || 2 * f1 == n1) ? 1.0 : 2.0;
  }
};

R2cMultiplicity r2c_multiplicity(const fft::Grid<2>& grid) {
  // The halved axis is storage axis 1, whole, or in the transposed layout storage axis 0, split
  // from local_spectral_start().
  R2cMultiplicity m;
  m.halved_storage_axis = grid.spectral_axis(0) == 1 ? 0 : 1;
  m.start = m.halved_storage_axis == 0 ? grid.local_spectral_start() : 0;
  m.n1 = grid.extents()[1];
  return m;
}

// |c_k|^2 / |k|^2 (0 at k = 0): the energy density 2 x 1/2 |u_hat|^2 of one mode.
struct EnergyDensity {
  KOKKOS_INLINE_FUNCTION double operator()(double k2, double c2) const {
    return k2 > 0.0 ? c2 / k2 : 0.0;
  }
};
// |c_k|^2: the enstrophy density.
struct EnstrophyDensity {
  KOKKOS_INLINE_FUNCTION double operator()(double, double c2) const { return c2; }
};
// |k|^2 |c_k|^2: the palinstrophy density.
struct PalinstrophyDensity {
  KOKKOS_INLINE_FUNCTION double operator()(double k2, double c2) const { return k2 * c2; }
};

// For every sample b: 1/2 sum over the full spectrum of density(|k|^2, |c_k|^2), with
// c_k = s omega_hat_k, s = backward_scale(norm, N), summed over the grid's ranks.
template <class Density>
std::vector<double> spectral_mean(const fft::Grid<2>& grid, const ConstSpectral2& omega_hat,
                                  fft::Norm norm, const char* name, Density density) {
  const std::string where = std::string("pde::") + name + " on grid " + grid.describe();
  require_vorticity(grid, omega_hat, where);

  const fft::Wavenumbers<double, 2> k(grid);
  const R2cMultiplicity multiplicity = r2c_multiplicity(grid);
  const double s = fft::backward_scale(norm, grid.points());
  const int local0 = static_cast<int>(omega_hat.extent(2));
  const int local1 = static_cast<int>(omega_hat.extent(3));
  const std::string label = std::string("torus::pde::") + name;

  std::vector<double> local(omega_hat.extent(0), 0.0);
  for (std::size_t b = 0; b < omega_hat.extent(0); ++b) {
    // sum_k m_k density(|k|^2, |omega_hat_k|^2), m_k the r2c multiplicity; the s^2 of
    // |c_k|^2 = s^2 |omega_hat_k|^2 and the 1/2 are applied once, after the sum.
    double sum = 0.0;
    Kokkos::parallel_reduce(
        label, Range2({0, 0}, {local0, local1}),
        KOKKOS_LAMBDA(const int i0, const int i1, double& partial) {
          const complex w = omega_hat(b, 0, i0, i1);
          const double w2 = w.real() * w.real() + w.imag() * w.imag();
          partial += multiplicity(i0, i1) * density(k.squared(i0, i1), w2);
        },
        sum);
    local[b] = 0.5 * s * s * sum;
  }

  std::vector<double> total(local.size(), 0.0);
  MPI_Allreduce(local.data(), total.data(), static_cast<int>(local.size()), MPI_DOUBLE, MPI_SUM,
                grid.comm());
  return total;
}

}  // namespace

std::vector<double> kinetic_energy(const fft::Grid<2>& grid, const ConstSpectral2& omega_hat,
                                   fft::Norm norm) {
  // E = 1/2 sum_{k != 0} |c_k|^2 / |k|^2
  return spectral_mean(grid, omega_hat, norm, "kinetic_energy", EnergyDensity{});
}

std::vector<double> enstrophy(const fft::Grid<2>& grid, const ConstSpectral2& omega_hat,
                              fft::Norm norm) {
  // Z = 1/2 sum_k |c_k|^2
  return spectral_mean(grid, omega_hat, norm, "enstrophy", EnstrophyDensity{});
}

std::vector<double> palinstrophy(const fft::Grid<2>& grid, const ConstSpectral2& omega_hat,
                                 fft::Norm norm) {
  // P = 1/2 sum_k |k|^2 |c_k|^2
  return spectral_mean(grid, omega_hat, norm, "palinstrophy", PalinstrophyDensity{});
}

double spectrum_shell_width(const fft::Grid<2>& grid) {
  return two_pi / std::max(grid.lengths()[0], grid.lengths()[1]);
}

int spectrum_shells(const fft::Grid<2>& grid) {
  // The corner mode (n0/2, n1/2) has the largest |k| of the grid.
  double k2 = 0.0;
  for (int a = 0; a < 2; ++a) {
    const double k_a = two_pi * (grid.extents()[a] / 2) / grid.lengths()[a];
    k2 += k_a * k_a;
  }
  return static_cast<int>(std::sqrt(k2) / spectrum_shell_width(grid) + 0.5) + 1;
}

std::vector<std::vector<double>> energy_spectrum(const fft::Grid<2>& grid,
                                                 const ConstSpectral2& omega_hat, fft::Norm norm) {
  const std::string where = "pde::energy_spectrum on grid " + grid.describe();
  require_vorticity(grid, omega_hat, where);

  const fft::Wavenumbers<double, 2> k(grid);
  const R2cMultiplicity multiplicity = r2c_multiplicity(grid);
  const double half_s2 = 0.5 * std::pow(fft::backward_scale(norm, grid.points()), 2);
  const double inverse_dk = 1.0 / spectrum_shell_width(grid);
  const int shells = spectrum_shells(grid);
  const int batch = static_cast<int>(omega_hat.extent(0));
  const int local0 = static_cast<int>(omega_hat.extent(2));
  const int local1 = static_cast<int>(omega_hat.extent(3));

  // E(j) = sum over the modes k != 0 with round(|k| / dk) = j of m_k 1/2 |c_k|^2 / |k|^2,
  // c_k = s omega_hat_k, m_k the r2c multiplicity. The clamp only guards the round-off of
  // |k| at the corner mode against spectrum_shells()'s own evaluation.
  Kokkos::View<double**, fft::DefaultMemorySpace> spectrum("torus::pde::energy_spectrum", batch,
                                                           shells);
  Kokkos::parallel_for(
      "torus::pde::energy_spectrum", Range3({0, 0, 0}, {batch, local0, local1}),
      KOKKOS_LAMBDA(const int b, const int i0, const int i1) {
        const double k2 = k.squared(i0, i1);
        if (k2 <= 0.0) return;
        const int shell = static_cast<int>(math::sqrt(k2) * inverse_dk + 0.5);
        const complex w = omega_hat(b, 0, i0, i1);
        const double w2 = w.real() * w.real() + w.imag() * w.imag();
        Kokkos::atomic_add(&spectrum(b, shell < shells ? shell : shells - 1),
                           half_s2 * multiplicity(i0, i1) * w2 / k2);
      });
  const auto local = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), spectrum);

  std::vector<std::vector<double>> result(batch, std::vector<double>(shells, 0.0));
  for (int b = 0; b < batch; ++b) {
    MPI_Allreduce(&local(b, 0), result[b].data(), shells, MPI_DOUBLE, MPI_SUM, grid.comm());
  }
  return result;
}

void velocity_from_vorticity(const fft::Grid<2>& grid, const ConstSpectral2& omega_hat,
                             const fft::SpectralField<double, 2>& u_hat) {
  const std::string where = "pde::velocity_from_vorticity on grid " + grid.describe();
  require_vorticity(grid, omega_hat, where);
  fft::detail::require_spectral_block(grid, u_hat, "the spectral velocity", where);
  TORUS_REQUIRE(u_hat.extent(0) == omega_hat.extent(0) && u_hat.extent(1) == 2,
                "the spectral velocity " + fft::detail::shape_of(u_hat) +
                    " does not hold (u, v) for each of the " + std::to_string(omega_hat.extent(0)) +
                    " samples of the vorticity",
                where, "allocate it as (batch, 2, ...) with the vorticity's batch");
  TORUS_REQUIRE(!fft::detail::overlap(omega_hat, u_hat),
                "the spectral vorticity and velocity share memory", where, "pass separate Views");

  const fft::Wavenumbers<double, 2> k(grid);
  const fft::Wavenumbers<double, 2> k_derivative(grid, {/*zero_nyquist=*/true});
  const int sx = grid.spectral_axis(0), sy = grid.spectral_axis(1);  // storage axes of x, y
  const int batch = static_cast<int>(omega_hat.extent(0));
  const int local0 = static_cast<int>(omega_hat.extent(2));
  const int local1 = static_cast<int>(omega_hat.extent(3));

  // psi_hat = omega_hat / |k|^2 (0 at k = 0), u_hat = i k_y psi_hat, v_hat = -i k_x psi_hat,
  // with k_x, k_y zero at their Nyquist frequencies.
  Kokkos::parallel_for(
      "torus::pde::velocity_from_vorticity", Range3({0, 0, 0}, {batch, local0, local1}),
      KOKKOS_LAMBDA(const int b, const int i0, const int i1) {
        const int i[2] = {i0, i1};
        const double k2 = k.squared(i0, i1);
        const complex psi = k2 > 0.0 ? omega_hat(b, 0, i0, i1) / k2 : complex(0.0, 0.0);
        const double k_x = k_derivative(sx, i[sx]);
        const double k_y = k_derivative(sy, i[sy]);
        u_hat(b, 0, i0, i1) = complex(-k_y * psi.imag(), k_y * psi.real());
        u_hat(b, 1, i0, i1) = complex(k_x * psi.imag(), -k_x * psi.real());
      });
}

std::vector<double> cfl(const fft::Grid<2>& grid, const ConstReal2& u, double dt) {
  const std::string where = "pde::cfl on grid " + grid.describe();
  TORUS_REQUIRE(std::isfinite(dt) && dt > 0.0,
                "the time step dt = " + number(dt) + " is not a positive number", where,
                "pass dt > 0");
  const auto& slab = grid.local_extents();
  TORUS_REQUIRE(u.extent(1) == 2 && u.extent(2) == static_cast<std::size_t>(slab[0]) &&
                    u.extent(3) == static_cast<std::size_t>(slab[1]),
                "the velocity has extents " + fft::detail::shape_of(u) + " but (batch, 2, " +
                    std::to_string(slab[0]) + ", " + std::to_string(slab[1]) +
                    ") is the local slab of (u, v) on this grid",
                where,
                "pass the physical velocity, e.g. from velocity_from_vorticity and a "
                "backward transform with 2 channels");

  const double dt_dx = dt * grid.extents()[0] / grid.lengths()[0];
  const double dt_dy = dt * grid.extents()[1] / grid.lengths()[1];
  std::vector<double> local(u.extent(0), 0.0);
  for (std::size_t b = 0; b < u.extent(0); ++b) {
    // CFL = max over points of |u| dt / dx + |v| dt / dy.
    double largest = 0.0;
    Kokkos::parallel_reduce(
        "torus::pde::cfl", Range2({0, 0}, {slab[0], slab[1]}),
        KOKKOS_LAMBDA(const int i0, const int i1, double& partial) {
          const double uu = u(b, 0, i0, i1), vv = u(b, 1, i0, i1);
          const double courant = (uu < 0 ? -uu : uu) * dt_dx + (vv < 0 ? -vv : vv) * dt_dy;
          if (courant > partial) partial = courant;
        },
        Kokkos::Max<double>(largest));
    local[b] = largest;
  }

  std::vector<double> total(local.size(), 0.0);
  MPI_Allreduce(local.data(), total.data(), static_cast<int>(local.size()), MPI_DOUBLE, MPI_MAX,
                grid.comm());
  return total;
}

}  // namespace torus::pde
