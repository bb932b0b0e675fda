// collective(): a torus::Error on some ranks becomes the same error on every rank (the lowest
// failing rank's), a success returns the step's value everywhere, and the communicator is
// usable afterwards (no rank left inside a collective call).
#include <gtest/gtest.h>

#include <mpi.h>

#include <string>

#include "fft/support.hpp"
#include "torus/core/collective_error.hpp"

namespace torus {
namespace {

using testing::world;

int my_rank() {
  int rank = 0;
  MPI_Comm_rank(world(), &rank);
  return rank;
}

TEST(Collective, SuccessReturnsTheValueOnEveryRank) {
  EXPECT_EQ(collective(world(), [] { return 7 * (my_rank() + 1); }), 7 * (my_rank() + 1));
  int calls = 0;
  collective(world(), [&] { ++calls; });
  EXPECT_EQ(calls, 1);
}

TEST(Collective, ErrorOnTheLastRankIsThrownOnEveryRank) {
  const int last = testing::world_size() - 1;
  try {
    collective(world(), [&] {
      TORUS_REQUIRE(my_rank() != last, "sample 11 holds a NaN", "data.h5", "regenerate it");
      return 1;
    });
    FAIL() << "expected a torus::Error on rank " << my_rank();
  } catch (const Error& e) {
    EXPECT_EQ(e.input(), "data.h5");
    EXPECT_EQ(e.fix(), "regenerate it");
    EXPECT_EQ(e.problem().find("sample 11 holds a NaN"), 0u);
    if (my_rank() != last) {
      EXPECT_NE(e.problem().find("(on rank " + std::to_string(last) + ")"), std::string::npos);
    }
  }
  // Every rank left the agreement: a collective call afterwards completes.
  int one = 1, sum = 0;
  MPI_Allreduce(&one, &sum, 1, MPI_INT, MPI_SUM, world());
  EXPECT_EQ(sum, testing::world_size());
}

TEST(Collective, TheLowestFailingRankSpeaksForAll) {
  try {
    collective(world(), [] { TORUS_THROW("failed on rank " + std::to_string(my_rank()), "", ""); });
    FAIL() << "expected a torus::Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.problem().find("failed on rank 0"), 0u) << e.problem();
  }
}

}  // namespace
}  // namespace torus
