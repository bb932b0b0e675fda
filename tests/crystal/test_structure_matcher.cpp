// StructureMatcher cases with known answers (the agreement with pymatgen on the shared data sets
// is tests/python/test_structure_matcher.py): identical crystals match at RMS 0; permuted,
// translated, rotated, re-based and supercell copies match; noise gives an RMS that grows with
// it; different elements or structures never match; bad crystals throw. The linear assignment
// solver against every permutation of small random matrices.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "torus/core/error.hpp"
#include "torus/crystal/linear_assignment.hpp"
#include "torus/crystal/structure_matcher.hpp"

namespace torus::crystal {
namespace {

const MatcherOptions kBenchmark{0.3, 0.5, 10.0};

// Rock salt in its conventional cell: 4 Na + 4 Cl (primitive cell of 2 atoms).
Crystal rock_salt(double a = 5.64) {
  Crystal c;
  c.lattice = {{{a, 0, 0}, {0, a, 0}, {0, 0, a}}};
  const std::array<Vec3, 4> fcc = {{{0, 0, 0}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}}};
  for (const Vec3& f : fcc) {
    c.frac_coords.push_back(f);
    c.numbers.push_back(11);
  }
  for (const Vec3& f : fcc) {
    c.frac_coords.push_back({std::fmod(f[0] + 0.5, 1.0), f[1], f[2]});
    c.numbers.push_back(17);
  }
  return c;
}

// A monoclinic, lower-symmetry 6-atom crystal (no exact ties between images).
Crystal monoclinic() {
  Crystal c;
  c.lattice = {{{5.1, 0, 0}, {0.8, 4.3, 0}, {-0.6, 0.4, 6.2}}};
  c.frac_coords = {{0.11, 0.23, 0.05}, {0.61, 0.71, 0.52}, {0.33, 0.12, 0.77},
                   {0.84, 0.47, 0.29}, {0.27, 0.66, 0.41}, {0.58, 0.91, 0.88}};
  c.numbers = {14, 14, 8, 8, 8, 8};
  return c;
}

Crystal permuted_translated(const Crystal& c, const std::vector<int>& order, const Vec3& shift) {
  Crystal out;
  out.lattice = c.lattice;
  for (int s : order) {
    Vec3 f = c.frac_coords[s];
    for (int k = 0; k < 3; ++k) f[k] = f[k] + shift[k] - std::floor(f[k] + shift[k]);
    out.frac_coords.push_back(f);
    out.numbers.push_back(c.numbers[s]);
  }
  return out;
}

// Rotates the Cartesian frame by `angle` about z and changes basis by a det-1 integer matrix U:
// rows L' = U L, fractional f' = f U^-1.
Crystal rotated_rebased(const Crystal& c, double angle) {
  const int U[3][3] = {{1, 1, 0}, {0, 1, 0}, {0, -1, 1}};
  const int Uinv[3][3] = {{1, -1, 0}, {0, 1, 0}, {0, 1, 1}};
  Crystal out;
  out.numbers = c.numbers;
  const double co = std::cos(angle), si = std::sin(angle);
  for (int r = 0; r < 3; ++r) {
    Vec3 row{};
    for (int k = 0; k < 3; ++k)
      for (int q = 0; q < 3; ++q) row[q] += U[r][k] * c.lattice[k][q];
    out.lattice[r] = {co * row[0] - si * row[1], si * row[0] + co * row[1], row[2]};
  }
  for (const Vec3& f : c.frac_coords) {
    Vec3 g{};
    for (int k = 0; k < 3; ++k)
      for (int q = 0; q < 3; ++q) g[q] += f[k] * Uinv[k][q];
    for (double& x : g) x -= std::floor(x);
    out.frac_coords.push_back(g);
  }
  return out;
}

Crystal doubled_along_a(const Crystal& c) {
  Crystal out;
  out.lattice = c.lattice;
  for (double& x : out.lattice[0]) x *= 2;
  for (int copy = 0; copy < 2; ++copy) {
    for (int s = 0; s < c.size(); ++s) {
      out.frac_coords.push_back(
          {(c.frac_coords[s][0] + copy) / 2, c.frac_coords[s][1], c.frac_coords[s][2]});
      out.numbers.push_back(c.numbers[s]);
    }
  }
  return out;
}

Crystal noisy(const Crystal& c, double sigma_frac, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<double> g(0.0, sigma_frac);
  Crystal out = c;
  for (Vec3& f : out.frac_coords)
    for (double& x : f) x += g(rng);
  return out;
}

TEST(StructureMatcher, IdenticalCrystalsMatchAtZeroRms) {
  const StructureMatcher matcher(kBenchmark);
  for (const Crystal& c : {rock_salt(), monoclinic()}) {
    EXPECT_TRUE(matcher.fit(c, c));
    const auto d = matcher.get_rms_dist(c, c);
    ASSERT_TRUE(d.has_value());
    EXPECT_LT(d->rms, 1e-10);
    EXPECT_LT(d->max_dist, 1e-10);
  }
}

TEST(StructureMatcher, PermutedTranslatedRotatedAndRebasedCopiesMatch) {
  const StructureMatcher matcher(kBenchmark);
  const Crystal c = monoclinic();
  const Crystal copy = permuted_translated(c, {3, 0, 5, 1, 4, 2}, {0.37, 0.81, 0.13});
  EXPECT_TRUE(matcher.fit(c, copy));
  EXPECT_LT(matcher.get_rms_dist(c, copy)->rms, 1e-10);
  const Crystal turned = rotated_rebased(copy, 0.7);
  EXPECT_TRUE(matcher.fit(c, turned));
  EXPECT_TRUE(matcher.fit(turned, c));
  EXPECT_LT(matcher.get_rms_dist(c, turned)->rms, 1e-10);
  // A uniformly scaled copy matches with `scale`, not without it.
  Crystal bigger = c;
  for (auto& row : bigger.lattice)
    for (double& x : row) x *= 1.5;
  EXPECT_TRUE(matcher.fit(c, bigger));
  MatcherOptions exact = kBenchmark;
  exact.scale = false;
  EXPECT_FALSE(StructureMatcher(exact).fit(c, bigger));
}

TEST(StructureMatcher, SupercellsMatchThroughThePrimitiveCell) {
  const StructureMatcher matcher(kBenchmark);
  const Crystal c = monoclinic();
  EXPECT_TRUE(matcher.fit(c, doubled_along_a(c)));
  EXPECT_LT(matcher.get_rms_dist(doubled_along_a(c), c)->rms, 1e-10);
  // Rock salt's conventional cell against its 2-atom primitive cell.
  Crystal primitive;
  const double a = 5.64;
  primitive.lattice = {{{0, a / 2, a / 2}, {a / 2, 0, a / 2}, {a / 2, a / 2, 0}}};
  primitive.frac_coords = {{0, 0, 0}, {0.5, 0.5, 0.5}};
  primitive.numbers = {11, 17};
  EXPECT_TRUE(matcher.fit(rock_salt(a), primitive));
  // Without the primitive reduction the sizes differ and nothing matches.
  MatcherOptions no_primitive = kBenchmark;
  no_primitive.primitive_cell = false;
  EXPECT_FALSE(StructureMatcher(no_primitive).fit(rock_salt(a), primitive));
}

TEST(StructureMatcher, RmsGrowsWithNoiseAndStolDecides) {
  const StructureMatcher matcher(kBenchmark);
  const Crystal c = monoclinic();
  double previous = 0.0;
  for (double sigma : {0.002, 0.01, 0.03}) {
    const Crystal n = noisy(c, sigma, 5);
    const auto d = matcher.get_rms_dist(c, n);
    ASSERT_TRUE(d.has_value()) << sigma;
    EXPECT_GT(d->rms, previous);
    EXPECT_GE(d->max_dist, d->rms);
    // fit minimises the largest distance, so a best-RMS pairing within stol implies a match.
    if (d->max_dist <= kBenchmark.stol) EXPECT_TRUE(matcher.fit(c, n));
    previous = d->rms;
  }
  // A tight stol rejects what the benchmark tolerance accepts.
  MatcherOptions tight = kBenchmark;
  tight.stol = 0.01;
  EXPECT_FALSE(StructureMatcher(tight).fit(c, noisy(c, 0.03, 5)));
}

TEST(StructureMatcher, DifferentElementsOrStructuresNeverMatch) {
  const StructureMatcher matcher(kBenchmark);
  const Crystal c = monoclinic();
  Crystal other_element = c;
  other_element.numbers[0] = other_element.numbers[1] = 32;  // Ge for Si
  EXPECT_FALSE(matcher.fit(c, other_element));
  EXPECT_FALSE(matcher.get_rms_dist(c, other_element).has_value());
  // Cubic SrTiO3 against the same cell with Sr and Ti exchanged: Ti would sit at the corner
  // with the oxygens on the edges instead of around it (pymatgen: no match, no RMS).
  Crystal perovskite;
  perovskite.lattice = {{{3.905, 0, 0}, {0, 3.905, 0}, {0, 0, 3.905}}};
  perovskite.frac_coords = {
      {0, 0, 0}, {0.5, 0.5, 0.5}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
  perovskite.numbers = {38, 22, 8, 8, 8};
  Crystal swapped = perovskite;
  swapped.numbers = {22, 38, 8, 8, 8};
  EXPECT_TRUE(matcher.fit(perovskite, perovskite));
  EXPECT_FALSE(matcher.fit(perovskite, swapped));
  EXPECT_FALSE(matcher.get_rms_dist(perovskite, swapped).has_value());
  // CsCl-type against rock salt: same composition, different structure.
  Crystal cscl;
  cscl.lattice = {{{4.1, 0, 0}, {0, 4.1, 0}, {0, 0, 4.1}}};
  cscl.frac_coords = {{0, 0, 0}, {0.5, 0.5, 0.5}};
  cscl.numbers = {11, 17};
  EXPECT_FALSE(matcher.fit(rock_salt(), cscl));
}

TEST(StructureMatcher, RejectsBadCrystalsAndOptions) {
  const StructureMatcher matcher(kBenchmark);
  const Crystal good = monoclinic();
  Crystal empty;
  empty.lattice = good.lattice;
  EXPECT_THROW(matcher.fit(good, empty), torus::Error);
  Crystal singular = good;
  singular.lattice[2] = {10.2, 0, 0};
  EXPECT_THROW(matcher.fit(good, singular), torus::Error);
  Crystal nan = good;
  nan.frac_coords[2][1] = std::nan("");
  EXPECT_THROW(matcher.get_rms_dist(nan, good), torus::Error);
  Crystal unknown = good;
  unknown.numbers[0] = 0;
  EXPECT_THROW(matcher.fit(good, unknown), torus::Error);
  Crystal ragged = good;
  ragged.numbers.pop_back();
  EXPECT_THROW(matcher.fit(good, ragged), torus::Error);
  MatcherOptions negative = kBenchmark;
  negative.stol = -1;
  EXPECT_THROW(StructureMatcher{negative}, torus::Error);
  MatcherOptions supercell = kBenchmark;
  supercell.attempt_supercell = true;
  EXPECT_THROW(StructureMatcher{supercell}, torus::Error);
}

TEST(LinearAssignment, FindsTheMinimumOverAllPermutations) {
  std::mt19937 rng(3);
  std::uniform_real_distribution<double> u(0.0, 10.0);
  detail::LinearAssignment solver;
  for (int trial = 0; trial < 200; ++trial) {
    const int n = 1 + trial % 7;
    std::vector<double> cost(static_cast<std::size_t>(n * n));
    for (double& c : cost) c = trial % 3 == 0 ? std::round(u(rng)) : u(rng);  // ties too
    if (trial % 5 == 0)
      for (double& c : cost)
        if (u(rng) < 3.0) c = 1e20;  // forbidden pairs, as the matcher masks them
    const double got = solver.solve(cost.data(), n);
    std::vector<int> sigma = solver.row_to_column();
    std::vector<int> sorted = sigma;
    std::sort(sorted.begin(), sorted.end());
    for (int i = 0; i < n; ++i) ASSERT_EQ(sorted[i], i) << "not a permutation";
    double check = 0.0;
    for (int i = 0; i < n; ++i) check += cost[i * n + sigma[i]];
    EXPECT_EQ(got, check);
    std::vector<int> p(static_cast<std::size_t>(n));
    std::iota(p.begin(), p.end(), 0);
    double best = 1e300;
    do {
      double total = 0.0;
      for (int i = 0; i < n; ++i) total += cost[i * n + p[i]];
      best = std::min(best, total);
    } while (std::next_permutation(p.begin(), p.end()));
    EXPECT_NEAR(got, best, 1e-9 * std::max(1.0, best)) << "n = " << n;
  }
}

}  // namespace
}  // namespace torus::crystal
