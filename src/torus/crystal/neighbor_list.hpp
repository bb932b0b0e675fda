#pragma once
/// \file
/// Periodic neighbour lists and fully connected graphs over batches of crystals of different
/// sizes, as graph networks on crystals consume them. A batch is B lattices (B, 3, 3), the
/// fractional coordinates of all atoms (N, 3) and offsets (B + 1): crystal b owns atoms
/// [offsets(b), offsets(b + 1)). An edge i -> j with image n is the vector
///   r_ij = (f_j + n - f_i) L_b,
/// so the same pair appears once per periodic image within reach, and i -> i appears for
/// n != 0 when the cell is smaller than the cutoff.

#include <Kokkos_Core.hpp>

#include <cstdint>
#include <vector>

#include "torus/crystal/crystal.hpp"

namespace torus::crystal {

using GraphMemorySpace = Kokkos::DefaultExecutionSpace::memory_space;

/// Edges grouped by source atom: the edges of atom i are [atom_offsets(i), atom_offsets(i + 1)).
struct NeighborList {
  Kokkos::View<int*, GraphMemorySpace> src;          ///< global index of the source atom
  Kokkos::View<int*, GraphMemorySpace> dst;          ///< global index of the destination atom
  Kokkos::View<int* [3], GraphMemorySpace> image;    ///< the lattice translation n
  Kokkos::View<double*, GraphMemorySpace> distance;  ///< |r_ij| in Å
  Kokkos::View<std::int64_t*, GraphMemorySpace> atom_offsets;  ///< (N + 1)

  std::int64_t size() const { return static_cast<std::int64_t>(src.extent(0)); }
};

/// A batch of crystals in the memory of the default execution space.
struct CrystalBatch {
  Kokkos::View<double* [3][3], GraphMemorySpace> lattices;  ///< rows a, b, c of each cell, Å
  Kokkos::View<double* [3], GraphMemorySpace> frac;         ///< fractional coordinates
  Kokkos::View<std::int64_t*, GraphMemorySpace> offsets;    ///< (B + 1), offsets(0) = 0

  /// Copies host crystals into a batch. Throws torus::Error for a crystal with mismatched
  /// arrays or a non-finite coordinate (singular lattices are reported by the graph builders).
  static CrystalBatch from_crystals(const std::vector<Crystal>& crystals);
};

/// Every pair (i, j, n) of one crystal with |r_ij| <= cutoff except each atom with itself in its
/// own cell (i = j, n = 0), nearest first for each atom. The images searched per pair
/// are all n with |f_j - f_i + n|_k <= cutoff / h_k on each axis, h_k = V / |a_{k+1} x a_{k+2}|
/// the cell's height across axis k, which contains every vector of length <= cutoff however
/// small or skewed the cell. With max_neighbors > 0 each atom keeps its max_neighbors nearest
/// edges (ties by destination, then image). Throws torus::Error for a cutoff that is not positive
/// and finite, bad offsets or a singular lattice.
NeighborList neighbor_list(const CrystalBatch& batch, double cutoff, int max_neighbors = 0);

/// The fully connected graph: for every ordered pair i != j of atoms of one crystal, the edge to
/// the image of j nearest to i (the minimum-image convention, exact for skewed cells: the search
/// covers every image within the distance of the naive nearest one), in order of j.
NeighborList fully_connected_graph(const CrystalBatch& batch);

}  // namespace torus::crystal
