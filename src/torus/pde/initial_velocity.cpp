#include "torus/pde/initial_velocity.hpp"

#include <string>

#include "torus/core/error.hpp"
#include "torus/core/math.hpp"
#include "torus/fft/plan.hpp"
#include "torus/fft/wavenumbers.hpp"

namespace torus::pde {

namespace {

constexpr double two_pi = 6.283185307179586476925286766559;

void require_velocity_slab(const fft::Grid<3>& grid, const fft::RealField<double, 3>& view,
                           const std::string& where) {
  const auto& local = grid.local_extents();
  TORUS_REQUIRE(view.extent(1) == 3 && view.extent(2) == static_cast<std::size_t>(local[0]) &&
                    view.extent(3) == static_cast<std::size_t>(local[1]) &&
                    view.extent(4) == static_cast<std::size_t>(local[2]),
                "the velocity has extents " + fft::detail::shape_of(view) + " but (batch, 3, " +
                    std::to_string(local[0]) + ", " + std::to_string(local[1]) + ", " +
                    std::to_string(local[2]) + ") is the local slab of a 3-D velocity on grid " +
                    grid.describe(),
                where, "allocate it with fft::Plan::make_real() with 3 channels on the same grid");
}

// kappa_a = 2 pi m / L_a for every axis; throws unless 1 <= m < n_a / 2.
Kokkos::Array<double, 3> wavenumbers_of(const fft::Grid<3>& grid, int m, const std::string& where) {
  Kokkos::Array<double, 3> kappa;
  for (int a = 0; a < 3; ++a) {
    const int n = grid.extents()[a];
    TORUS_REQUIRE(m >= 1 && 2 * m < n,
                  "wavenumber " + std::to_string(m) + " is not resolved on axis " +
                      std::to_string(a) + " (it needs 1 <= m < n/2 = " + std::to_string(n) + "/2)",
                  where, "choose m between 1 and (n - 1)/2, or refine the grid");
    kappa[a] = two_pi * m / grid.lengths()[a];
  }
  return kappa;
}

// The coordinates (x, y, z) of local point (i0, i1, i2).
struct Coordinates {
  Kokkos::Array<double, 3> spacing;
  int x_start;
  KOKKOS_INLINE_FUNCTION void operator()(int i0, int i1, int i2, double (&x)[3]) const {
    x[0] = (x_start + i0) * spacing[0];
    x[1] = i1 * spacing[1];
    x[2] = i2 * spacing[2];
  }
};

Coordinates coordinates_of(const fft::Grid<3>& grid) {
  Coordinates result;
  for (int a = 0; a < 3; ++a) result.spacing[a] = grid.lengths()[a] / grid.extents()[a];
  result.x_start = grid.local_start();
  return result;
}

}  // namespace

void taylor_green_velocity(const fft::Grid<3>& grid, const fft::RealField<double, 3>& velocity,
                           double amplitude, int m) {
  const std::string where = "pde::taylor_green_velocity on grid " + grid.describe();
  TORUS_REQUIRE(grid.lengths()[0] == grid.lengths()[1],
                "the 3-D Taylor-Green vortex is divergence-free only with equal x and y sides",
                where, "make the grid with L0 == L1 (L2 may differ)");
  const Kokkos::Array<double, 3> kappa = wavenumbers_of(grid, m, where);
  require_velocity_slab(grid, velocity, where);
  const Coordinates coordinates = coordinates_of(grid);

  // u = V0 sin(k0 x) cos(k1 y) cos(k2 z), v = -V0 cos(k0 x) sin(k1 y) cos(k2 z), w = 0.
  fft::detail::for_each_entry(
      "torus::pde::taylor_green_velocity", velocity,
      KOKKOS_LAMBDA(const int b, const int c, const int i0, const int i1, const int i2) {
        double x[3];
        coordinates(i0, i1, i2, x);
        const double sx = math::sin(kappa[0] * x[0]), cx = math::cos(kappa[0] * x[0]);
        const double sy = math::sin(kappa[1] * x[1]), cy = math::cos(kappa[1] * x[1]);
        const double cz = math::cos(kappa[2] * x[2]);
        double value = 0.0;
        if (c == 0) value = amplitude * sx * cy * cz;
        if (c == 1) value = -amplitude * cx * sy * cz;
        velocity(b, c, i0, i1, i2) = value;
      });
}

void abc_velocity(const fft::Grid<3>& grid, const fft::RealField<double, 3>& velocity, double a,
                  double b, double c, int m) {
  const std::string where = "pde::abc_velocity on grid " + grid.describe();
  const auto& length = grid.lengths();
  TORUS_REQUIRE(length[0] == length[1] && length[1] == length[2],
                "the ABC flow is a Beltrami field only on a cube", where,
                "make the grid with equal side lengths");
  const Kokkos::Array<double, 3> kappa = wavenumbers_of(grid, m, where);
  require_velocity_slab(grid, velocity, where);
  const Coordinates coordinates = coordinates_of(grid);
  const double k = kappa[0];

  // u = A sin(k z) + C cos(k y), v = B sin(k x) + A cos(k z), w = C sin(k y) + B cos(k x).
  fft::detail::for_each_entry(
      "torus::pde::abc_velocity", velocity,
      KOKKOS_LAMBDA(const int flow, const int channel, const int i0, const int i1, const int i2) {
        double x[3];
        coordinates(i0, i1, i2, x);
        double value;
        if (channel == 0) {
          value = a * math::sin(k * x[2]) + c * math::cos(k * x[1]);
        } else if (channel == 1) {
          value = b * math::sin(k * x[0]) + a * math::cos(k * x[2]);
        } else {
          value = c * math::sin(k * x[1]) + b * math::cos(k * x[0]);
        }
        velocity(flow, channel, i0, i1, i2) = value;
      });
}

}  // namespace torus::pde
