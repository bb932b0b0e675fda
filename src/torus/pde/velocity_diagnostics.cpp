#include "torus/pde/velocity_diagnostics.hpp"

#include <mpi.h>

#include <cmath>
#include <sstream>
#include <string>

#include "torus/core/error.hpp"
#include "torus/core/math.hpp"
#include "torus/fft/plan.hpp"
#include "torus/fft/wavenumbers.hpp"
#include "torus/pde/wavevector.hpp"

namespace torus::pde {

namespace {

using execution_space = fft::DefaultMemorySpace::execution_space;
using complex = Kokkos::complex<double>;
using Range3 = Kokkos::MDRangePolicy<execution_space, Kokkos::Rank<3>, Kokkos::IndexType<int>>;

void require_velocity(const fft::Grid<3>& grid, const ConstSpectral3& u_hat,
                      const std::string& where) {
  fft::detail::require_spectral_block(grid, u_hat, "the spectral velocity", where);
  TORUS_REQUIRE(u_hat.extent(1) == 3,
                "the spectral velocity " + fft::detail::shape_of(u_hat) + " has " +
                    std::to_string(u_hat.extent(1)) + " channels, not 3",
                where, "pass a (batch, 3, ...) View of the velocity coefficients");
}

KOKKOS_INLINE_FUNCTION double norm2(const complex& z) {
  return z.real() * z.real() + z.imag() * z.imag();
}

// 1/2 |c|^2 summed over the components: the energy density of one mode.
struct EnergyDensity {
  KOKKOS_INLINE_FUNCTION double operator()(const double (&)[3], const complex (&c)[3]) const {
    return 0.5 * (norm2(c[0]) + norm2(c[1]) + norm2(c[2]));
  }
};

// 1/2 |k x c|^2: the enstrophy density of one mode.
struct EnstrophyDensity {
  KOKKOS_INLINE_FUNCTION double operator()(const double (&k)[3], const complex (&c)[3]) const {
    return 0.5 * (norm2(k[1] * c[2] - k[2] * c[1]) + norm2(k[2] * c[0] - k[0] * c[2]) +
                  norm2(k[0] * c[1] - k[1] * c[0]));
  }
};

// Every flow b: sum over the full spectrum of density(k, c_k), c_k = s u_hat_k, summed over the
// grid's ranks. The r2c block holds f_z >= 0 (storage axis 2 in both layouts): its modes count
// twice except on the planes f_z = 0 and f_z = n_z / 2.
template <class Density>
std::vector<double> spectral_sum(const fft::Grid<3>& grid, const ConstSpectral3& u_hat,
                                 fft::Norm norm, const char* name, Density density) {
  const std::string where = std::string("pde::") + name + " on grid " + grid.describe();
  require_velocity(grid, u_hat, where);

  const detail::Wavevector wavevector(grid);
  const double s = fft::backward_scale(norm, grid.points());
  const int nz = grid.extents()[2];
  const auto& local = grid.local_spectral_extents();
  const std::string label = std::string("torus::pde::") + name;

  std::vector<double> sums(u_hat.extent(0), 0.0);
  for (std::size_t b = 0; b < u_hat.extent(0); ++b) {
    // sum_k m_k density(k, s u_hat_k), m_k the r2c multiplicity.
    Kokkos::parallel_reduce(
        label, Range3({0, 0, 0}, {local[0], local[1], local[2]}),
        KOKKOS_LAMBDA(const int i0, const int i1, const int i2, double& partial) {
          double k[3];
          wavevector(i0, i1, i2, k);
          const complex c[3] = {s * u_hat(b, 0, i0, i1, i2), s * u_hat(b, 1, i0, i1, i2),
                                s * u_hat(b, 2, i0, i1, i2)};
          const double multiplicity = (i2 == 0 || 2 * i2 == nz) ? 1.0 : 2.0;
          partial += multiplicity * density(k, c);
        },
        sums[b]);
  }

  std::vector<double> total(sums.size(), 0.0);
  MPI_Allreduce(sums.data(), total.data(), static_cast<int>(sums.size()), MPI_DOUBLE, MPI_SUM,
                grid.comm());
  return total;
}

}  // namespace

std::vector<double> kinetic_energy(const fft::Grid<3>& grid, const ConstSpectral3& u_hat,
                                   fft::Norm norm) {
  // E = 1/2 sum_f |c_f|^2
  return spectral_sum(grid, u_hat, norm, "kinetic_energy", EnergyDensity{});
}

std::vector<double> enstrophy(const fft::Grid<3>& grid, const ConstSpectral3& u_hat,
                              fft::Norm norm) {
  // Z = 1/2 sum_f |k x c_f|^2
  return spectral_sum(grid, u_hat, norm, "enstrophy", EnstrophyDensity{});
}

std::vector<double> dissipation(const fft::Grid<3>& grid, const ConstSpectral3& u_hat, double nu,
                                fft::Norm norm) {
  std::ostringstream text;
  text << nu;
  TORUS_REQUIRE(std::isfinite(nu) && nu >= 0.0,
                "the viscosity nu = " + text.str() + " is not a number >= 0",
                "pde::dissipation on grid " + grid.describe(), "pass nu >= 0");
  // eps = nu <|omega|^2> = 2 nu Z
  std::vector<double> eps = enstrophy(grid, u_hat, norm);
  for (double& e : eps) e *= 2.0 * nu;
  return eps;
}

std::vector<double> divergence_max(const fft::Grid<3>& grid, const ConstSpectral3& u_hat,
                                   fft::Norm norm) {
  const std::string where = "pde::divergence_max on grid " + grid.describe();
  require_velocity(grid, u_hat, where);

  const detail::Wavevector wavevector(grid);
  const double s = fft::backward_scale(norm, grid.points());
  const auto& local = grid.local_spectral_extents();
  std::vector<double> largest(u_hat.extent(0), 0.0);
  for (std::size_t b = 0; b < u_hat.extent(0); ++b) {
    // max_f |k . c_f|, c_f = s u_hat_f
    Kokkos::parallel_reduce(
        "torus::pde::divergence_max", Range3({0, 0, 0}, {local[0], local[1], local[2]}),
        KOKKOS_LAMBDA(const int i0, const int i1, const int i2, double& partial) {
          double k[3];
          wavevector(i0, i1, i2, k);
          const complex divergence =
              s * (k[0] * u_hat(b, 0, i0, i1, i2) + k[1] * u_hat(b, 1, i0, i1, i2) +
                   k[2] * u_hat(b, 2, i0, i1, i2));
          const double size = math::sqrt(norm2(divergence));
          if (size > partial) partial = size;
        },
        Kokkos::Max<double>(largest[b]));
  }

  std::vector<double> total(largest.size(), 0.0);
  MPI_Allreduce(largest.data(), total.data(), static_cast<int>(largest.size()), MPI_DOUBLE, MPI_MAX,
                grid.comm());
  return total;
}

}  // namespace torus::pde
