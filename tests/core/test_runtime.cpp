#include <gtest/gtest.h>

#include <petscsys.h>
#include <Kokkos_Core.hpp>

#include "torus/core/error.hpp"
#include "torus/core/runtime.hpp"

namespace torus {
namespace {

TEST(Runtime, BringsUpMpiKokkosAndPetsc) {
  ASSERT_TRUE(Runtime::active());
  auto& runtime = Runtime::current();
  int world = 0;
  MPI_Comm_size(MPI_COMM_WORLD, &world);
  EXPECT_EQ(runtime.size(), world);
  EXPECT_TRUE(Kokkos::is_initialized());
  PetscBool petsc = PETSC_FALSE;
  PetscInitialized(&petsc);
  EXPECT_TRUE(petsc);
}

TEST(Runtime, SecondRuntimeIsAnError) { EXPECT_THROW(Runtime{}, Error); }

TEST(Runtime, CommunicatorIsPrivate) {
  int comparison = MPI_UNEQUAL;
  MPI_Comm_compare(Runtime::current().comm(), MPI_COMM_WORLD, &comparison);
  EXPECT_EQ(comparison, MPI_CONGRUENT);
}

}  // namespace
}  // namespace torus
