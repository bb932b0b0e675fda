#include "torus/pde/forcing.hpp"

#include <cmath>

#include "torus/core/error.hpp"
#include "torus/core/math.hpp"

namespace torus::pde {

std::string to_string(ForcingKind kind) {
  switch (kind) {
    case ForcingKind::none:
      return "none";
    case ForcingKind::fno:
      return "fno";
    case ForcingKind::kolmogorov:
      return "kolmogorov";
  }
  return "?";
}

ForcingKind parse_forcing(const std::string& name) {
  for (ForcingKind kind : {ForcingKind::none, ForcingKind::fno, ForcingKind::kolmogorov})
    if (to_string(kind) == name) return kind;
  TORUS_THROW("unknown forcing '" + name + "'", "the forcing option",
              "choose none, fno or kolmogorov");
}

void validate(const ForcingOptions& options, const fft::Grid<2>& grid) {
  const std::string where = "the forcing (" + to_string(options.kind) + ")";
  TORUS_REQUIRE(std::isfinite(options.drag) && options.drag >= 0,
                "the linear drag must be >= 0, got " + std::to_string(options.drag), where,
                "pass a drag mu >= 0");
  if (options.kind != ForcingKind::kolmogorov) return;
  TORUS_REQUIRE(std::isfinite(options.amplitude), "the Kolmogorov amplitude is not finite", where,
                "pass a finite amplitude");
  TORUS_REQUIRE(options.wavenumber >= 1 && 2 * options.wavenumber < grid.extents()[1],
                "the Kolmogorov wavenumber " + std::to_string(options.wavenumber) +
                    " is not resolved by " + std::to_string(grid.extents()[1]) + " points in y",
                where, "pick 1 <= m < n_y / 2");
}

void forcing_field(const fft::Grid<2>& grid, const ForcingOptions& options,
                   const fft::RealField<double, 2>& q) {
  validate(options, grid);
  TORUS_REQUIRE(q.extent(2) == std::size_t(grid.local_extents()[0]) &&
                    q.extent(3) == std::size_t(grid.local_extents()[1]),
                "the forcing View is not the grid's local slab", "pde::forcing_field",
                "make it with the grid's Plan (make_real)");
  const double dx = grid.lengths()[0] / grid.extents()[0];
  const double dy = grid.lengths()[1] / grid.extents()[1];
  const double inv_l0 = 1.0 / grid.lengths()[0], inv_l1 = 1.0 / grid.lengths()[1];
  const int x0 = grid.local_start();
  const ForcingKind kind = options.kind;
  const double kappa = 2 * M_PI * options.wavenumber / grid.lengths()[1];
  const double amplitude = options.amplitude;
  using policy = Kokkos::MDRangePolicy<Kokkos::Rank<4>, Kokkos::IndexType<int>>;
  Kokkos::parallel_for(
      "torus::pde::forcing_field",
      policy({0, 0, 0, 0},
             {static_cast<std::int64_t>(q.extent(0)), static_cast<std::int64_t>(q.extent(1)),
              static_cast<std::int64_t>(q.extent(2)), static_cast<std::int64_t>(q.extent(3))}),
      KOKKOS_LAMBDA(const int b, const int c, const int i, const int j) {
        const double x = (x0 + i) * dx, y = j * dy;
        double value = 0;
        if (kind == ForcingKind::fno) {
          // q = 0.1 (sin 2 pi (x/L0 + y/L1) + cos 2 pi (x/L0 + y/L1))
          const double phase = 2 * M_PI * (x * inv_l0 + y * inv_l1);
          value = 0.1 * (math::sin(phase) + math::cos(phase));
        } else if (kind == ForcingKind::kolmogorov) {
          // q = curl (A sin(kappa y), 0) = -A kappa cos(kappa y)
          value = -amplitude * kappa * math::cos(kappa * y);
        }
        q(b, c, i, j) = value;
      });
}

}  // namespace torus::pde
