// Periodic neighbour lists and fully connected graphs against brute force over an explicit image
// range far larger than needed: random skewed cells in one batch of different sizes, tiny cells
// with cutoffs several times their length, max_neighbors truncation and the minimum image.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <random>
#include <tuple>
#include <vector>

#include "torus/core/error.hpp"
#include "torus/crystal/neighbor_list.hpp"

namespace torus::crystal {
namespace {

using Key = std::tuple<int, int, int, int, int>;  // src, dst, n0, n1, n2

struct HostEdges {
  std::vector<int> src, dst;
  std::vector<std::array<int, 3>> image;
  std::vector<double> distance;
  std::vector<std::int64_t> offsets;
};

HostEdges to_host(const NeighborList& e) {
  HostEdges h;
  const auto src = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), e.src);
  const auto dst = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), e.dst);
  const auto image = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), e.image);
  const auto distance = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), e.distance);
  const auto offsets = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), e.atom_offsets);
  for (std::int64_t k = 0; k < e.size(); ++k) {
    h.src.push_back(src(k));
    h.dst.push_back(dst(k));
    h.image.push_back({image(k, 0), image(k, 1), image(k, 2)});
    h.distance.push_back(distance(k));
  }
  for (std::size_t i = 0; i < offsets.extent(0); ++i) h.offsets.push_back(offsets(i));
  return h;
}

double distance(const Crystal& c, int i, int j, int n0, int n1, int n2) {
  const int n[3] = {n0, n1, n2};
  double r2 = 0.0;
  for (int q = 0; q < 3; ++q) {
    double x = 0.0;
    for (int k = 0; k < 3; ++k)
      x += (c.frac_coords[j][k] + n[k] - c.frac_coords[i][k]) * c.lattice[k][q];
    r2 += x * x;
  }
  return std::sqrt(r2);
}

// All (i, j, n) with |n_k| <= range and distance <= cutoff, self edge excluded, global indices.
std::map<Key, double> brute_force(const std::vector<Crystal>& crystals, double cutoff, int range) {
  std::map<Key, double> out;
  int first = 0;
  for (const Crystal& c : crystals) {
    for (int i = 0; i < c.size(); ++i)
      for (int j = 0; j < c.size(); ++j)
        for (int n0 = -range; n0 <= range; ++n0)
          for (int n1 = -range; n1 <= range; ++n1)
            for (int n2 = -range; n2 <= range; ++n2) {
              if (i == j && n0 == 0 && n1 == 0 && n2 == 0) continue;
              const double d = distance(c, i, j, n0, n1, n2);
              if (d <= cutoff) out[{first + i, first + j, n0, n1, n2}] = d;
            }
    first += c.size();
  }
  return out;
}

Crystal random_crystal(std::mt19937& rng, int atoms, double skew) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  std::normal_distribution<double> g(0.0, 1.0);
  Crystal c;
  while (true) {
    for (int r = 0; r < 3; ++r)
      for (int q = 0; q < 3; ++q)
        c.lattice[r][q] = (r == q ? 3.0 + 2.0 * u(rng) : 0.0) + skew * g(rng);
    const auto& m = c.lattice;
    const double det = m[0][0] * (m[1][1] * m[2][2] - m[1][2] * m[2][1]) -
                       m[0][1] * (m[1][0] * m[2][2] - m[1][2] * m[2][0]) +
                       m[0][2] * (m[1][0] * m[2][1] - m[1][1] * m[2][0]);
    // Heights V / |a_j x a_k| of at least 0.9 Å keep the brute-force range of 9 images ample
    // for the 6 Å cutoff below (a vector of length 6 spans at most 6/0.9 + 1 < 9 cells).
    double min_height = 1e300;
    for (int k = 0; k < 3; ++k) {
      const auto& p = m[(k + 1) % 3];
      const auto& q = m[(k + 2) % 3];
      const double cx = p[1] * q[2] - p[2] * q[1], cy = p[2] * q[0] - p[0] * q[2],
                   cz = p[0] * q[1] - p[1] * q[0];
      min_height = std::min(min_height, std::abs(det) / std::sqrt(cx * cx + cy * cy + cz * cz));
    }
    if (std::abs(det) > 5.0 && min_height > 0.9) break;
  }
  for (int s = 0; s < atoms; ++s) {
    c.frac_coords.push_back({u(rng), u(rng), u(rng)});
    c.numbers.push_back(6);
  }
  return c;
}

void expect_equal_edges(const HostEdges& h, const std::map<Key, double>& expected) {
  std::map<Key, double> got;
  for (std::size_t k = 0; k < h.src.size(); ++k) {
    const Key key{h.src[k], h.dst[k], h.image[k][0], h.image[k][1], h.image[k][2]};
    EXPECT_TRUE(got.emplace(key, h.distance[k]).second) << "duplicate edge";
  }
  ASSERT_EQ(got.size(), expected.size());
  for (const auto& [key, d] : expected) {
    const auto it = got.find(key);
    ASSERT_NE(it, got.end()) << "missing edge " << std::get<0>(key) << " -> " << std::get<1>(key);
    EXPECT_NEAR(it->second, d, 1e-12);
  }
}

TEST(NeighborList, MatchesBruteForceOnSkewedCellsInOneBatch) {
  std::mt19937 rng(12345);
  std::vector<Crystal> crystals;
  const int sizes[] = {1, 5, 3, 8, 2, 6};
  for (int k = 0; k < 6; ++k) crystals.push_back(random_crystal(rng, sizes[k], 1.5));
  const double cutoff = 6.0;
  const auto batch = CrystalBatch::from_crystals(crystals);
  const HostEdges h = to_host(neighbor_list(batch, cutoff));
  expect_equal_edges(h, brute_force(crystals, cutoff, 9));

  // Offsets group edges by source, nearest first.
  ASSERT_EQ(h.offsets.size(), 26u);
  for (std::size_t i = 0; i + 1 < h.offsets.size(); ++i) {
    for (std::int64_t e = h.offsets[i]; e < h.offsets[i + 1]; ++e) {
      EXPECT_EQ(h.src[e], static_cast<int>(i));
      if (e > h.offsets[i]) EXPECT_LE(h.distance[e - 1], h.distance[e]);
    }
  }
}

TEST(NeighborList, SmallCellsWithLongCutoffs) {
  // A 1.2 Å cubic cell with one atom and a flat skewed 2-atom cell, cutoffs several cell lengths.
  Crystal cubic;
  cubic.lattice = {{{1.2, 0, 0}, {0, 1.2, 0}, {0, 0, 1.2}}};
  cubic.frac_coords = {{0.3, 0.1, 0.9}};
  cubic.numbers = {1};
  Crystal flat;
  flat.lattice = {{{2.0, 0, 0}, {1.7, 0.6, 0}, {0.4, -0.3, 0.9}}};
  flat.frac_coords = {{0.0, 0.0, 0.0}, {0.5, 0.25, 0.75}};
  flat.numbers = {6, 8};
  for (double cutoff : {2.5, 4.1}) {
    const std::vector<Crystal> crystals{cubic, flat};
    const HostEdges h = to_host(neighbor_list(CrystalBatch::from_crystals(crystals), cutoff));
    expect_equal_edges(h, brute_force(crystals, cutoff, 16));
  }
  // Every lattice point within 4.1 Å of the origin but the origin itself: 4.1/1.2 = 3.4 cells.
  const HostEdges h = to_host(neighbor_list(CrystalBatch::from_crystals({cubic}), 4.1));
  int expected = 0;
  for (int a = -4; a <= 4; ++a)
    for (int b = -4; b <= 4; ++b)
      for (int c = -4; c <= 4; ++c)
        expected += (a || b || c) && 1.2 * std::sqrt(double(a * a + b * b + c * c)) <= 4.1;
  EXPECT_EQ(static_cast<int>(h.src.size()), expected);
}

TEST(NeighborList, MaxNeighborsKeepsTheNearest) {
  std::mt19937 rng(7);
  std::vector<Crystal> crystals{random_crystal(rng, 4, 1.0), random_crystal(rng, 7, 0.5)};
  const auto batch = CrystalBatch::from_crystals(crystals);
  const HostEdges full = to_host(neighbor_list(batch, 5.0));
  const int k = 6;
  const HostEdges cut = to_host(neighbor_list(batch, 5.0, k));
  ASSERT_EQ(cut.offsets.size(), full.offsets.size());
  for (std::size_t i = 0; i + 1 < full.offsets.size(); ++i) {
    const std::int64_t n_full = full.offsets[i + 1] - full.offsets[i];
    const std::int64_t n_cut = cut.offsets[i + 1] - cut.offsets[i];
    EXPECT_EQ(n_cut, std::min<std::int64_t>(n_full, k));
    // The kept edges are the first of the full (sorted) list, and none dropped is nearer.
    for (std::int64_t e = 0; e < n_cut; ++e) {
      EXPECT_EQ(cut.dst[cut.offsets[i] + e], full.dst[full.offsets[i] + e]);
      EXPECT_EQ(cut.image[cut.offsets[i] + e], full.image[full.offsets[i] + e]);
      EXPECT_EQ(cut.distance[cut.offsets[i] + e], full.distance[full.offsets[i] + e]);
    }
    if (n_cut > 0 && n_full > n_cut) {
      EXPECT_LE(cut.distance[cut.offsets[i] + n_cut - 1], full.distance[full.offsets[i] + n_cut]);
    }
  }
}

TEST(NeighborList, FullyConnectedUsesTheMinimumImage) {
  std::mt19937 rng(99);
  std::vector<Crystal> crystals{random_crystal(rng, 5, 2.0), random_crystal(rng, 1, 0.0),
                                random_crystal(rng, 9, 1.0)};
  const HostEdges h = to_host(fully_connected_graph(CrystalBatch::from_crystals(crystals)));
  std::size_t expected_edges = 0;
  int first = 0;
  std::size_t e = 0;
  for (const Crystal& c : crystals) {
    expected_edges += static_cast<std::size_t>(c.size() * (c.size() - 1));
    for (int i = 0; i < c.size(); ++i) {
      for (int j = 0; j < c.size(); ++j) {
        if (i == j) continue;
        double best = 1e300;
        for (int n0 = -8; n0 <= 8; ++n0)
          for (int n1 = -8; n1 <= 8; ++n1)
            for (int n2 = -8; n2 <= 8; ++n2) best = std::min(best, distance(c, i, j, n0, n1, n2));
        ASSERT_LT(e, h.src.size());
        EXPECT_EQ(h.src[e], first + i);
        EXPECT_EQ(h.dst[e], first + j);
        EXPECT_NEAR(h.distance[e], best, 1e-12);
        EXPECT_NEAR(distance(c, i, j, h.image[e][0], h.image[e][1], h.image[e][2]), best, 1e-12);
        ++e;
      }
    }
    first += c.size();
  }
  EXPECT_EQ(h.src.size(), expected_edges);
}

TEST(NeighborList, RejectsBadInput) {
  Crystal c;
  c.lattice = {{{3, 0, 0}, {0, 3, 0}, {0, 0, 3}}};
  c.frac_coords = {{0, 0, 0}};
  c.numbers = {1};
  const auto batch = CrystalBatch::from_crystals({c});
  EXPECT_THROW(neighbor_list(batch, 0.0), torus::Error);
  EXPECT_THROW(neighbor_list(batch, std::nan("")), torus::Error);
  EXPECT_THROW(neighbor_list(batch, 2.0, -1), torus::Error);
  Crystal singular = c;
  singular.lattice[2] = {6, 0, 0};
  EXPECT_THROW(neighbor_list(CrystalBatch::from_crystals({singular}), 2.0), torus::Error);
  Crystal nan = c;
  nan.frac_coords[0][1] = std::nan("");
  EXPECT_THROW(CrystalBatch::from_crystals({nan}), torus::Error);
}

}  // namespace
}  // namespace torus::crystal
