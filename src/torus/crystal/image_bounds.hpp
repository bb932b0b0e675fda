#pragma once
/// \file
/// The periodic images a pair search must visit, shared by the batched neighbour lists
/// (neighbor_list.cpp, on the Kokkos device) and the per-crystal host search
/// (periodic_pairs.cpp).
///
/// A vector r = x L of length <= radius has fractional component |x_k| = |r . b_k*| <= radius /
/// h_k, with h_k = V / |a_{k+1} x a_{k+2}| the height of the cell across axis k (|b_k*| = 1 / h_k).
/// So for df = f_j - f_i the images n with |df + n| <= radius lie in
///   n_k in [ceil(-reach_k - df_k), floor(reach_k - df_k)],   reach_k = radius / h_k,
/// however small or skewed the cell.

#include <Kokkos_Core.hpp>

#include "torus/core/math.hpp"

namespace torus::crystal::detail {

/// Slack on the bounds, so that round-off in f or h never drops an image whose distance is
/// within the radius; the distance test itself decides.
constexpr double kImageBoundSlack = 1e-9;

/// lo[k] ... hi[k] (inclusive) of the images of the file comment.
KOKKOS_INLINE_FUNCTION void image_bounds(const double reach[3], const double df[3], int lo[3],
                                         int hi[3]) {
  for (int k = 0; k < 3; ++k) {
    lo[k] = static_cast<int>(math::ceil(-reach[k] - df[k] - kImageBoundSlack));
    hi[k] = static_cast<int>(math::floor(reach[k] - df[k] + kImageBoundSlack));
  }
}

}  // namespace torus::crystal::detail
