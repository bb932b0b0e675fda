#include "torus/crystal/neighbor_list.hpp"

#include <cmath>
#include <string>

#include "torus/core/error.hpp"
#include "torus/core/math.hpp"
#include "torus/crystal/image_bounds.hpp"
#include "torus/crystal/lattice_geometry.hpp"

namespace torus::crystal {

namespace {

namespace km = torus::math;

using ExecutionSpace = Kokkos::DefaultExecutionSpace;
using Policy = Kokkos::RangePolicy<ExecutionSpace>;
template <class T>
using View = Kokkos::View<T, GraphMemorySpace>;

// Per-crystal data the kernels read: the lattice L (rows) and the heights h_k = V / |a_{k+1} x
// a_{k+2}| (the distance between the lattice planes spanned by the other two vectors).
struct Geometry {
  View<double* [3][3]> lattices;
  View<double* [3]> heights;
  View<int*> crystal_of;  // crystal index of each atom
  View<double* [3]> frac;
  View<std::int64_t*> offsets;
};

// |r_ij| = |(df + n) L| for df = f_j - f_i.
KOKKOS_INLINE_FUNCTION double distance_of(const Geometry& g, int b, const double df[3], int n0,
                                          int n1, int n2) {
  const double u0 = df[0] + n0, u1 = df[1] + n1, u2 = df[2] + n2;
  double r2 = 0.0;
  for (int c = 0; c < 3; ++c) {
    const double x = u0 * g.lattices(b, 0, c) + u1 * g.lattices(b, 1, c) + u2 * g.lattices(b, 2, c);
    r2 += x * x;
  }
  return km::sqrt(r2);
}

// The images of crystal b within `radius` of df (crystal/image_bounds.hpp).
KOKKOS_INLINE_FUNCTION void image_bounds(const Geometry& g, int b, const double df[3],
                                         double radius, int lo[3], int hi[3]) {
  const double reach[3] = {radius / g.heights(b, 0), radius / g.heights(b, 1),
                           radius / g.heights(b, 2)};
  detail::image_bounds(reach, df, lo, hi);
}

// Calls visit(j, n0, n1, n2, d) for every atom j of i's crystal and image n with d = |r_ij| <=
// radius, the self edge (i = j, n = 0) excluded.
template <class Visit>
KOKKOS_INLINE_FUNCTION void for_each_neighbour(const Geometry& g, int i, double radius,
                                               Visit&& visit) {
  const int b = g.crystal_of(i);
  const std::int64_t first = g.offsets(b), last = g.offsets(b + 1);
  for (std::int64_t jj = first; jj < last; ++jj) {
    const int j = static_cast<int>(jj);
    const double df[3] = {g.frac(j, 0) - g.frac(i, 0), g.frac(j, 1) - g.frac(i, 1),
                          g.frac(j, 2) - g.frac(i, 2)};
    int lo[3], hi[3];
    image_bounds(g, b, df, radius, lo, hi);
    for (int n0 = lo[0]; n0 <= hi[0]; ++n0) {
      for (int n1 = lo[1]; n1 <= hi[1]; ++n1) {
        for (int n2 = lo[2]; n2 <= hi[2]; ++n2) {
          if (j == i && n0 == 0 && n1 == 0 && n2 == 0) continue;
          const double d = distance_of(g, b, df, n0, n1, n2);
          if (d <= radius) visit(j, n0, n1, n2, d);
        }
      }
    }
  }
}

// Edge order: distance, then destination, then image.
KOKKOS_INLINE_FUNCTION bool edge_before(double da, int ja, const int* na, double db, int jb,
                                        const int* nb) {
  if (da != db) return da < db;
  if (ja != jb) return ja < jb;
  for (int k = 0; k < 3; ++k)
    if (na[k] != nb[k]) return na[k] < nb[k];
  return false;
}

// offsets(i) = sum_{i' < i} counts(i'), offsets(N) = total; returns the total.
std::int64_t exclusive_scan(const View<std::int64_t*>& counts, const View<std::int64_t*>& offsets) {
  const std::int64_t n = static_cast<std::int64_t>(counts.extent(0));
  std::int64_t total = 0;
  Kokkos::parallel_scan(
      "torus::crystal::neighbor_offsets", Policy(0, n),
      KOKKOS_LAMBDA(const std::int64_t i, std::int64_t& update, const bool final) {
        if (final) offsets(i) = update;
        update += counts(i);
        if (final && i == n - 1) offsets(n) = update;
      },
      total);
  if (n == 0) Kokkos::deep_copy(Kokkos::subview(offsets, 0), std::int64_t{0});
  return total;
}

NeighborList allocate(std::int64_t edges) {
  NeighborList out;
  out.src = View<int*>("torus::crystal::edge_src", edges);
  out.dst = View<int*>("torus::crystal::edge_dst", edges);
  out.image = View<int* [3]>("torus::crystal::edge_image", edges);
  out.distance = View<double*>("torus::crystal::edge_distance", edges);
  return out;
}

// Checks the batch on the host and derives the per-crystal heights and per-atom crystal index.
Geometry prepare(const CrystalBatch& batch) {
  const std::int64_t n_crystals = static_cast<std::int64_t>(batch.lattices.extent(0));
  const std::int64_t n_atoms = static_cast<std::int64_t>(batch.frac.extent(0));
  TORUS_REQUIRE(batch.offsets.extent(0) == static_cast<std::size_t>(n_crystals + 1),
                "the batch has " + std::to_string(n_crystals) + " lattices but " +
                    std::to_string(batch.offsets.extent(0)) + " offsets",
                "CrystalBatch::offsets", "give B + 1 offsets for B crystals");
  const auto offsets = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), batch.offsets);
  const auto lattices = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), batch.lattices);
  TORUS_REQUIRE(offsets(0) == 0 && offsets(n_crystals) == n_atoms,
                "the offsets run from " + std::to_string(offsets(0)) + " to " +
                    std::to_string(offsets(n_crystals)) + " for " + std::to_string(n_atoms) +
                    " atoms",
                "CrystalBatch::offsets", "start the offsets at 0 and end them at the atom count");
  TORUS_REQUIRE(n_atoms < (std::int64_t{1} << 31), "more than 2^31 atoms in one batch",
                "CrystalBatch::frac", "split the batch");
  for (std::int64_t b = 0; b < n_crystals; ++b) {
    TORUS_REQUIRE(offsets(b) <= offsets(b + 1),
                  "the offsets decrease at crystal " + std::to_string(b), "CrystalBatch::offsets",
                  "give non-decreasing offsets");
    detail::Mat3 m{};
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) m[r][c] = lattices(b, r, c);
    detail::require_valid_lattice(m, "CrystalBatch::lattices");
  }

  Geometry g;
  g.lattices = batch.lattices;
  g.frac = batch.frac;
  g.offsets = batch.offsets;
  g.heights = View<double* [3]>("torus::crystal::heights", n_crystals);
  g.crystal_of = View<int*>("torus::crystal::crystal_of", n_atoms);
  const Geometry gg = g;
  Kokkos::parallel_for(
      "torus::crystal::cell_heights", Policy(0, n_crystals), KOKKOS_LAMBDA(const std::int64_t b) {
        // h_k = |det L| / |a_{k+1} x a_{k+2}|.
        double cr[3][3];
        for (int k = 0; k < 3; ++k) {
          const int p = (k + 1) % 3, q = (k + 2) % 3;
          cr[k][0] = gg.lattices(b, p, 1) * gg.lattices(b, q, 2) -
                     gg.lattices(b, p, 2) * gg.lattices(b, q, 1);
          cr[k][1] = gg.lattices(b, p, 2) * gg.lattices(b, q, 0) -
                     gg.lattices(b, p, 0) * gg.lattices(b, q, 2);
          cr[k][2] = gg.lattices(b, p, 0) * gg.lattices(b, q, 1) -
                     gg.lattices(b, p, 1) * gg.lattices(b, q, 0);
        }
        const double volume =
            km::fabs(gg.lattices(b, 0, 0) * cr[0][0] + gg.lattices(b, 0, 1) * cr[0][1] +
                     gg.lattices(b, 0, 2) * cr[0][2]);
        for (int k = 0; k < 3; ++k) {
          gg.heights(b, k) =
              volume / km::sqrt(cr[k][0] * cr[k][0] + cr[k][1] * cr[k][1] + cr[k][2] * cr[k][2]);
        }
        for (std::int64_t i = gg.offsets(b); i < gg.offsets(b + 1); ++i)
          gg.crystal_of(i) = static_cast<int>(b);
      });
  return g;
}

// Sorts each atom's edges (insertion sort: the segments are short and this runs per atom).
void sort_segments(const NeighborList& e) {
  const std::int64_t n_atoms = static_cast<std::int64_t>(e.atom_offsets.extent(0)) - 1;
  Kokkos::parallel_for(
      "torus::crystal::sort_edges", Policy(0, n_atoms), KOKKOS_LAMBDA(const std::int64_t i) {
        const std::int64_t first = e.atom_offsets(i), last = e.atom_offsets(i + 1);
        for (std::int64_t p = first + 1; p < last; ++p) {
          const double d = e.distance(p);
          const int j = e.dst(p);
          const int n[3] = {e.image(p, 0), e.image(p, 1), e.image(p, 2)};
          std::int64_t q = p;
          while (q > first) {
            const int m[3] = {e.image(q - 1, 0), e.image(q - 1, 1), e.image(q - 1, 2)};
            if (!edge_before(d, j, n, e.distance(q - 1), e.dst(q - 1), m)) break;
            e.distance(q) = e.distance(q - 1);
            e.dst(q) = e.dst(q - 1);
            for (int k = 0; k < 3; ++k) e.image(q, k) = m[k];
            --q;
          }
          e.distance(q) = d;
          e.dst(q) = j;
          for (int k = 0; k < 3; ++k) e.image(q, k) = n[k];
        }
      });
}

}  // namespace

CrystalBatch CrystalBatch::from_crystals(const std::vector<Crystal>& crystals) {
  std::int64_t n_atoms = 0;
  for (std::size_t b = 0; b < crystals.size(); ++b) {
    const Crystal& c = crystals[b];
    TORUS_REQUIRE(c.frac_coords.size() == c.numbers.size(),
                  "crystal " + std::to_string(b) + " has " + std::to_string(c.frac_coords.size()) +
                      " coordinates and " + std::to_string(c.numbers.size()) + " atomic numbers",
                  "crystals", "give one atomic number per atom");
    for (const Vec3& f : c.frac_coords)
      for (double x : f)
        TORUS_REQUIRE(std::isfinite(x),
                      "crystal " + std::to_string(b) + " has a non-finite coordinate", "crystals",
                      "pass finite fractional coordinates");
    n_atoms += static_cast<std::int64_t>(c.frac_coords.size());
  }
  CrystalBatch batch;
  batch.lattices = View<double* [3][3]>("torus::crystal::lattices", crystals.size());
  batch.frac = View<double* [3]>("torus::crystal::frac", n_atoms);
  batch.offsets = View<std::int64_t*>("torus::crystal::offsets", crystals.size() + 1);
  auto lattices = Kokkos::create_mirror_view(batch.lattices);
  auto frac = Kokkos::create_mirror_view(batch.frac);
  auto offsets = Kokkos::create_mirror_view(batch.offsets);
  std::int64_t atom = 0;
  for (std::size_t b = 0; b < crystals.size(); ++b) {
    offsets(b) = atom;
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) lattices(b, r, c) = crystals[b].lattice[r][c];
    for (const Vec3& f : crystals[b].frac_coords) {
      for (int k = 0; k < 3; ++k) frac(atom, k) = f[k];
      ++atom;
    }
  }
  offsets(crystals.size()) = atom;
  Kokkos::deep_copy(batch.lattices, lattices);
  Kokkos::deep_copy(batch.frac, frac);
  Kokkos::deep_copy(batch.offsets, offsets);
  return batch;
}

NeighborList neighbor_list(const CrystalBatch& batch, double cutoff, int max_neighbors) {
  TORUS_REQUIRE(std::isfinite(cutoff) && cutoff > 0,
                "cutoff " + std::to_string(cutoff) + " Å is not a positive length", "cutoff",
                "give a positive, finite cutoff radius in Å");
  TORUS_REQUIRE(max_neighbors >= 0, "max_neighbors " + std::to_string(max_neighbors) + " < 0",
                "max_neighbors", "give 0 (no limit) or a positive count");
  const Geometry g = prepare(batch);
  const std::int64_t n_atoms = static_cast<std::int64_t>(batch.frac.extent(0));

  // Pass 1: count the edges of each atom; the scan turns counts into offsets.
  View<std::int64_t*> counts("torus::crystal::edge_counts", n_atoms);
  Kokkos::parallel_for(
      "torus::crystal::count_neighbours", Policy(0, n_atoms), KOKKOS_LAMBDA(const std::int64_t i) {
        std::int64_t count = 0;
        for_each_neighbour(g, static_cast<int>(i), cutoff,
                           [&](int, int, int, int, double) { ++count; });
        counts(i) = count;
      });
  View<std::int64_t*> full_offsets("torus::crystal::edge_offsets", n_atoms + 1);
  const std::int64_t total = exclusive_scan(counts, full_offsets);
  NeighborList full = allocate(total);
  full.atom_offsets = full_offsets;

  // Pass 2: fill, then order each atom's edges nearest first.
  Kokkos::parallel_for(
      "torus::crystal::fill_neighbours", Policy(0, n_atoms), KOKKOS_LAMBDA(const std::int64_t i) {
        std::int64_t e = full.atom_offsets(i);
        for_each_neighbour(g, static_cast<int>(i), cutoff,
                           [&](int j, int n0, int n1, int n2, double d) {
                             full.src(e) = static_cast<int>(i);
                             full.dst(e) = j;
                             full.image(e, 0) = n0;
                             full.image(e, 1) = n1;
                             full.image(e, 2) = n2;
                             full.distance(e) = d;
                             ++e;
                           });
      });
  sort_segments(full);
  if (max_neighbors == 0) return full;

  // Truncation: keep the first (nearest) max_neighbors edges of every atom.
  const std::int64_t k_max = max_neighbors;
  Kokkos::parallel_for(
      "torus::crystal::truncate_counts", Policy(0, n_atoms), KOKKOS_LAMBDA(const std::int64_t i) {
        const std::int64_t c = full.atom_offsets(i + 1) - full.atom_offsets(i);
        counts(i) = c < k_max ? c : k_max;
      });
  View<std::int64_t*> kept_offsets("torus::crystal::edge_offsets", n_atoms + 1);
  const std::int64_t kept_total = exclusive_scan(counts, kept_offsets);
  NeighborList out = allocate(kept_total);
  out.atom_offsets = kept_offsets;
  Kokkos::parallel_for(
      "torus::crystal::truncate_edges", Policy(0, n_atoms), KOKKOS_LAMBDA(const std::int64_t i) {
        std::int64_t from = full.atom_offsets(i);
        for (std::int64_t e = out.atom_offsets(i); e < out.atom_offsets(i + 1); ++e, ++from) {
          out.src(e) = full.src(from);
          out.dst(e) = full.dst(from);
          for (int k = 0; k < 3; ++k) out.image(e, k) = full.image(from, k);
          out.distance(e) = full.distance(from);
        }
      });
  return out;
}

NeighborList fully_connected_graph(const CrystalBatch& batch) {
  const Geometry g = prepare(batch);
  const std::int64_t n_atoms = static_cast<std::int64_t>(batch.frac.extent(0));
  View<std::int64_t*> counts("torus::crystal::edge_counts", n_atoms);
  Kokkos::parallel_for(
      "torus::crystal::count_pairs", Policy(0, n_atoms), KOKKOS_LAMBDA(const std::int64_t i) {
        const int b = g.crystal_of(i);
        counts(i) = g.offsets(b + 1) - g.offsets(b) - 1;
      });
  View<std::int64_t*> offsets("torus::crystal::edge_offsets", n_atoms + 1);
  const std::int64_t total = exclusive_scan(counts, offsets);
  NeighborList out = allocate(total);
  out.atom_offsets = offsets;

  Kokkos::parallel_for(
      "torus::crystal::fill_pairs", Policy(0, n_atoms), KOKKOS_LAMBDA(const std::int64_t i) {
        const int b = g.crystal_of(i);
        std::int64_t e = out.atom_offsets(i);
        for (std::int64_t jj = g.offsets(b); jj < g.offsets(b + 1); ++jj) {
          if (jj == i) continue;
          const int j = static_cast<int>(jj);
          const double df[3] = {g.frac(j, 0) - g.frac(i, 0), g.frac(j, 1) - g.frac(i, 1),
                                g.frac(j, 2) - g.frac(i, 2)};
          // Start from the naive image n = -round(df); the nearest image is no farther, so the
          // images within that distance (height bounds) contain it.
          int best[3] = {static_cast<int>(-km::nearbyint(df[0])),
                         static_cast<int>(-km::nearbyint(df[1])),
                         static_cast<int>(-km::nearbyint(df[2]))};
          double best_d = distance_of(g, b, df, best[0], best[1], best[2]);
          int lo[3], hi[3];
          image_bounds(g, b, df, best_d, lo, hi);
          for (int n0 = lo[0]; n0 <= hi[0]; ++n0) {
            for (int n1 = lo[1]; n1 <= hi[1]; ++n1) {
              for (int n2 = lo[2]; n2 <= hi[2]; ++n2) {
                const double d = distance_of(g, b, df, n0, n1, n2);
                if (d < best_d) {
                  best_d = d;
                  best[0] = n0;
                  best[1] = n1;
                  best[2] = n2;
                }
              }
            }
          }
          out.src(e) = static_cast<int>(i);
          out.dst(e) = j;
          for (int k = 0; k < 3; ++k) out.image(e, k) = best[k];
          out.distance(e) = best_d;
          ++e;
        }
      });
  return out;
}

}  // namespace torus::crystal
