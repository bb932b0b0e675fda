// Structural and compositional validity on hand-checked crystals and compositions. Serial checks,
// repeated on every rank.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>

#include "support.hpp"
#include "torus/core/error.hpp"
#include "torus/crystal/compositional_validity.hpp"
#include "torus/crystal/elements.hpp"
#include "torus/crystal/lattice.hpp"
#include "torus/crystal/structural_validity.hpp"

namespace torus::crystal {
namespace {

// Brute-force minimum over i != j and n in [-r, r]^3: the reference the image search must meet.
double brute_force_shortest(const Crystal& c, int r) {
  double best = std::numeric_limits<double>::infinity();
  for (int i = 0; i < c.size(); ++i) {
    for (int j = 0; j < c.size(); ++j) {
      if (i == j) continue;
      for (int a = -r; a <= r; ++a)
        for (int b = -r; b <= r; ++b)
          for (int e = -r; e <= r; ++e) {
            Vec3 d{};
            for (int k = 0; k < 3; ++k) d[k] = c.frac_coords[j][k] - c.frac_coords[i][k];
            const Vec3 x = to_cartesian(c.lattice, {d[0] + a, d[1] + b, d[2] + e});
            best = std::min(best, std::sqrt(x[0] * x[0] + x[1] * x[1] + x[2] * x[2]));
          }
    }
  }
  return best;
}

TEST(CompositionalValidity, HandCheckedCompositions) {
  // Na+ Cl-: neutral, Na (0.93) below Cl (3.16).
  EXPECT_TRUE(compositional_validity({11, 17}));
  // NaCl2: +1 + 2q = 0 has no solution among Cl's -1, 1, 3, 5, 7.
  EXPECT_FALSE(compositional_validity({11, 17, 17}));
  // Fe3Al: all metals, an alloy.
  EXPECT_TRUE(compositional_validity({26, 26, 26, 13}));
  // SrTiO3: 2 + 4 - 3 * 2 = 0.
  EXPECT_TRUE(compositional_validity({38, 22, 8, 8, 8}));
  // CO2: C+4 and two O-2, C (2.55) below O (3.44).
  EXPECT_TRUE(compositional_validity({6, 8, 8}));
  // A single element, however many atoms.
  EXPECT_TRUE(compositional_validity({6, 6, 6, 6}));
  // AuH3: Au+3 with H-1 is neutral but Au (2.54) is more electronegative than H (2.20): fails
  // Pauling's test, and H+1 cannot balance any of Au's states (the only anion state, -1, gives
  // -1 + 3 = +2).
  EXPECT_FALSE(compositional_validity({79, 1, 1, 1}));
  // XeF2: xenon has no oxidation state in either of pymatgen's lists.
  EXPECT_FALSE(compositional_validity({54, 9, 9}));
}

TEST(CompositionalValidity, AllStatesAreTheDefault) {
  const CompositionalValidityOptions common{OxidationStates::common};
  const CompositionalValidityOptions all{OxidationStates::all};
  // TiO: Ti+2 O-2 is neutral, but titanium's only common state is +4 (4 - 2 != 0).
  EXPECT_TRUE(compositional_validity({22, 8}));
  EXPECT_TRUE(compositional_validity({22, 8}, all));
  EXPECT_FALSE(compositional_validity({22, 8}, common));
  // VO2: V+4, not among vanadium's common states (+5 only: 5 - 4 != 0).
  EXPECT_TRUE(compositional_validity({23, 8, 8}));
  EXPECT_FALSE(compositional_validity({23, 8, 8}, common));
  // N2O: 2 q_N = 2 needs N+1 (N 3.04 below O 3.44); nitrogen's common states are -3, 3, 5.
  EXPECT_TRUE(compositional_validity({7, 7, 8}));
  EXPECT_FALSE(compositional_validity({7, 7, 8}, common));
  // KSrON2 (a Perov-5 oxynitride): 1 + 2 + q_O + 2 q_N = 0 has O-1 N-1 among all states; with
  // the common ones (O-2; N-3, 3, 5) 2 q_N = -1 has no solution.
  EXPECT_TRUE(compositional_validity({19, 38, 8, 7, 7}));
  EXPECT_FALSE(compositional_validity({19, 38, 8, 7, 7}, common));
  // Fe3O4 is mixed-valent: one state per element needs 3 q_Fe = 8, in neither list.
  EXPECT_FALSE(compositional_validity({26, 26, 26, 8, 8, 8, 8}));
  EXPECT_FALSE(compositional_validity({26, 26, 26, 8, 8, 8, 8}, common));
  // SrTiO3 uses common states only, so it is valid both ways.
  EXPECT_TRUE(compositional_validity({38, 22, 8, 8, 8}, common));
}

TEST(CompositionalValidity, CommonStatesAreASubsetOfAllStates) {
  for (int z = 1; z <= max_atomic_number; ++z) {
    const auto& e = element(z);
    EXPECT_TRUE(std::is_sorted(e.all_oxidation_states.begin(), e.all_oxidation_states.end()))
        << e.symbol;
    for (int q : e.oxidation_states) {
      EXPECT_NE(std::find(e.all_oxidation_states.begin(), e.all_oxidation_states.end(), q),
                e.all_oxidation_states.end())
          << e.symbol << " " << q;
    }
  }
  // Hence a composition valid with the common states is valid with all of them; random
  // compositions also show the converse failing.
  std::mt19937 rng(17);
  std::uniform_int_distribution<int> pick_z(1, 83), pick_n(1, 4), pick_k(2, 4);
  int only_all = 0;
  for (int trial = 0; trial < 2000; ++trial) {
    std::vector<int> numbers;
    const int k = pick_k(rng);
    for (int i = 0; i < k; ++i) numbers.insert(numbers.end(), pick_n(rng), pick_z(rng));
    const bool with_common = compositional_validity(numbers, {OxidationStates::common});
    const bool with_all = compositional_validity(numbers, {OxidationStates::all});
    EXPECT_TRUE(!with_common || with_all);
    only_all += with_all && !with_common;
  }
  EXPECT_GT(only_all, 0);
}

TEST(CompositionalValidity, OxidationStateNames) {
  EXPECT_EQ(parse_oxidation_states("all", "test"), OxidationStates::all);
  EXPECT_EQ(parse_oxidation_states("common", "test"), OxidationStates::common);
  EXPECT_STREQ(to_string(OxidationStates::all), "all");
  EXPECT_STREQ(to_string(OxidationStates::common), "common");
  EXPECT_THROW(parse_oxidation_states("full", "test"), Error);
}

TEST(CompositionalValidity, CountsAreReducedAndOrderDoesNotMatter) {
  EXPECT_TRUE(compositional_validity({17, 11, 17, 11}));
  EXPECT_TRUE(compositional_validity({8, 8, 8, 38, 22, 8, 8, 8, 38, 22}));
  EXPECT_FALSE(compositional_validity({17, 11, 17, 17, 11, 17}));
}

TEST(CompositionalValidity, BadInputThrows) {
  EXPECT_THROW(compositional_validity(std::vector<int>{}), Error);
  EXPECT_THROW(compositional_validity({11, 0}), Error);
  EXPECT_THROW(compositional_validity({11, 101}), Error);
}

TEST(StructuralValidity, RockSaltIsValid) {
  const Crystal c = testing::rock_salt();
  EXPECT_TRUE(structural_validity(c));
  EXPECT_NEAR(shortest_distance(c, 5.0), 5.64 / 2, 1e-12);
}

TEST(StructuralValidity, TwoAtomsTooCloseInsideTheCell) {
  Crystal c;
  c.lattice = lattice_from_parameters({4, 4, 4, 90, 90, 90});
  c.frac_coords = {{0.5, 0.5, 0.5}, {0.5 + 0.3 / 4, 0.5, 0.5}};
  c.numbers = {6, 6};
  EXPECT_NEAR(shortest_distance(c, 1.0), 0.3, 1e-12);
  EXPECT_FALSE(structural_validity(c));
  c.frac_coords[1][0] = 0.5 + 0.6 / 4;
  EXPECT_TRUE(structural_validity(c));
}

TEST(StructuralValidity, TwoAtomsTooCloseAcrossTheBoundaryOfASkewedCell) {
  Crystal c;
  c.lattice = lattice_from_parameters({5.0, 6.0, 7.0, 50, 60, 70});
  const Vec3 f0{0.01, 0.02, 0.015};
  // A Cartesian step of 0.3 Å pointing out of the cell through the corner at the origin: the
  // second atom lands near (1, 1, 1) after wrapping, far from the first in fractional terms.
  const double s = 0.3 / std::sqrt(3.0);
  const Vec3 step = to_fractional(c.lattice, {-s, -s, -s});
  const Vec3 f1 = wrap_fractional(Vec3{f0[0] + step[0], f0[1] + step[1], f0[2] + step[2]});
  c.frac_coords = {f0, f1};
  c.numbers = {8, 8};
  EXPECT_GT(f1[0] + f1[1] + f1[2], 1.5);  // the partner really sits across the boundary
  EXPECT_NEAR(shortest_distance(c, 2.0), 0.3, 1e-9);
  EXPECT_FALSE(structural_validity(c));
}

TEST(StructuralValidity, ImageSearchMatchesBruteForceOnSkewedCells) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  for (int trial = 0; trial < 20; ++trial) {
    Crystal c;
    c.lattice = lattice_from_parameters({2 + 4 * u(rng), 2 + 4 * u(rng), 2 + 4 * u(rng),
                                         45 + 40 * u(rng), 50 + 40 * u(rng), 55 + 40 * u(rng)});
    for (int a = 0; a < 4; ++a) {
      c.frac_coords.push_back({u(rng), u(rng), u(rng)});
      c.numbers.push_back(6);
    }
    const double expected = brute_force_shortest(c, 4);
    EXPECT_NEAR(shortest_distance(c, expected + 0.1), expected, 1e-12) << "trial " << trial;
    EXPECT_EQ(structural_validity(c), expected >= 0.5) << "trial " << trial;
  }
}

TEST(StructuralValidity, VolumeAndSelfImages) {
  Crystal c;
  // One atom in a 0.6 Å cube: its own images are 0.6 Å away and do not count (pymatgen's
  // distance matrix has no self-image entries), the volume 0.216 Å³ passes.
  c.lattice = lattice_from_parameters({0.6, 0.6, 0.6, 90, 90, 90});
  c.frac_coords = {{0, 0, 0}};
  c.numbers = {6};
  EXPECT_TRUE(structural_validity(c));
  // The same in a 0.4 Å cube: volume 0.064 Å³ < 0.1.
  c.lattice = lattice_from_parameters({0.4, 0.4, 0.4, 90, 90, 90});
  EXPECT_FALSE(structural_validity(c));
  // A singular cell is invalid, not an error.
  c.lattice = {{{1, 0, 0}, {2, 0, 0}, {0, 0, 1}}};
  EXPECT_FALSE(structural_validity(c));
  c.numbers.push_back(6);
  EXPECT_THROW(structural_validity(c), Error);  // mismatched arrays
}

}  // namespace
}  // namespace torus::crystal
