#include "torus/core/progress.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>

#include "torus/core/log.hpp"
#include "torus/core/runtime.hpp"

namespace torus {
namespace {

std::string format_seconds(double seconds) {
  if (!std::isfinite(seconds) || seconds < 0) return "?";
  const long s = std::lround(seconds);
  char text[32];
  if (s >= 3600) {
    std::snprintf(text, sizeof text, "%ldh%02ldm", s / 3600, (s / 60) % 60);
  } else {
    std::snprintf(text, sizeof text, "%ldm%02lds", s / 60, s % 60);
  }
  return text;
}

}  // namespace

Progress::Progress(std::string label, std::int64_t total, double interval)
    : label_(std::move(label)),
      total_(total),
      interval_(interval),
      speaks_(!Runtime::active() || Runtime::current().rank() == 0),
      live_(isatty(STDERR_FILENO) == 1) {}

Progress::~Progress() {
  if (!finished_) finish();
}

void Progress::advance(std::int64_t steps, const std::string& note) {
  done_ += steps;
  if (!speaks_) return;
  const double now = timer_.seconds();
  // A terminal redraws at most ten times a second; a log gets a line per interval.
  const double gap = live_ ? 0.1 : interval_;
  if (now - last_report_ >= gap) {
    last_report_ = now;
    draw(note, false);
  }
}

void Progress::finish(const std::string& note) {
  if (finished_) return;
  finished_ = true;
  if (speaks_) draw(note, true);
}

void Progress::draw(const std::string& note, bool final) {
  const double elapsed = timer_.seconds();
  const double rate = elapsed > 0 ? done_ / elapsed : 0.0;
  std::string counts = std::to_string(done_);
  std::string eta;
  double fraction = 0;
  if (total_ > 0) {
    counts += "/" + std::to_string(total_);
    fraction = std::min(1.0, static_cast<double>(done_) / total_);
    if (!final && rate > 0) eta = " eta " + format_seconds((total_ - done_) / rate);
  }
  char rate_text[32];
  std::snprintf(rate_text, sizeof rate_text, "%.3g/s", rate);
  const std::string tail = counts + " " + rate_text + " " + format_seconds(elapsed) + eta +
                           (note.empty() ? "" : "  " + note);
  if (live_) {
    std::string bar;
    if (total_ > 0) {
      const int width = 30;
      const int filled = static_cast<int>(fraction * width);
      bar = "[" + std::string(filled, '#') + std::string(width - filled, '.') + "] ";
    }
    std::fprintf(stderr, "\r%s %s%s\033[K%s", label_.c_str(), bar.c_str(), tail.c_str(),
                 final ? "\n" : "");
    std::fflush(stderr);
  } else {
    log::info("{} {}{}", label_,
              total_ > 0 ? std::to_string(static_cast<int>(100 * fraction)) + "% " : "", tail);
  }
}

}  // namespace torus
