#pragma once
/// \file
/// Niggli reduction of a lattice and of a crystal, with pymatgen's choices
/// (`Lattice.get_niggli_reduced_lattice`, `Structure.get_reduced_structure`): the structure
/// matcher compares cells in these bases, so its results depend on them.

#include "torus/crystal/crystal.hpp"
#include "torus/crystal/lattice_geometry.hpp"

namespace torus::crystal::detail {

/// The Niggli-reduced basis of the lattice `m` (rows a, b, c), with positive determinant.
///
/// The reduced metric comes from the numerically stable algorithm of Grosse-Kunstleve, Sauter
/// and Adams (Acta Cryst. A 60, 1-6, 2004) started from the LLL basis, with the tolerance
/// eps = tol V^(1/3); the returned basis is the first lattice basis (in the lattice-point order
/// of lattice_mapping.hpp) whose lengths match within ratio 1 + eps and angles within 1 degree.
/// Throws torus::Error when no basis is found (a degenerate lattice).
Mat3 niggli_reduce(const Mat3& m, double tol = 1e-5);

/// The crystal in its Niggli-reduced cell. When the reduced basis equals the input (NumPy's
/// allclose: |x - y| <= 1e-8 + 1e-5 |y|) the crystal comes back unchanged; otherwise fractional
/// coordinates are re-expressed in the new basis and wrapped into [0, 1).
Crystal niggli_reduced(const Crystal& c);

}  // namespace torus::crystal::detail
