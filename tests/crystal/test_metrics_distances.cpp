// Wasserstein distance, fingerprints and coverage against hand-computed answers. Serial checks,
// repeated on every rank.
#include <gtest/gtest.h>

#include <cmath>

#include "support.hpp"
#include "torus/core/error.hpp"
#include "torus/crystal/composition.hpp"
#include "torus/crystal/coverage.hpp"
#include "torus/crystal/fingerprints.hpp"
#include "torus/crystal/generation_metrics.hpp"
#include "torus/crystal/lattice.hpp"
#include "torus/crystal/wasserstein.hpp"

namespace torus::crystal {
namespace {

TEST(Wasserstein, HandComputedExamples) {
  // A shift moves every unit of mass by 5.
  EXPECT_NEAR(wasserstein_distance({0, 1, 3}, {5, 6, 8}), 5.0, 1e-14);
  // u = {1, 2, 3}, v = {1, 1, 4}: |F_u - F_v| is 1/3 on [1, 2), 0 on [2, 3), 1/3 on [3, 4).
  EXPECT_NEAR(wasserstein_distance({1, 2, 3}, {1, 1, 4}), 2.0 / 3.0, 1e-14);
  EXPECT_NEAR(wasserstein_distance({1, 1, 4}, {3, 2, 1}), 2.0 / 3.0, 1e-14);
  // Different sizes: F_u = 1/2, F_v = 2/3 on [0, 1).
  EXPECT_NEAR(wasserstein_distance({0, 1}, {0, 0, 1}), 1.0 / 6.0, 1e-14);
  EXPECT_EQ(wasserstein_distance({2, 2, 7}, {7, 2, 2}), 0.0);
}

TEST(Wasserstein, BadSamplesThrow) {
  EXPECT_THROW(wasserstein_distance({}, {1.0}), Error);
  EXPECT_THROW(wasserstein_distance({1.0, NAN}, {1.0}), Error);
}

TEST(Fingerprints, PeriodsAndGroups) {
  const int cases[][3] = {{1, 1, 1},   {2, 1, 18}, {3, 2, 1},   {9, 2, 17}, {11, 3, 1},
                          {17, 3, 17}, {26, 4, 8}, {36, 4, 18}, {38, 5, 2}, {57, 6, 3},
                          {71, 6, 3},  {72, 6, 4}, {86, 6, 18}, {92, 7, 3}, {100, 7, 3}};
  for (const auto& [z, period, group] : cases) {
    EXPECT_EQ(element_period(z), period) << z;
    EXPECT_EQ(element_group(z), group) << z;
  }
}

TEST(Fingerprints, CompositionStatistics) {
  const auto nacl = composition_fingerprint({11, 17});
  ASSERT_EQ(nacl.size(), 25u);
  // Z: mean 14, min 11, max 17, range 6, mean deviation 3, all over the same scale.
  EXPECT_NEAR(nacl[0] / nacl[2], 14.0 / 17.0, 1e-14);
  EXPECT_NEAR(nacl[1] / nacl[2], 11.0 / 17.0, 1e-14);
  EXPECT_NEAR(nacl[3] / nacl[2], 6.0 / 17.0, 1e-14);
  EXPECT_NEAR(nacl[4] / nacl[2], 3.0 / 17.0, 1e-14);
  // Only fractions matter.
  EXPECT_EQ(composition_fingerprint({17, 11, 11, 17}), nacl);
  // One element: no range, no deviation.
  const auto carbon = composition_fingerprint({6, 6, 6});
  for (int p = 0; p < 5; ++p) {
    EXPECT_EQ(carbon[5 * p + 3], 0.0);
    EXPECT_EQ(carbon[5 * p + 4], 0.0);
  }
  EXPECT_GT(euclidean_distance(nacl, composition_fingerprint({11, 9})), 0.1);
}

TEST(Fingerprints, StructureFingerprintIsScaleFreeAndSeesStructure) {
  const Crystal salt = testing::rock_salt();
  const auto g = structure_fingerprint(salt);
  ASSERT_EQ(g.size(), 60u);
  Crystal bigger = salt;
  for (auto& row : bigger.lattice)
    for (double& x : row) x *= 1.1;
  EXPECT_LT(structure_fingerprint_distance(g, structure_fingerprint(bigger)), 1e-12);
  // Element-blind, rock salt is simple cubic of spacing a/2: in reduced distance the one-atom
  // cubic cell has the same fingerprint, whatever its size.
  Crystal cubic;
  cubic.lattice = lattice_from_parameters({3, 3, 3, 90, 90, 90});
  cubic.frac_coords = {{0.5, 0.5, 0.5}};
  cubic.numbers = {11};
  EXPECT_LT(structure_fingerprint_distance(g, structure_fingerprint(cubic)), 1e-9);
  // Face-centred cubic (nearest neighbours at s = 4^(1/3) / sqrt(2) = 1.12 instead of 1)
  // differs clearly.
  Crystal fcc = salt;
  fcc.frac_coords.resize(4);
  fcc.numbers.resize(4);
  EXPECT_GT(structure_fingerprint_distance(g, structure_fingerprint(fcc)), 0.5);
}

Fingerprints toy(double s, double c) { return {{s}, {c}}; }

TEST(Coverage, ToySetWithKnownAnswer) {
  const std::vector<Fingerprints> reference{toy(0, 0), toy(10, 10), toy(20, 20)};
  // g0 covers r0; g1 has r1's structure but a far composition; g2 and g3 have r2's composition
  // and r2's structure respectively: CDVAE takes the two nearest distances independently, so r2
  // counts as covered although no single crystal is near it in both.
  const std::vector<Fingerprints> generated{toy(0.01, 0.01), toy(10, 50), toy(100, 20),
                                            toy(20, 100)};
  const auto cov = coverage(generated, 5, reference, {1.0, 1.0});
  EXPECT_NEAR(cov.recall, 2.0 / 3.0, 1e-15);
  EXPECT_NEAR(cov.precision, 1.0 / 5.0, 1e-15);
  const auto wide = coverage(generated, 4, reference, {100.0, 100.0});
  EXPECT_EQ(wide.recall, 1.0);
  EXPECT_EQ(wide.precision, 1.0);
  EXPECT_THROW(coverage(generated, 3, reference), Error);
  EXPECT_THROW(coverage(generated, 4, {}), Error);
}

TEST(GenerationMetrics, CopiesOfTheReferenceAndAnInvalidCrystal) {
  const Crystal salt = testing::rock_salt();
  Crystal close;
  close.lattice = lattice_from_parameters({4, 4, 4, 90, 90, 90});
  close.frac_coords = {{0, 0, 0}, {0.05, 0, 0}};
  close.numbers = {11, 17};
  const auto same = metrics_gen({salt, salt}, {salt});
  EXPECT_EQ(same.validity, 1.0);
  EXPECT_EQ(same.cov_recall, 1.0);
  EXPECT_EQ(same.cov_precision, 1.0);
  EXPECT_EQ(same.emd_density, 0.0);
  EXPECT_EQ(same.emd_elements, 0.0);

  const auto mixed = metrics_gen({salt, close}, {salt});
  EXPECT_EQ(mixed.struct_validity, 0.5);
  EXPECT_EQ(mixed.comp_validity, 1.0);
  EXPECT_EQ(mixed.valid, 1);
  EXPECT_EQ(mixed.cov_recall, 1.0);
  EXPECT_EQ(mixed.cov_precision, 0.5);  // the invalid crystal counts in the denominator

  // Densities: the reference twice as dense as the generated salt.
  Crystal dense = salt;
  const double shrink = std::cbrt(0.5);
  for (auto& row : dense.lattice)
    for (double& x : row) x *= shrink;
  const auto shifted = metrics_gen({salt}, {dense});
  // One value each: W1 is the difference of the densities, 2 rho - rho.
  EXPECT_NEAR(shifted.emd_density, density(salt), 1e-9);
  EXPECT_EQ(shifted.emd_elements, 0.0);
}

}  // namespace
}  // namespace torus::crystal
