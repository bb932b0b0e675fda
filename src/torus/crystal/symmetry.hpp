#pragma once
/// \file
/// Crystal symmetry through spglib: space-group detection, standard, primitive and refined
/// cells, Niggli reduction and the operations of any Hall setting. spglib takes the cell
/// vectors as columns; the conversion to and from torus's rows happens in symmetry.cpp only.
/// Every call into spglib holds one process-wide mutex (its C API keeps global error state).

#include <array>
#include <string>
#include <vector>

#include "torus/crystal/crystal.hpp"

namespace torus::crystal {

/// spglib's tolerances.
struct SymmetryOptions {
  /// Distance tolerance in Å for atoms to coincide under an operation.
  double symprec = 0.1;
  /// Angle tolerance in degrees for the lattice's metric; negative: spglib's own default.
  double angle_tolerance = -1.0;
};

/// A rotation in fractional coordinates (integer matrix acting on column vectors f).
using Rotation = std::array<std::array<int, 3>, 3>;

/// Symmetry operations x -> R x + t in fractional coordinates of the input cell.
struct SymmetryOperations {
  std::vector<Rotation> rotations;
  std::vector<Vec3> translations;
};

/// What spglib finds for a crystal.
struct SpaceGroup {
  /// International Tables number, 1 ... 230.
  int number = 0;
  /// spglib's Hall number, 1 ... 530 (setting of the space group).
  int hall_number = 0;
  /// Short Hermann–Mauguin symbol ("Pm-3m").
  std::string international;
  std::string hall_symbol;
  /// Setting choice ("1", "2", "H", "R", or empty).
  std::string choice;
  std::string point_group;
  /// Wyckoff letter of each atom ("a", "b", ...).
  std::vector<std::string> wyckoffs;
  /// For each atom, the index of the first atom of its orbit.
  std::vector<int> equivalent_atoms;
  /// The operations of the crystal in its own cell.
  SymmetryOperations operations;
};

/// The space group of `crystal`. Throws torus::Error with spglib's message when detection
/// fails (atoms too close at this symprec, for instance), or on an invalid crystal.
SpaceGroup space_group(const Crystal& crystal, const SymmetryOptions& options = {});

/// The standardised conventional cell (spglib's standardize_cell, to_primitive = 0,
/// no_idealize = 0: rotated into the standard orientation and symmetrised).
Crystal standardize(const Crystal& crystal, const SymmetryOptions& options = {});

/// The standardised primitive cell (standardize_cell with to_primitive = 1, as spglib's
/// find_primitive).
Crystal primitive(const Crystal& crystal, const SymmetryOptions& options = {});

/// The refined cell: the conventional cell with positions and lattice symmetrised to the
/// detected space group (spglib's refine_cell).
Crystal refine(const Crystal& crystal, const SymmetryOptions& options = {});

/// The Niggli-reduced basis of `lattice` (rows), with spglib's tolerance `eps` relative to the
/// lattice's lengths. Throws torus::Error when spglib fails (a singular lattice).
Lattice niggli_reduce(const Lattice& lattice, double eps = 1e-5);

/// The symmetry operations of the space-group setting `hall_number` (1 ... 530) in its
/// conventional cell. Throws torus::Error for a number outside 1 ... 530.
SymmetryOperations operations_of_hall(int hall_number);

/// The version of the spglib library linked at run time ("2.0.2"); Debian's pkg-config file
/// reports none.
std::string spglib_version();

}  // namespace torus::crystal
