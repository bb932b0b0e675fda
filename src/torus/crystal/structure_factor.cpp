#include "torus/crystal/structure_factor.hpp"

#include <Kokkos_Core.hpp>

#include <cmath>
#include <string>

#include "torus/core/error.hpp"
#include "torus/crystal/elements.hpp"
#include "torus/crystal/lattice.hpp"

namespace torus::crystal {
namespace {

using Exec = Kokkos::DefaultExecutionSpace;
constexpr int max_gaussians = 5;
constexpr double two_pi = 6.283185307179586;

// Copies a host array into a new View of the default memory space.
template <class View, class Fill>
View to_device(const std::string& label, std::size_t n0, std::size_t n1, Fill fill) {
  View v(Kokkos::view_alloc(Kokkos::WithoutInitializing, label), n0, n1);
  auto host = Kokkos::create_mirror_view(v);
  for (std::size_t i = 0; i < n0; ++i) {
    for (std::size_t j = 0; j < n1; ++j) host(i, j) = fill(i, j);
  }
  Kokkos::deep_copy(v, host);
  return v;
}

}  // namespace

Lattice reciprocal_lattice(const Lattice& lattice) {
  // B = (L^-1)^T: row j of B is column j of L^-1, and (L B^T)_ij = delta_ij.
  const Lattice inv = inverse(lattice);
  Lattice b{};
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) b[i][j] = inv[j][i];
  }
  return b;
}

std::vector<std::complex<double>> structure_factors(const Crystal& crystal,
                                                    const std::vector<std::array<int, 3>>& hkl,
                                                    const StructureFactorOptions& options) {
  const FormFactorTable& table =
      options.form_factors ? *options.form_factors : form_factor_table_cromer_mann();
  TORUS_REQUIRE(!(options.gaussian_part_only && table.form() == FormFactorForm::mott_bethe),
                "the Gaussian part of a form factor is defined for Cromer-Mann tables only",
                table.source(), "use the Cromer-Mann table for densities without the c term");
  const std::size_t atoms = crystal.frac_coords.size();
  const std::size_t reflections = hkl.size();
  if (reflections == 0) return {};

  // Per atom: position, Z, Gaussians (padded with a = 0), constant and B.
  std::vector<double> c(atoms), dw(atoms), z(atoms);
  std::vector<std::array<double, 2 * max_gaussians>> ab(atoms);
  for (std::size_t j = 0; j < atoms; ++j) {
    const int zj = crystal.numbers[j];
    const auto& g = table.gaussians(zj);
    TORUS_REQUIRE(g.a.size() <= max_gaussians,
                  "a form factor has more than " + std::to_string(max_gaussians) + " Gaussians",
                  table.source(), "use at most five Gaussians per element");
    ab[j].fill(0.0);
    for (std::size_t i = 0; i < g.a.size(); ++i) {
      ab[j][2 * i] = g.a[i];
      ab[j][2 * i + 1] = g.b[i];
    }
    c[j] = options.gaussian_part_only ? 0.0 : g.c;
    z[j] = zj;
    const auto it = options.debye_waller.find(zj);
    dw[j] = it == options.debye_waller.end() ? 0.0 : it->second;
    TORUS_REQUIRE(std::isfinite(dw[j]) && dw[j] >= 0,
                  "the Debye-Waller factor of " + element(zj).symbol + " is negative",
                  "debye_waller", "give B >= 0 in Å^2");
  }
  using Table2 = Kokkos::View<double**, Exec::memory_space>;
  const auto x =
      to_device<Table2>("torus::crystal x_j", atoms, 3,
                        [&](std::size_t j, std::size_t k) { return crystal.frac_coords[j][k]; });
  const auto coef = to_device<Table2>(
      "torus::crystal a_i b_i", atoms, 2 * max_gaussians + 3,
      [&](std::size_t j, std::size_t k) -> double {
        if (k < 2 * max_gaussians) return ab[j][k];
        return k == 2 * max_gaussians ? c[j] : k == 2 * max_gaussians + 1 ? z[j] : dw[j];
      });
  const Lattice rec = reciprocal_lattice(crystal.lattice);
  const auto h = to_device<Kokkos::View<int**, Exec::memory_space>>(
      "torus::crystal hkl", reflections, 3,
      [&](std::size_t r, std::size_t k) { return hkl[r][k]; });
  Kokkos::View<Kokkos::complex<double>*, Exec::memory_space> f_hkl("torus::crystal F(hkl)",
                                                                   reflections);
  const bool mott_bethe = table.form() == FormFactorForm::mott_bethe;
  const double b00 = rec[0][0], b01 = rec[0][1], b02 = rec[0][2], b10 = rec[1][0], b11 = rec[1][1],
               b12 = rec[1][2], b20 = rec[2][0], b21 = rec[2][1], b22 = rec[2][2];
  const int n_atoms = static_cast<int>(atoms);

  // One reflection per thread:
  //   s^2 = |h a* + k b* + l c*|^2 / 4
  //   f_j = sum_i a_i exp(-b_i s^2) + c            (Cromer-Mann)
  //   f_j = Z - K s^2 sum_i a_i exp(-b_i s^2)      (Mott-Bethe)
  //   F   = sum_j f_j exp(-B_j s^2) exp(2 pi i (h x_j + k y_j + l z_j))
  Kokkos::parallel_for(
      "torus::crystal::structure_factors", Kokkos::RangePolicy<Exec>(0, reflections),
      KOKKOS_LAMBDA(const std::size_t r) {
        const double hh = h(r, 0), kk = h(r, 1), ll = h(r, 2);
        const double gx = hh * b00 + kk * b10 + ll * b20;
        const double gy = hh * b01 + kk * b11 + ll * b21;
        const double gz = hh * b02 + kk * b12 + ll * b22;
        const double s2 = 0.25 * (gx * gx + gy * gy + gz * gz);
        double re = 0.0, im = 0.0;
        for (int j = 0; j < n_atoms; ++j) {
          double sum = 0.0;
          for (int i = 0; i < max_gaussians; ++i) {
            sum += coef(j, 2 * i) * std::exp(-coef(j, 2 * i + 1) * s2);
          }
          const double constant = coef(j, 2 * max_gaussians);
          const double zj = coef(j, 2 * max_gaussians + 1);
          double f = mott_bethe ? zj - mott_bethe_constant * s2 * sum : sum + constant;
          f *= std::exp(-coef(j, 2 * max_gaussians + 2) * s2);
          const double phase = two_pi * (hh * x(j, 0) + kk * x(j, 1) + ll * x(j, 2));
          re += f * std::cos(phase);
          im += f * std::sin(phase);
        }
        f_hkl(r) = Kokkos::complex<double>(re, im);
      });
  auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), f_hkl);
  std::vector<std::complex<double>> result(reflections);
  for (std::size_t r = 0; r < reflections; ++r) result[r] = {host(r).real(), host(r).imag()};
  return result;
}

}  // namespace torus::crystal
