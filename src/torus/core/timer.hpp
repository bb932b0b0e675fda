#pragma once
/// \file
/// Wall-clock timing.

#include <algorithm>
#include <chrono>
#include <vector>

namespace torus {

/// A wall-clock stopwatch (steady clock). Starts running when made.
class Timer {
 public:
  Timer() : start_(clock::now()) {}
  /// Restarts the stopwatch.
  void reset() { start_ = clock::now(); }
  /// Seconds since the last reset (or construction).
  double seconds() const { return std::chrono::duration<double>(clock::now() - start_).count(); }

 private:
  using clock = std::chrono::steady_clock;
  clock::time_point start_;
};

/// The median of a set of samples (the average of the middle two for an even count); 0 if empty.
/// Benchmarks quote medians because this machine is noisy.
inline double median(std::vector<double> samples) {
  if (samples.empty()) return 0.0;
  const auto middle = samples.begin() + samples.size() / 2;
  std::nth_element(samples.begin(), middle, samples.end());
  if (samples.size() % 2 == 1) return *middle;
  const double upper = *middle;
  const double lower = *std::max_element(samples.begin(), middle);
  return 0.5 * (lower + upper);
}

}  // namespace torus
