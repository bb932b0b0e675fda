// Element table, formulas and densities on hand-made crystals (pymatgen comparisons over the
// data sets are in tests/python/test_crystal.py). Serial checks, repeated on every rank.
#include <gtest/gtest.h>

#include <cmath>

#include "support.hpp"
#include "torus/core/error.hpp"
#include "torus/crystal/composition.hpp"
#include "torus/crystal/elements.hpp"
#include "torus/crystal/validate.hpp"

namespace torus::crystal {
namespace {

Crystal cubic(double a, std::vector<int> numbers) {
  std::vector<Vec3> f;
  for (std::size_t i = 0; i < numbers.size(); ++i) f.push_back({0.1 * i, 0.05 * i, 0.02 * i});
  return make_crystal(lattice_from_parameters({a, a, a, 90, 90, 90}), f, numbers);
}

TEST(Elements, TableIsCompleteAndConsistent) {
  for (int z = 1; z <= max_atomic_number; ++z) {
    const ElementData& e = element(z);
    EXPECT_EQ(e.z, z);
    EXPECT_EQ(atomic_number(e.symbol), z);
    EXPECT_GT(e.mass, z) << e.symbol;  // every nucleus past H-1 has neutrons
  }
  // Masses increase with Z except at the four classic inversions (Ar/K, Co/Ni, Te/I, Th/Pa, U/Np
  // by the mass numbers used for Np, Pu ...): count the inversions instead of hard-coding them.
  int inversions = 0;
  for (int z = 2; z <= max_atomic_number; ++z) inversions += element(z).mass < element(z - 1).mass;
  EXPECT_LE(inversions, 6);
  EXPECT_TRUE(std::isnan(element(2).electronegativity));
  EXPECT_FALSE(std::isnan(element(8).electronegativity));
  EXPECT_TRUE(element(26).metal);
  EXPECT_FALSE(element(14).metal);
  EXPECT_EQ(find_atomic_number("FE"), 26);
  EXPECT_EQ(find_atomic_number("Xx"), std::nullopt);
  EXPECT_THROW(element(0), Error);
  EXPECT_THROW(element(101), Error);
  EXPECT_THROW(atomic_number("Qq"), Error);
}

TEST(Composition, FormulasFollowElectronegativity) {
  const Crystal srtio3 = cubic(3.905, {38, 22, 8, 8, 8});
  EXPECT_EQ(formula(srtio3), "Sr1 Ti1 O3");
  EXPECT_EQ(reduced_formula(srtio3), "SrTiO3");
  // Order of appearance does not matter; electronegativity does.
  EXPECT_EQ(reduced_formula(cubic(4, {8, 8, 22, 8, 38})), "SrTiO3");
  EXPECT_EQ(reduced_formula(cubic(4, {6, 6, 6, 6})), "C");
  EXPECT_EQ(reduced_formula(cubic(4, {8, 8})), "O2");
  EXPECT_EQ(reduced_formula(cubic(4, {11, 8})), "Na2O2");
  EXPECT_EQ(reduced_formula(cubic(6, {11, 11, 17, 17})), "NaCl");
  EXPECT_EQ(formula(cubic(6, {11, 11, 17, 17})), "Na2 Cl2");
  // Ca3(PO4)2: P and O differ by 1.25 < 1.65 and their group PO4 appears twice.
  EXPECT_EQ(reduced_formula(cubic(9, {20, 20, 20, 15, 15, 8, 8, 8, 8, 8, 8, 8, 8})), "Ca3(PO4)2");
}

TEST(Composition, DensityIsMassOverVolume) {
  const Crystal nacl = testing::rock_salt();
  const double mass = 4 * (element(11).mass + element(17).mass);  // u
  const double v = 5.64 * 5.64 * 5.64;                            // Å³
  // 1 u/Å³ = 1.66053906660 g/cm³
  EXPECT_NEAR(density(nacl), mass / v * 1.66053906660, 1e-12);
  EXPECT_NEAR(density(nacl), 2.165, 0.01);  // handbook density of halite
}

}  // namespace
}  // namespace torus::crystal
