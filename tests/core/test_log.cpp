#include <gtest/gtest.h>

#include "torus/core/error.hpp"
#include "torus/core/log.hpp"

namespace torus {
namespace {

TEST(Log, LevelsParseAndUnknownIsAnError) {
  EXPECT_EQ(log::parse_level("debug"), log::Level::debug);
  EXPECT_EQ(log::parse_level("off"), log::Level::off);
  EXPECT_THROW(log::parse_level("loud"), Error);
}

TEST(Log, EnvironmentChoosesLevelAndOtherRanksOnlyWarn) {
  setenv("TORUS_LOG", "debug", 1);
  log::configure(0);
  EXPECT_TRUE(log::logger().should_log(spdlog::level::debug));
  log::configure(1);
  EXPECT_FALSE(log::logger().should_log(spdlog::level::info));
  EXPECT_TRUE(log::logger().should_log(spdlog::level::warn));
  unsetenv("TORUS_LOG");
  log::configure(0);
  EXPECT_FALSE(log::logger().should_log(spdlog::level::debug));
  EXPECT_TRUE(log::logger().should_log(spdlog::level::info));
}

}  // namespace
}  // namespace torus
