#pragma once
/// \file
/// Lattice points near the origin and the search for bases of one lattice that look like
/// another cell (lengths within a ratio, angles within a tolerance): the first step of the
/// structure matcher and of the Niggli reduction. The enumeration order is pymatgen's
/// (`Lattice.get_points_in_sphere` through its cell-list neighbour search), because the Niggli
/// reduction keeps the first basis found and later steps depend on which one that is.

#include <array>
#include <functional>
#include <vector>

#include "torus/crystal/lattice_geometry.hpp"

namespace torus::crystal::detail {

/// A lattice point n0 a + n1 b + n2 c.
struct LatticePoint {
  std::array<int, 3> n{};
  Vec3 cart{};
  double distance = 0.0;  ///< |cart| as the neighbour search computed it
};

/// The lattice points of `m` within `radius` of the origin (the origin included), in the order
/// pymatgen's `find_points_in_spheres` reports them for a single centre at the origin.
std::vector<LatticePoint> lattice_points_in_sphere(const Mat3& m, double radius);

/// A basis of the searched lattice: rows are lattice vectors, `scale` their integer coordinates
/// in the searched lattice's basis (aligned = scale · m).
struct LatticeMapping {
  Mat3 aligned{};
  std::array<std::array<int, 3>, 3> scale{};
  int det_scale = 0;
};

/// Calls `visit` for every triple of lattice vectors (u, v, w) of `m` with
///   1/(1+ltol) < |u|/a, |v|/b, |w|/c < 1 + ltol  and
///   |angle(v,w) - alpha|, |angle(u,w) - beta|, |angle(u,v) - gamma| < angle_tol (degrees)
/// and a non-singular integer matrix, in pymatgen's order (`Lattice.find_all_mappings`);
/// (a, b, c, alpha, beta, gamma) are the target's parameters. Stops when `visit` returns false.
void find_all_mappings(const Mat3& m, const Vec3& target_lengths, const Vec3& target_angles,
                       double ltol, double angle_tol,
                       const std::function<bool(const LatticeMapping&)>& visit);

}  // namespace torus::crystal::detail
