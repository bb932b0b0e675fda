#pragma once
/// \file
/// Progress of long loops, reported by rank 0: a live bar when stderr is a terminal, otherwise a
/// log line every `interval` seconds (and at the end), which suits batch-job logs.

#include <cstdint>
#include <string>

#include "torus/core/timer.hpp"

namespace torus {

class Progress {
 public:
  /// \param label what is being counted ("samples", "epoch 3")
  /// \param total the number of steps; 0 if unknown
  /// \param interval seconds between log lines when not on a terminal
  /// Only rank 0 of the live Runtime reports (every process reports without a Runtime).
  Progress(std::string label, std::int64_t total, double interval = 10.0);
  ~Progress();
  Progress(const Progress&) = delete;
  Progress& operator=(const Progress&) = delete;

  /// Advances by `steps`; `note` is shown after the counts (a loss, a time step...).
  void advance(std::int64_t steps = 1, const std::string& note = {});
  /// Reports the final state once; called by the destructor if not called before.
  void finish(const std::string& note = {});

  std::int64_t done() const { return done_; }

 private:
  void draw(const std::string& note, bool final);

  std::string label_;
  std::int64_t total_;
  std::int64_t done_ = 0;
  double interval_;
  double last_report_ = -1e300;
  bool speaks_;
  bool live_;
  bool finished_ = false;
  Timer timer_;
};

}  // namespace torus
