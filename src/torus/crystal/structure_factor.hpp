#pragma once
/// \file
/// Structure factors F(hkl) of a crystal for many reflections at once, one Kokkos kernel over
/// the reflections. Shared by the powder pattern (xrd.hpp) and the electron density
/// (electron_density.hpp).

#include <array>
#include <complex>
#include <map>
#include <vector>

#include "torus/crystal/crystal.hpp"
#include "torus/crystal/form_factors.hpp"

namespace torus::crystal {

/// Reciprocal-lattice rows a*, b*, c* (1/Å, no 2 pi): a_i . a*_j = delta_ij, so the vector of
/// Miller indices h is g = h . B and |g| = 1 / d_hkl. Throws torus::Error for a singular lattice.
Lattice reciprocal_lattice(const Lattice& lattice);

/// What structure_factors needs besides the reflections.
struct StructureFactorOptions {
  /// The form factors; nullptr means form_factor_table_cromer_mann().
  const FormFactorTable* form_factors = nullptr;
  /// Debye-Waller B factor in Å^2 by atomic number (attenuation exp(-B s^2)); elements not
  /// listed get none.
  std::map<int, double> debye_waller;
  /// Leave out Cromer-Mann's constant c (the part of f that is no Gaussian). Throws
  /// torus::Error with a Mott-Bethe table, where f has no such split.
  bool gaussian_part_only = false;
};

/// F(h) = sum_j f_j(s) exp(-B_j s^2) exp(2 pi i h . x_j) for each Miller index triple h of
/// `hkl`, with s^2 = |h . B|^2 / 4 (B the reciprocal lattice). Throws torus::Error when an
/// element of `crystal` is missing from the table or a B factor is negative.
std::vector<std::complex<double>> structure_factors(const Crystal& crystal,
                                                    const std::vector<std::array<int, 3>>& hkl,
                                                    const StructureFactorOptions& options = {});

}  // namespace torus::crystal
