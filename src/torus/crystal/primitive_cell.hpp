#pragma once
/// \file
/// The primitive cell of a crystal as pymatgen's `Structure.get_primitive_structure` finds it
/// (tolerance 0.25 Å): the structure matcher reduces both crystals this way before comparing
/// them, so a supercell and its primitive cell compare equal.

#include "torus/crystal/crystal.hpp"

namespace torus::crystal::detail {

/// The smallest cell found by searching the sublattices of index d (d dividing the greatest
/// common divisor of the species counts) in Hermite normal form, smallest d first: a sublattice
/// is accepted when, for every species, the sites fall into classes of exactly d sites that
/// coincide (within `tolerance` Å per cell axis) modulo the smaller cell. The first accepted
/// cell is searched again recursively and returned Niggli-reduced, its sites ordered by element
/// symbol with each class's averaged position. A crystal with no smaller cell comes back
/// unchanged.
Crystal primitive_cell(const Crystal& c, double tolerance = 0.25);

}  // namespace torus::crystal::detail
