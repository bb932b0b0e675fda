// GoogleTest main for torus: one Runtime for the whole process, and only rank 0 prints
// results (every rank still runs every test, and any rank's failure fails the run).
#include <gtest/gtest.h>
#include <mpi.h>

#include "torus/core/runtime.hpp"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  int result = 0;
  {
    torus::Runtime runtime(argc, argv);
    if (runtime.rank() != 0) {
      auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
      delete listeners.Release(listeners.default_result_printer());
    }
    int local = RUN_ALL_TESTS();
    MPI_Allreduce(&local, &result, 1, MPI_INT, MPI_MAX, runtime.comm());
  }
  return result;
}
