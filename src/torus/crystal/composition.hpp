#pragma once
/// \file
/// What a crystal is made of: formulas in pymatgen's conventions, mass and density.

#include <string>
#include <utility>
#include <vector>

#include "torus/crystal/crystal.hpp"

namespace torus::crystal {

/// (atomic number, count) of each element of `crystal`, in order of first appearance.
std::vector<std::pair<int, int>> element_counts(const Crystal& crystal);

/// The full formula with every count, elements by increasing electronegativity and ties by
/// symbol ("Sr1 Ti1 O3"), as pymatgen's Composition.formula of a structure read from CIF.
std::string formula(const Crystal& crystal);

/// The reduced formula ("SrTiO3", "(PO4)2"-style polyanion groups, "O2" for oxygen), as
/// pymatgen's Composition.reduced_formula.
std::string reduced_formula(const Crystal& crystal);

/// The mass of the cell's atoms in u.
double cell_mass(const Crystal& crystal);

/// The density in g/cm³: cell mass / cell volume. Throws torus::Error on an invalid crystal.
double density(const Crystal& crystal);

}  // namespace torus::crystal
