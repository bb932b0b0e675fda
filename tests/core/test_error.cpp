#include <gtest/gtest.h>

#include "torus/core/error.hpp"

namespace torus {
namespace {

TEST(Error, MessageNamesProblemInputFixAndLocation) {
  try {
    TORUS_THROW("grid 7x8 does not split over 2 ranks", "grid 7x8", "use an even nx");
    FAIL() << "expected a throw";
  } catch (const Error& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("grid 7x8 does not split over 2 ranks"), std::string::npos);
    EXPECT_NE(what.find("[input: grid 7x8]"), std::string::npos);
    EXPECT_NE(what.find("-> use an even nx"), std::string::npos);
    EXPECT_NE(what.find("test_error.cpp:"), std::string::npos);
    EXPECT_EQ(e.input(), "grid 7x8");
    EXPECT_EQ(e.fix(), "use an even nx");
  }
}

TEST(Error, RequirePassesWhenTrue) {
  EXPECT_NO_THROW(TORUS_REQUIRE(1 + 1 == 2, "arithmetic", "", ""));
  EXPECT_THROW(TORUS_REQUIRE(1 + 1 == 3, "arithmetic", "", ""), Error);
}

}  // namespace
}  // namespace torus
