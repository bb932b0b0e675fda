#pragma once
/// \file
/// Structural validity as the crystal-generation literature measures it (CDVAE's
/// `structure_validity`, used unchanged by DiffCSP and later work): a crystal is valid when no
/// two of its atoms are closer than 0.5 Å and its cell holds at least 0.1 Å³.

#include "torus/crystal/crystal.hpp"

namespace torus::crystal {

/// The thresholds of structural validity, with CDVAE's values.
struct StructuralValidityOptions {
  double min_distance = 0.5;  ///< Å: every distance between two atoms must be >= this
  double min_volume = 0.1;    ///< Å³: the cell volume must be >= this
};

/// The shortest distance in Å between two different atoms i != j over all periodic images
/// (the minimum image, exact for any cell shape), searched up to `search_radius` Å; infinity
/// when no such pair lies within it (or the crystal has one atom). An atom and its own images
/// do not count, as in pymatgen's distance_matrix. Throws like periodic_pairs.
double shortest_distance(const Crystal& crystal, double search_radius);

/// True when every distance between two different atoms is >= min_distance and the volume is
/// >= min_volume. A singular or degenerate cell (volume below min_volume) is invalid, not an
/// error. Throws torus::Error for mismatched arrays or non-positive thresholds.
bool structural_validity(const Crystal& crystal, const StructuralValidityOptions& options = {});

}  // namespace torus::crystal
