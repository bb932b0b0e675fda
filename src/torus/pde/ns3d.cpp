#include "torus/pde/ns3d.hpp"

#include <cmath>
#include <sstream>

#include "torus/core/error.hpp"
#include "torus/core/timer.hpp"
#include "torus/fft/dealias.hpp"
#include "torus/fft/wavenumbers.hpp"
#include "torus/pde/wavevector.hpp"

namespace torus::pde {

namespace {

using execution_space = fft::DefaultMemorySpace::execution_space;
using complex = Kokkos::complex<double>;
using Range3 = Kokkos::MDRangePolicy<execution_space, Kokkos::Rank<3>, Kokkos::IndexType<int>>;
using Range4 = Kokkos::MDRangePolicy<execution_space, Kokkos::Rank<4>, Kokkos::IndexType<int>>;

std::string number(double x) {
  std::ostringstream text;
  text << x;
  return text.str();
}

// i z
KOKKOS_INLINE_FUNCTION complex times_i(const complex& z) { return complex(-z.imag(), z.real()); }

void require_velocity(const fft::Grid<3>& grid, int batch, const Ns3dSystem::const_spectral_view& u,
                      const std::string& role, const std::string& where) {
  fft::detail::require_spectral_block(grid, u, role, where);
  TORUS_REQUIRE(u.extent(0) == static_cast<std::size_t>(batch) && u.extent(1) == 3,
                role + " has extents " + fft::detail::shape_of(u) + " but the system holds " +
                    std::to_string(batch) + " flows of 3 velocity components",
                where, "allocate it with Ns3dSystem::make_state()");
}

}  // namespace

Ns3dSystem::Ns3dSystem(const fft::Grid<3>& grid, const Ns3dOptions& options)
    : grid_(grid), batch_(options.batch), nu_(options.nu), wavevector_(grid) {
  const std::string where = "pde::Ns3dSystem on grid " + grid.describe();
  TORUS_REQUIRE(std::isfinite(options.nu) && options.nu >= 0.0,
                "the viscosity nu = " + number(options.nu) + " is not a number >= 0",
                where + ", Ns3dOptions::nu", "pass nu >= 0 (nu = V0 L0 / Re)");
  TORUS_REQUIRE(options.batch >= 1, "batch = " + std::to_string(options.batch) + " holds no flow",
                where + ", Ns3dOptions::batch", "pass batch >= 1");

  inverse_plan_ = std::make_unique<plan_type>(grid, batch_, 6, options.plan);
  forward_plan_ = std::make_unique<plan_type>(grid, batch_, 3, options.plan);
  velocity_vorticity_hat_ = inverse_plan_->make_spectral("torus::pde::Ns3dSystem (u, omega)_hat");
  velocity_vorticity_ = inverse_plan_->make_real("torus::pde::Ns3dSystem (u, omega)");
  cross_ = forward_plan_->make_real("torus::pde::Ns3dSystem u x omega");

  // lambda(k) = -nu |k|^2, flattened in C order of the local spectral block.
  const auto& local = grid.local_spectral_extents();
  const fft::Wavenumbers<double, 3> k(grid);
  const double nu = nu_;
  const int n1 = local[1], n2 = local[2];
  lambda_ = Kokkos::View<double*, fft::DefaultMemorySpace>(
      Kokkos::view_alloc("torus::pde::Ns3dSystem lambda"), grid.local_spectral_points());
  auto lambda = lambda_;
  Kokkos::parallel_for(
      "torus::pde::Ns3dSystem::lambda", Range3({0, 0, 0}, {local[0], local[1], local[2]}),
      KOKKOS_LAMBDA(const int i0, const int i1, const int i2) {
        lambda((static_cast<std::int64_t>(i0) * n1 + i1) * n2 + i2) = -nu * k.squared(i0, i1, i2);
      });
}

Ns3dSystem::~Ns3dSystem() = default;

Ns3dSystem::spectral_view Ns3dSystem::make_state(const std::string& label) const {
  return forward_plan_->make_spectral(label);
}

void Ns3dSystem::to_spectral(
    const fft::FieldTypes<double, 3, fft::DefaultMemorySpace>::const_real& u,
    const spectral_view& u_hat) {
  forward_plan_->forward(u, u_hat, fft::Norm::backward);
}

void Ns3dSystem::to_physical(const const_spectral_view& u_hat, const fft::RealField<double, 3>& u) {
  forward_plan_->backward(u_hat, u, fft::Norm::backward);
}

void Ns3dSystem::nonlinear(double /*t*/, const const_spectral_view& u, const spectral_view& out) {
  // The messages are built only when a check fails: nothing is allocated per call.
  const auto expected = forward_plan_->spectral_extents();
  bool fits = !fft::detail::overlap(u, out);
  for (int r = 0; r < 5; ++r)
    fits = fits && u.extent(r) == expected[r] && out.extent(r) == expected[r];
  if (!fits) {
    const std::string where = "pde::Ns3dSystem::nonlinear on grid " + grid_.describe();
    require_velocity(grid_, batch_, u, "the spectral velocity", where);
    require_velocity(grid_, batch_, out, "the output N(u)", where);
    TORUS_THROW("the velocity and N(u) share memory", where, "pass separate Views");
  }
  Timer total;

  const auto& local = grid_.local_spectral_extents();
  const auto& slab = grid_.local_extents();
  const auto axes = fft::detail::spectral_axes(grid_);
  const detail::Wavevector wavevector = wavevector_;
  const auto uw_hat = velocity_vorticity_hat_;
  const auto uw = velocity_vorticity_;
  const auto cross = cross_;

  // Truncate and curl: u_t = mask u_hat, omega_hat = i k x u_t, i.e.
  //   omega_x = i (k_y u_z - k_z u_y),  omega_y = i (k_z u_x - k_x u_z),
  //   omega_z = i (k_x u_y - k_y u_x),
  // with mask = 1 where the 2/3 rule keeps the mode and 0 elsewhere.
  Kokkos::parallel_for(
      "torus::pde::Ns3dSystem::velocity_vorticity",
      Range4({0, 0, 0, 0}, {batch_, local[0], local[1], local[2]}),
      KOKKOS_LAMBDA(const int b, const int i0, const int i1, const int i2) {
        const bool kept = fft::detail::kept_by_two_thirds(axes, i0, i1, i2);
        complex v[3];
        for (int c = 0; c < 3; ++c) v[c] = kept ? u(b, c, i0, i1, i2) : complex(0.0, 0.0);
        double k[3];
        wavevector(i0, i1, i2, k);
        for (int c = 0; c < 3; ++c) uw_hat(b, c, i0, i1, i2) = v[c];
        uw_hat(b, 3, i0, i1, i2) = times_i(k[1] * v[2] - k[2] * v[1]);
        uw_hat(b, 4, i0, i1, i2) = times_i(k[2] * v[0] - k[0] * v[2]);
        uw_hat(b, 5, i0, i1, i2) = times_i(k[0] * v[1] - k[1] * v[0]);
      });

  Timer transforms;
  inverse_plan_->backward_overwriting(uw_hat, uw, fft::Norm::backward);
  transform_seconds_ += transforms.seconds();

  // On the grid: (u x omega) = (u_y w_z - u_z w_y, u_z w_x - u_x w_z, u_x w_y - u_y w_x),
  // with (u_x, u_y, u_z) in channels 0..2 and (w_x, w_y, w_z) in 3..5.
  Kokkos::parallel_for(
      "torus::pde::Ns3dSystem::cross_product",
      Range4({0, 0, 0, 0}, {batch_, slab[0], slab[1], slab[2]}),
      KOKKOS_LAMBDA(const int b, const int x, const int y, const int z) {
        const double ux = uw(b, 0, x, y, z), uy = uw(b, 1, x, y, z), uz = uw(b, 2, x, y, z);
        const double wx = uw(b, 3, x, y, z), wy = uw(b, 4, x, y, z), wz = uw(b, 5, x, y, z);
        cross(b, 0, x, y, z) = uy * wz - uz * wy;
        cross(b, 1, x, y, z) = uz * wx - ux * wz;
        cross(b, 2, x, y, z) = ux * wy - uy * wx;
      });

  transforms.reset();
  forward_plan_->forward(cross, out, fft::Norm::backward);
  transform_seconds_ += transforms.seconds();

  // Project and truncate: N = mask (p - k (k . p) / |k|^2) for p = (u x omega)_hat, and N = p
  // at k = 0 (the projector is the identity on the mean).
  Kokkos::parallel_for(
      "torus::pde::Ns3dSystem::project",
      Range4({0, 0, 0, 0}, {batch_, local[0], local[1], local[2]}),
      KOKKOS_LAMBDA(const int b, const int i0, const int i1, const int i2) {
        if (!fft::detail::kept_by_two_thirds(axes, i0, i1, i2)) {
          for (int c = 0; c < 3; ++c) out(b, c, i0, i1, i2) = complex(0.0, 0.0);
          return;
        }
        double k[3];
        wavevector(i0, i1, i2, k);
        const double k2 = k[0] * k[0] + k[1] * k[1] + k[2] * k[2];
        if (k2 <= 0.0) return;
        complex p[3];
        for (int c = 0; c < 3; ++c) p[c] = out(b, c, i0, i1, i2);
        const complex k_dot_p_over_k2 = (k[0] * p[0] + k[1] * p[1] + k[2] * p[2]) / k2;
        for (int c = 0; c < 3; ++c) out(b, c, i0, i1, i2) = p[c] - k[c] * k_dot_p_over_k2;
      });
  execution_space().fence();

  ++evaluations_;
  nonlinear_seconds_ += total.seconds();
}

}  // namespace torus::pde
