#pragma once
/// \file
/// The geometry of a periodic cell: lattice parameters and back, volume, Cartesian and
/// fractional coordinates, and wrapping onto the torus [0, 1)^3.

#include <vector>

#include "torus/crystal/crystal.hpp"

namespace torus::crystal {

/// Cell lengths a, b, c in Å and angles alpha = ∠(b, c), beta = ∠(a, c), gamma = ∠(a, b) in
/// degrees.
struct LatticeParameters {
  double a = 0.0, b = 0.0, c = 0.0;
  double alpha = 0.0, beta = 0.0, gamma = 0.0;
};

/// The lattice with the given parameters in pymatgen's orientation (Lattice.from_parameters,
/// which CDVAE follows): c along z, a in the xz plane. Throws torus::Error when a length is not
/// positive and finite or the angles do not make a cell (no volume).
Lattice lattice_from_parameters(const LatticeParameters& p);

/// The lengths and angles of `lattice`. Throws torus::Error when a cell vector has length zero.
LatticeParameters lattice_parameters(const Lattice& lattice);

/// The cell volume |det L| in Å³.
double volume(const Lattice& lattice);

/// det L: positive for a right-handed cell.
double determinant(const Lattice& lattice);

/// L^{-1}; throws torus::Error when the lattice is singular.
Lattice inverse(const Lattice& lattice);

/// Cartesian position r = f · L of fractional coordinates f, in Å.
Vec3 to_cartesian(const Lattice& lattice, const Vec3& frac);

/// Fractional coordinates f = r · L^{-1} of a Cartesian position r.
Vec3 to_fractional(const Lattice& lattice, const Vec3& cart);

/// The Cartesian positions of every atom of `crystal`, in its order.
std::vector<Vec3> cartesian_coords(const Crystal& crystal);

/// x - floor(x), folded into [0, 1): values that round to 1.0 (x = -1e-17) become 0.
double wrap_fractional(double x);

/// Each coordinate of `f` wrapped into [0, 1).
Vec3 wrap_fractional(const Vec3& f);

/// The length in Å of the shortest lattice translate of the fractional displacement `d`:
/// min over n in {-1, 0, 1}^3 of |(d - round(d) + n) · L|, exact for the cells whose Niggli
/// reduction is close to the lattice (every cell torus reads in practice).
double minimum_image_distance(const Lattice& lattice, const Vec3& d);

}  // namespace torus::crystal
