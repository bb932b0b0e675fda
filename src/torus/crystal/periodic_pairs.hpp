#pragma once
/// \file
/// Every interatomic vector of one crystal up to a cutoff, on the host: the search behind
/// structural validity and the radial-distribution fingerprint. (crystal/neighbor_list.hpp does
/// the same for batches on the Kokkos device; this one serves per-crystal host loops that must
/// not depend on a running Kokkos.)

#include <vector>

#include "torus/crystal/crystal.hpp"

namespace torus::crystal {

/// An ordered pair i -> j + n of atoms within the cutoff, with its length in Å.
struct PeriodicPair {
  int i = 0;
  int j = 0;
  double distance = 0.0;
};

/// Every ordered pair (i, j, n), n a lattice translation, with |(f_j + n - f_i) L| <= cutoff,
/// except each atom with itself in its own cell (i = j, n = 0). With `distinct_atoms` the pairs
/// i = j (an atom and its own periodic images) are left out too, as pymatgen's distance_matrix
/// does. The images searched are all n with |f_j - f_i + n|_k <= cutoff / h_k, h_k the height
/// of the cell across axis k, which holds every vector of length <= cutoff however skewed the
/// cell. Throws torus::Error for a cutoff that is not positive and finite, a singular lattice,
/// or a cell so thin for the cutoff that more than 10^8 images per pair would be searched.
std::vector<PeriodicPair> periodic_pairs(const Crystal& crystal, double cutoff,
                                         bool distinct_atoms = false);

}  // namespace torus::crystal
