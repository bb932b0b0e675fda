#include "torus/crystal/electron_density.hpp"

#include <Kokkos_Core.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <string>

#include "torus/core/error.hpp"
#include "torus/crystal/lattice.hpp"
#include "torus/fft/plan.hpp"
#include "torus/io/png.hpp"

namespace torus::crystal {

std::vector<double> electron_density(const Crystal& crystal, const fft::Grid<3>& grid,
                                     const StructureFactorOptions& options) {
  const auto& n = grid.extents();
  TORUS_REQUIRE(n[0] >= 2 && n[1] >= 2 && n[2] >= 2,
                "the density grid " + fft::format_extents<3>(n) + " has an extent below 2", "grid",
                "give at least 2 points per axis (e.g. 48x48x48)");
  TORUS_REQUIRE(crystal.size() > 0, "the crystal has no atoms", "crystal",
                "give a crystal with at least one atom");
  fft::Plan<double, 3, Kokkos::HostSpace> plan(grid, 1, 1);
  auto rho_hat = plan.make_spectral("torus::crystal rho_hat");

  // The Miller indices of this rank's spectral block that the grid resolves on both signs.
  const auto& local = grid.local_spectral_extents();
  std::vector<std::array<int, 3>> hkl;
  std::vector<std::array<int, 3>> where;
  for (int i0 = 0; i0 < local[0]; ++i0) {
    for (int i1 = 0; i1 < local[1]; ++i1) {
      for (int i2 = 0; i2 < local[2]; ++i2) {
        const int index[3] = {i0 + grid.local_spectral_start(), i1, i2};
        std::array<int, 3> h{};
        bool resolved = true;
        for (int s = 0; s < 3; ++s) {
          const int axis = grid.spectral_axis(s);
          h[axis] = grid.frequency(axis, index[s]);
          resolved = resolved && 2 * std::abs(h[axis]) < n[axis];
        }
        if (!resolved) continue;
        hkl.push_back(h);
        where.push_back({i0, i1, i2});
      }
    }
  }
  const auto f_hkl = structure_factors(crystal, hkl, options);

  // The inverse transform with Norm::forward is x_m = sum_k X_k exp(+2 pi i k . m / n), so
  // X_k = conj(F(k)) / V = F(-k) / V gives rho(x) = (1/V) sum_h F(h) exp(-2 pi i h . x).
  const double inv_volume = 1.0 / volume(crystal.lattice);
  for (std::size_t m = 0; m < hkl.size(); ++m) {
    const auto& w = where[m];
    rho_hat(0, 0, w[0], w[1], w[2]) =
        Kokkos::complex<double>(f_hkl[m].real(), -f_hkl[m].imag()) * inv_volume;
  }
  auto rho = plan.make_real("torus::crystal rho");
  plan.backward_overwriting(rho_hat, rho, fft::Norm::forward);
  return std::vector<double>(rho.data(), rho.data() + rho.span());
}

void write_density_png(const std::string& path, const std::vector<double>& density, int n0, int n1,
                       int n2) {
  TORUS_REQUIRE(
      n0 >= 1 && n1 >= 1 && n2 >= 1 && density.size() == static_cast<std::size_t>(n0) * n1 * n2,
      "the density holds " + std::to_string(density.size()) + " values, not " + std::to_string(n0) +
          "x" + std::to_string(n1) + "x" + std::to_string(n2),
      path, "pass the whole density of the grid (gather the slabs first)");
  // The column density sum_k rho(i, j, k) dz (dz a constant factor the colour scale absorbs),
  // drawn as its square root so that light atoms stay visible next to heavy ones. Truncation
  // ripples below zero take the colour of zero.
  std::vector<double> column(static_cast<std::size_t>(n0) * n1, 0.0);
  for (std::size_t ij = 0; ij < column.size(); ++ij) {
    for (int k = 0; k < n2; ++k) column[ij] += density[ij * n2 + k];
    column[ij] = std::sqrt(std::max(column[ij], 0.0));
  }
  io::FieldPictureOptions picture;
  picture.diverging = false;
  io::write_field_png(path, column.data(), n0, n1, picture);
}

}  // namespace torus::crystal
