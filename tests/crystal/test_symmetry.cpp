// spglib through torus on rock salt: space group, Wyckoff letters, orbits, standard cells,
// Niggli reduction, the operations of a Hall setting, and failures. (Agreement with spglib's
// Python bindings over the data sets is in tests/python/test_crystal_symmetry.py.) Serial
// checks, repeated on every rank.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "support.hpp"
#include "torus/core/error.hpp"
#include "torus/crystal/lattice.hpp"
#include "torus/crystal/symmetry.hpp"

namespace torus::crystal {
namespace {

TEST(Symmetry, RockSaltIsFm3m) {
  const SpaceGroup g = space_group(testing::rock_salt(), {0.01});
  EXPECT_EQ(g.number, 225);
  EXPECT_EQ(g.international, "Fm-3m");
  // Na on 4a, Cl on 4b; one orbit per element.
  EXPECT_EQ(g.wyckoffs[0], "a");
  EXPECT_EQ(g.wyckoffs[4], "b");
  EXPECT_EQ(g.equivalent_atoms, (std::vector<int>{0, 0, 0, 0, 4, 4, 4, 4}));
  // 48 point operations x 4 centrings in the conventional cell.
  EXPECT_EQ(g.operations.rotations.size(), 192u);
  EXPECT_EQ(operations_of_hall(g.hall_number).rotations.size(), 192u);
}

TEST(Symmetry, PrimitiveStandardAndRefinedCells) {
  Crystal noisy = testing::rock_salt();
  noisy.frac_coords[1][0] += 0.003;  // 0.017 Å off its site
  const Crystal p = primitive(noisy, {0.1});
  EXPECT_EQ(p.size(), 2);
  EXPECT_NEAR(volume(p.lattice), volume(noisy.lattice) / 4, 1e-6);
  const Crystal s = standardize(noisy, {0.1});
  EXPECT_EQ(s.size(), 8);
  const Crystal r = refine(noisy, {0.1});
  EXPECT_EQ(r.size(), 8);
  // The refined cell is exact: every coordinate a multiple of 1/2.
  for (const auto& f : r.frac_coords) {
    for (double x : f) EXPECT_NEAR(x * 2, std::round(x * 2), 1e-12);
  }
  // At a tight tolerance the displaced atom breaks the symmetry.
  EXPECT_NE(space_group(noisy, {1e-4}).number, 225);
}

TEST(Symmetry, NiggliReductionOfASkewedBasis) {
  // b' = b + 2a and c' = c - a span the same cubic lattice; the reduced cell is the cube.
  const Lattice cube = lattice_from_parameters({4, 4, 4, 90, 90, 90});
  Lattice skew = cube;
  for (int j = 0; j < 3; ++j) {
    skew[1][j] += 2 * cube[0][j];
    skew[2][j] -= cube[0][j];
  }
  const Lattice reduced = niggli_reduce(skew);
  const LatticeParameters p = lattice_parameters(reduced);
  EXPECT_NEAR(p.a, 4, 1e-9);
  EXPECT_NEAR(p.b, 4, 1e-9);
  EXPECT_NEAR(p.c, 4, 1e-9);
  EXPECT_NEAR(p.alpha, 90, 1e-7);
  EXPECT_NEAR(volume(reduced), 64, 1e-9);
}

TEST(Symmetry, FailuresCarrySpglibsMessage) {
  Crystal close = testing::rock_salt();
  close.frac_coords[1] = {0.001, 0.0, 0.0};  // 0.006 Å from atom 0
  try {
    space_group(close, {0.1});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(e.problem().find("spglib"), std::string::npos) << e.what();
  }
  EXPECT_THROW(operations_of_hall(0), Error);
  EXPECT_THROW(operations_of_hall(531), Error);
  EXPECT_EQ(operations_of_hall(1).rotations.size(), 1u);  // P1
}

TEST(Symmetry, VersionIsKnownAtRunTime) { EXPECT_GE(std::stoi(spglib_version()), 1); }

}  // namespace
}  // namespace torus::crystal
