// Lattices from parameters and back, volumes, coordinates and the validation of crystals.
// Every rank runs the same serial checks (nothing here is distributed).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "support.hpp"
#include "torus/core/error.hpp"
#include "torus/crystal/lattice.hpp"
#include "torus/crystal/validate.hpp"

namespace torus::crystal {
namespace {

constexpr double rad = M_PI / 180.0;

// V = abc sqrt(1 - cos²α - cos²β - cos²γ + 2 cosα cosβ cosγ), independent of orientation.
double volume_of(const LatticeParameters& p) {
  const double ca = std::cos(p.alpha * rad), cb = std::cos(p.beta * rad),
               cg = std::cos(p.gamma * rad);
  return p.a * p.b * p.c * std::sqrt(1 - ca * ca - cb * cb - cg * cg + 2 * ca * cb * cg);
}

TEST(Lattice, ParametersRoundTripOverTriclinicCells) {
  const LatticeParameters cells[] = {{3.9, 3.9, 3.9, 90, 90, 90},
                                     {2.46, 2.46, 6.7, 90, 90, 120},
                                     {2.48442, 3.82397, 5.98106, 120.34611, 78.0482, 108.96027},
                                     {5.1, 7.3, 4.2, 71.0, 95.5, 101.25}};
  for (const auto& p : cells) {
    const Lattice l = lattice_from_parameters(p);
    const LatticeParameters q = lattice_parameters(l);
    EXPECT_NEAR(q.a, p.a, 1e-12);
    EXPECT_NEAR(q.b, p.b, 1e-12);
    EXPECT_NEAR(q.c, p.c, 1e-12);
    EXPECT_NEAR(q.alpha, p.alpha, 1e-10);
    EXPECT_NEAR(q.beta, p.beta, 1e-10);
    EXPECT_NEAR(q.gamma, p.gamma, 1e-10);
    EXPECT_NEAR(volume(l), volume_of(p), 1e-10 * volume_of(p));
    EXPECT_GT(determinant(l), 0.0) << "right-handed";
    // pymatgen's orientation: c along z, a in the xz plane.
    EXPECT_EQ(l[2][0], 0.0);
    EXPECT_EQ(l[2][1], 0.0);
    EXPECT_EQ(l[0][1], 0.0);
  }
}

TEST(Lattice, CartesianAndFractionalAreInverse) {
  const Lattice l = lattice_from_parameters({5.1, 7.3, 4.2, 71.0, 95.5, 101.25});
  const Vec3 f{0.1, 0.75, 0.33};
  const Vec3 r = to_cartesian(l, f);
  // r = f0 a + f1 b + f2 c
  for (int j = 0; j < 3; ++j) {
    EXPECT_NEAR(r[j], f[0] * l[0][j] + f[1] * l[1][j] + f[2] * l[2][j], 1e-14);
  }
  const Vec3 g = to_fractional(l, r);
  for (int j = 0; j < 3; ++j) EXPECT_NEAR(g[j], f[j], 1e-13);
}

TEST(Lattice, WrapIsIntoHalfOpenUnitInterval) {
  EXPECT_EQ(wrap_fractional(1.0), 0.0);
  EXPECT_EQ(wrap_fractional(0.0), 0.0);
  EXPECT_EQ(wrap_fractional(-1e-17), 0.0);  // 1 - 1e-17 rounds to 1.0
  EXPECT_NEAR(wrap_fractional(-0.25), 0.75, 1e-15);
  EXPECT_NEAR(wrap_fractional(2.5), 0.5, 1e-15);
  EXPECT_LT(wrap_fractional(-1e-12), 1.0);
}

TEST(Lattice, MinimumImageDistanceCrossesTheBoundary) {
  const Lattice l = lattice_from_parameters({4, 4, 4, 90, 90, 90});
  EXPECT_NEAR(minimum_image_distance(l, {0.95, 0, 0}), 0.2, 1e-12);
  EXPECT_NEAR(minimum_image_distance(l, {0.5, 0.5, 0}), std::sqrt(8.0), 1e-12);
}

TEST(Lattice, BadParametersAreErrors) {
  EXPECT_THROW(lattice_from_parameters({0, 1, 1, 90, 90, 90}), Error);
  EXPECT_THROW(lattice_from_parameters({1, 1, std::nan(""), 90, 90, 90}), Error);
  EXPECT_THROW(lattice_from_parameters({1, 1, 1, 90, 90, 180}), Error);
  // alpha = beta + gamma makes a flat cell.
  EXPECT_THROW(lattice_from_parameters({1, 1, 1, 120, 60, 60}), Error);
}

TEST(Validate, RefusesBrokenCrystalsNamingTheProblem) {
  const Crystal good = testing::rock_salt();
  EXPECT_NO_THROW(validate(good));

  auto message = [](const Crystal& c) {
    try {
      validate(c, "test crystal");
    } catch (const Error& e) {
      EXPECT_EQ(e.input(), "test crystal");
      return e.problem();
    }
    return std::string("no error");
  };
  Crystal nan_coord = good;
  nan_coord.frac_coords[3][1] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_NE(message(nan_coord).find("non-finite coordinate"), std::string::npos);

  Crystal nan_lattice = good;
  nan_lattice.lattice[1][1] = std::numeric_limits<double>::infinity();
  EXPECT_NE(message(nan_lattice).find("non-finite"), std::string::npos);

  Crystal singular = good;
  singular.lattice[2] = singular.lattice[0];
  EXPECT_NE(message(singular).find("singular"), std::string::npos);

  Crystal z0 = good, z101 = good;
  z0.numbers[0] = 0;
  z101.numbers[5] = 101;
  EXPECT_NE(message(z0).find("atomic number 0"), std::string::npos);
  EXPECT_NE(message(z101).find("atomic number 101"), std::string::npos);

  Crystal empty = good;
  empty.numbers.clear();
  empty.frac_coords.clear();
  EXPECT_NE(message(empty).find("no atoms"), std::string::npos);

  Crystal ragged = good;
  ragged.numbers.pop_back();
  EXPECT_NE(message(ragged).find("coordinates but"), std::string::npos);
}

TEST(Validate, MakeCrystalWraps) {
  const Crystal c =
      make_crystal(lattice_from_parameters({3, 3, 3, 90, 90, 90}), {{1.25, -0.5, 3.0}}, {8});
  EXPECT_NEAR(c.frac_coords[0][0], 0.25, 1e-15);
  EXPECT_NEAR(c.frac_coords[0][1], 0.5, 1e-15);
  EXPECT_EQ(c.frac_coords[0][2], 0.0);
}

}  // namespace
}  // namespace torus::crystal
