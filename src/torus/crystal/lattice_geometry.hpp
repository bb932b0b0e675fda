#pragma once
/// \file
/// Small 3x3 linear algebra on lattices (rows a, b, c in Å) shared by the structure matcher and
/// the neighbour lists: products, inverses, cell parameters and the LLL reduction. Where the
/// structure matcher must agree with pymatgen to round-off, these follow pymatgen's formulas
/// (cell from parameters, LLL with delta = 3/4), which the comments name.

#include <array>
#include <cmath>

#include "torus/crystal/crystal.hpp"

namespace torus::crystal::detail {

using Mat3 = std::array<Vec3, 3>;

inline double dot(const Vec3& u, const Vec3& v) { return u[0] * v[0] + u[1] * v[1] + u[2] * v[2]; }

inline Vec3 cross(const Vec3& u, const Vec3& v) {
  return {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]};
}

/// det M = a · (b x c) for rows a, b, c.
inline double det(const Mat3& m) { return dot(m[0], cross(m[1], m[2])); }

/// The cell volume |a · (b x c)|.
double volume(const Mat3& m);

/// M N.
Mat3 multiply(const Mat3& m, const Mat3& n);

/// Row vector times matrix: x M.
Vec3 row_times(const Vec3& x, const Mat3& m);

/// M^-1 by cofactors; the caller guarantees det M != 0.
Mat3 inverse(const Mat3& m);

/// M^T.
Mat3 transpose(const Mat3& m);

/// Lengths |a|, |b|, |c|.
Vec3 lengths(const Mat3& m);

/// Angles (alpha, beta, gamma) in degrees: alpha = angle(b, c), beta = angle(a, c),
/// gamma = angle(a, b), each arccos of the clamped cosine.
Vec3 angles(const Mat3& m);

/// Lengths of the reciprocal vectors with the 2 pi factor: |b_i*| = 2 pi |row i of M^-T|.
Vec3 reciprocal_lengths(const Mat3& m);

/// An LLL-reduced basis (delta = 3/4) of the lattice `m` and the integer matrix T with
/// reduced = T m, as pymatgen's Lattice computes them (column-vector Gram–Schmidt, size reduction
/// from the last vector down, swap when the Lovász condition fails).
struct LllBasis {
  Mat3 reduced{};
  Mat3 mapping{};  ///< T (integer entries held as doubles)
};
LllBasis lll_reduce(const Mat3& m);

/// x mod 1 with Python's sign convention (the result has the sign of the divisor), so a tiny
/// negative x maps to 1.0 exactly as NumPy's `% 1` does.
inline double python_mod1(double x) {
  double r = std::fmod(x, 1.0);
  if (r < 0.0) r += 1.0;
  return r == 0.0 ? 0.0 : r;
}

/// |x - round(x)|, the distance from x to the nearest integer. Adding and subtracting 1.5 2^52
/// rounds to an integer in the FPU's default mode (ties to even, which gives the same distance
/// as rounding ties away), without the libm call std::round costs on baseline x86-64.
inline double distance_to_integer(double x) {
  constexpr double shifter = 6755399441055744.0;  // 1.5 * 2^52
  if (!(std::abs(x) < 1e15)) return std::abs(x - std::round(x));
  const double r = (x + shifter) - shifter;
  return std::abs(x - r);
}

/// Throws torus::Error unless the lattice is finite and non-singular (|det| > 1e-8 |a||b||c|).
void require_valid_lattice(const Mat3& m, const char* input);

}  // namespace torus::crystal::detail
