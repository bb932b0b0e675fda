// CSP metrics (match rate, RMSE) on identical, displaced and invalid pairs, and the tally that
// adds over ranks: each rank evaluates its share and the all-reduced tally must give the serial
// metrics.
#include <gtest/gtest.h>
#include <mpi.h>

#include <cmath>
#include <random>

#include "support.hpp"
#include "torus/core/error.hpp"
#include "torus/core/runtime.hpp"
#include "torus/crystal/csp_metrics.hpp"
#include "torus/crystal/lattice.hpp"

namespace torus::crystal {
namespace {

// Cubic SrTiO3, a = 3.905 Å: Sr at the corner, Ti at the centre, O on the face centres.
Crystal strontium_titanate() {
  Crystal c;
  c.lattice = lattice_from_parameters({3.905, 3.905, 3.905, 90, 90, 90});
  c.frac_coords = {{0, 0, 0}, {0.5, 0.5, 0.5}, {0.5, 0.5, 0}, {0.5, 0, 0.5}, {0, 0.5, 0.5}};
  c.numbers = {38, 22, 8, 8, 8};
  return c;
}

// A few different valid crystals: perovskites with other cations and lattice constants, salt.
std::vector<Crystal> references() {
  std::vector<Crystal> out{testing::rock_salt()};
  const int a_sites[] = {38, 56, 20, 38, 56, 20};
  const int b_sites[] = {22, 22, 22, 40, 40, 40};
  for (int k = 0; k < 6; ++k) {
    Crystal c = strontium_titanate();
    c.numbers[0] = a_sites[k];
    c.numbers[1] = b_sites[k];
    c.lattice =
        lattice_from_parameters({3.8 + 0.05 * k, 3.8 + 0.05 * k, 3.8 + 0.05 * k, 90, 90, 90});
    out.push_back(c);
  }
  return out;
}

TEST(CspMetrics, IdenticalSetsMatchWithZeroRmse) {
  const auto ref = references();
  const auto m = metrics_csp(ref, ref);
  EXPECT_EQ(m.pairs, static_cast<std::int64_t>(ref.size()));
  EXPECT_EQ(m.valid, m.pairs);
  EXPECT_EQ(m.match_rate, 1.0);
  EXPECT_LT(m.rmse, 1e-10);
}

TEST(CspMetrics, OneDisplacedAtomGivesTheHandComputedRms) {
  // Moving one of N atoms by delta and removing the mean shift leaves displacements
  // delta (1 - 1/N) once and delta / N (N - 1) times: RMS = delta sqrt(N - 1) / N, divided by
  // the length (V/N)^(1/3).
  const Crystal ref = strontium_titanate();
  Crystal gen = ref;
  const double delta = 0.1;
  gen.frac_coords[1][0] += delta / 3.905;
  const double expected = delta * std::sqrt(4.0) / 5.0 / std::cbrt(3.905 * 3.905 * 3.905 / 5);
  const auto m = metrics_csp({gen}, {ref});
  EXPECT_EQ(m.match_rate, 1.0);
  EXPECT_NEAR(m.rmse, expected, 1e-9);
}

TEST(CspMetrics, PerturbedAndInvalidPairs) {
  const auto ref = references();
  std::mt19937 rng(3);
  std::normal_distribution<double> noise(0.0, 0.01);
  std::vector<Crystal> gen = ref;
  for (auto& c : gen) {
    for (auto& f : c.frac_coords) {
      for (double& x : f) x = wrap_fractional(x + noise(rng));
    }
  }
  // Pair 0: two atoms 0.3 Å apart (structurally invalid). Pair 1: a different crystal.
  gen[0].frac_coords[1] = gen[0].frac_coords[0];
  gen[0].frac_coords[1][0] = wrap_fractional(gen[0].frac_coords[0][0] + 0.3 / 5.64);
  gen[1] = testing::rock_salt();
  const auto m = metrics_csp(gen, ref);
  EXPECT_EQ(m.pairs, 7);
  EXPECT_EQ(m.valid, 6);
  EXPECT_EQ(m.matched, 5);
  EXPECT_NEAR(m.match_rate, 5.0 / 7.0, 1e-15);
  EXPECT_GT(m.rmse, 1e-4);
  EXPECT_LT(m.rmse, 0.1);
}

TEST(CspMetrics, UnequalSetsThrow) {
  const auto ref = references();
  EXPECT_THROW(metrics_csp({ref[0]}, ref), Error);
  EXPECT_THROW(CspTally{}.metrics(), Error);
}

TEST(CspMetrics, TalliesAddOverRanks) {
  const auto ref = references();
  std::vector<Crystal> gen = ref;
  std::mt19937 rng(11);
  std::normal_distribution<double> noise(0.0, 0.02);
  for (auto& c : gen) {
    for (auto& f : c.frac_coords)
      for (double& x : f) x = wrap_fractional(x + noise(rng));
  }
  const auto serial = metrics_csp(gen, ref);

  const Runtime& rt = Runtime::current();
  const std::int64_t n = static_cast<std::int64_t>(ref.size());
  const StructureMatcher matcher(csp_matcher_options());
  CspTally local;
  for (std::int64_t i = n * rt.rank() / rt.size(); i < n * (rt.rank() + 1) / rt.size(); ++i) {
    local.add(gen[i], ref[i], matcher);
  }
  std::int64_t counts[3] = {local.pairs, local.valid, local.matched}, sums[3];
  double rms_sum = 0.0;
  MPI_Allreduce(counts, sums, 3, MPI_INT64_T, MPI_SUM, rt.comm());
  MPI_Allreduce(&local.rms_sum, &rms_sum, 1, MPI_DOUBLE, MPI_SUM, rt.comm());
  const auto reduced = CspTally{sums[0], sums[1], sums[2], rms_sum}.metrics();
  EXPECT_EQ(reduced.pairs, serial.pairs);
  EXPECT_EQ(reduced.matched, serial.matched);
  EXPECT_NEAR(reduced.rmse, serial.rmse, 1e-14);
}

}  // namespace
}  // namespace torus::crystal
