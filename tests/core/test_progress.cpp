#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>

#include <sstream>

#include "torus/core/log.hpp"
#include "torus/core/progress.hpp"
#include "torus/core/runtime.hpp"
#include "torus/core/timer.hpp"

namespace torus {
namespace {

// Captures what the logger prints while alive.
class CapturedLog {
 public:
  CapturedLog() : sink_(std::make_shared<spdlog::sinks::ostream_sink_mt>(text_)) {
    sink_->set_pattern("%v");
    log::logger().sinks().push_back(sink_);
  }
  ~CapturedLog() { log::logger().sinks().pop_back(); }
  std::string text() const { return text_.str(); }

 private:
  std::ostringstream text_;
  std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink_;
};

TEST(Progress, BatchLogGetsLinesOnRankZeroOnly) {
  // ctest's stderr is not a terminal, so Progress writes log lines; interval 0 logs each step.
  CapturedLog captured;
  {
    Progress progress("samples", 4, 0.0);
    for (int i = 0; i < 4; ++i) progress.advance(1, "loss 0.5");
    EXPECT_EQ(progress.done(), 4);
  }
  const std::string text = captured.text();
  if (Runtime::current().rank() == 0) {
    EXPECT_NE(text.find("samples 25% 1/4"), std::string::npos) << text;
    EXPECT_NE(text.find("samples 100% 4/4"), std::string::npos) << text;
    EXPECT_NE(text.find("loss 0.5"), std::string::npos) << text;
  } else {
    EXPECT_EQ(text, "");
  }
}

TEST(Progress, FinishReportsOnceAndIntervalThrottles) {
  CapturedLog captured;
  Progress progress("steps", 0, 3600.0);  // unknown total, one line per hour
  for (int i = 0; i < 100; ++i) progress.advance();
  progress.finish();
  progress.finish();
  if (Runtime::current().rank() != 0) return;
  const std::string text = captured.text();
  // The first advance reports, the next 99 fall inside the interval, finish reports once.
  std::size_t lines = 0;
  for (char c : text) lines += c == '\n';
  EXPECT_EQ(lines, 2u) << text;
  EXPECT_NE(text.find("steps 100 "), std::string::npos) << text;
}

TEST(Timer, MedianOfOddAndEvenCounts) {
  EXPECT_EQ(median({}), 0.0);
  EXPECT_EQ(median({3.0, 1.0, 2.0}), 2.0);
  EXPECT_EQ(median({4.0, 1.0, 3.0, 2.0}), 2.5);
  Timer timer;
  EXPECT_GE(timer.seconds(), 0.0);
}

}  // namespace
}  // namespace torus
