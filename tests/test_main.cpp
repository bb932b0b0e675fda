// GoogleTest main for torus: one Runtime for the whole process. Rank 0 prints the usual report;
// other ranks print only their failures, prefixed with the rank, so a failure on rank 1 is
// visible too (every rank runs every test, and any rank's failure fails the run).
#include <gtest/gtest.h>
#include <mpi.h>

#include <cstdio>
#include <string>

#include "torus/core/runtime.hpp"

namespace {

class FailurePrinter : public ::testing::EmptyTestEventListener {
 public:
  explicit FailurePrinter(int rank) : rank_(rank) {}
  // The test's name is kept here: asking gtest for the current test from inside
  // OnTestPartResult deadlocks on gtest's own lock.
  void OnTestStart(const ::testing::TestInfo& test) override {
    name_ = std::string(test.test_suite_name()) + "." + test.name();
  }
  void OnTestPartResult(const ::testing::TestPartResult& result) override {
    if (!result.failed()) return;
    std::fprintf(stderr, "[rank %d] FAILED %s at %s:%d\n%s\n", rank_, name_.c_str(),
                 result.file_name() ? result.file_name() : "?", result.line_number(),
                 result.message());
  }

 private:
  int rank_;
  std::string name_;
};

}  // namespace

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  int result = 0;
  {
    torus::Runtime runtime(argc, argv);
    if (runtime.rank() != 0) {
      auto& listeners = ::testing::UnitTest::GetInstance()->listeners();
      delete listeners.Release(listeners.default_result_printer());
      listeners.Append(new FailurePrinter(runtime.rank()));
    }
    int local = RUN_ALL_TESTS();
    MPI_Allreduce(&local, &result, 1, MPI_INT, MPI_MAX, runtime.comm());
  }
  return result;
}
