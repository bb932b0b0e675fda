#pragma once
/// \file
/// torus::crystal::Crystal: a periodic crystal as torus holds it everywhere (docs/design.md,
/// "Crystals"). The lattice's rows are the cell vectors a, b, c in Å, so the Cartesian position
/// of an atom is r = f · L (f a row of fractional coordinates, L the lattice matrix).
/// spglib stores the transpose (columns are a, b, c); the conversion happens in
/// crystal/symmetry.cpp and nowhere else.

#include <array>
#include <vector>

namespace torus::crystal {

using Vec3 = std::array<double, 3>;
/// Rows a, b, c of the cell in Å: lattice[i][j] is component j of cell vector i.
using Lattice = std::array<Vec3, 3>;

struct Crystal {
  Lattice lattice{};
  /// Fractional coordinates of each atom, wrapped into [0, 1) by the functions that make
  /// crystals (see wrap_fractional).
  std::vector<Vec3> frac_coords;
  /// Atomic number of each atom (1 ... 100), in the order of frac_coords.
  std::vector<int> numbers;

  int size() const { return static_cast<int>(numbers.size()); }
};

}  // namespace torus::crystal
