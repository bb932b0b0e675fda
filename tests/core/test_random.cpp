#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "torus/core/random.hpp"

namespace torus {
namespace {

TEST(Random, SameKeySameNumbersDifferentRanksDifferentStreams) {
  const RandomKey a = rank_stream(42, 0), b = rank_stream(42, 1);
  EXPECT_EQ(random_bits(a, 7), random_bits(rank_stream(42, 0), 7));
  EXPECT_NE(random_bits(a, 7), random_bits(b, 7));
  EXPECT_NE(random_bits(a, 7), random_bits(rank_stream(43, 0), 7));
}

TEST(Random, UniformAndNormalMoments) {
  // With n = 200000 draws the standard error of the mean is 1/sqrt(12 n) ~ 6.5e-4 for the
  // uniform and 2.2e-3 for the normal; 5 sigma bounds keep the test from being flaky.
  const int n = 200000;
  const RandomKey key{2024, 3};
  double sum_u = 0, sum_z = 0, sum_z2 = 0;
  for (int i = 0; i < n; ++i) {
    const double u = random_uniform(key, i);
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum_u += u;
    const double z = random_normal(key, i);
    sum_z += z;
    sum_z2 += z * z;
  }
  EXPECT_NEAR(sum_u / n, 0.5, 5 * 6.5e-4);
  EXPECT_NEAR(sum_z / n, 0.0, 5 * 2.3e-3);
  EXPECT_NEAR(sum_z2 / n, 1.0, 5 * 3.2e-3);  // sd of z^2 is sqrt(2)
}

TEST(Random, FillMatchesScalarDrawsWhateverTheBackend) {
  Kokkos::View<double**, Kokkos::HostSpace> field("field", 3, 5);
  const RandomKey key{9, 1};
  fill_normal(field, key, 1.0, 2.0);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 5; ++j)
      EXPECT_DOUBLE_EQ(field(i, j), 1.0 + 2.0 * random_normal(key, i * 5 + j));
}

TEST(Random, StreamBelowIsUnbiasedAndResumable) {
  RandomStream stream(RandomKey{5, 0});
  std::vector<int> counts(6, 0);
  for (int i = 0; i < 60000; ++i) counts[stream.below(6)]++;
  for (int c : counts) EXPECT_NEAR(c, 10000, 500);  // sd ~ 91
  const auto position = stream.position();
  const auto next = stream.bits();
  RandomStream resumed(RandomKey{5, 0});
  resumed.seek(position);
  EXPECT_EQ(resumed.bits(), next);
}

}  // namespace
}  // namespace torus
