#include "torus/core/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

#include <cstdlib>
#include <memory>
#include <string>

#include "torus/core/error.hpp"

namespace torus::log {
namespace {

spdlog::level::level_enum to_spdlog(Level level) {
  switch (level) {
    case Level::trace:
      return spdlog::level::trace;
    case Level::debug:
      return spdlog::level::debug;
    case Level::info:
      return spdlog::level::info;
    case Level::warn:
      return spdlog::level::warn;
    case Level::error:
      return spdlog::level::err;
    case Level::off:
      return spdlog::level::off;
  }
  return spdlog::level::info;
}

// Logs go to stderr so that a command's stdout stays machine-readable.
spdlog::logger& instance() {
  static std::shared_ptr<spdlog::logger> logger = [] {
    auto made = std::make_shared<spdlog::logger>(
        "torus", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
    made->set_pattern("[torus %^%l%$] %v");
    made->set_level(spdlog::level::info);
    return made;
  }();
  return *logger;
}

Level level_from_environment() {
  const char* value = std::getenv("TORUS_LOG");
  if (value == nullptr || *value == '\0') return Level::info;
  try {
    return parse_level(value);
  } catch (const Error&) {
    instance().warn(
        "TORUS_LOG='{}' is not a level (trace, debug, info, warn, error, off); "
        "using info",
        value);
    return Level::info;
  }
}

}  // namespace

Level parse_level(std::string_view name) {
  if (name == "trace") return Level::trace;
  if (name == "debug") return Level::debug;
  if (name == "info") return Level::info;
  if (name == "warn" || name == "warning") return Level::warn;
  if (name == "error") return Level::error;
  if (name == "off") return Level::off;
  TORUS_THROW("unknown log level '" + std::string(name) + "'", "TORUS_LOG",
              "use one of trace, debug, info, warn, error, off");
}

void configure(int rank) {
  const char* all = std::getenv("TORUS_LOG_ALL_RANKS");
  const bool all_ranks = all != nullptr && std::string(all) == "1";
  Level level = level_from_environment();
  if (rank != 0 && !all_ranks && level < Level::warn) level = Level::warn;
  auto& logger = instance();
  logger.set_level(to_spdlog(level));
  if (rank != 0) {
    logger.set_pattern("[torus %^%l%$ rank " + std::to_string(rank) + "] %v");
  } else {
    logger.set_pattern("[torus %^%l%$] %v");
  }
}

void set_level(Level level) { instance().set_level(to_spdlog(level)); }

spdlog::logger& logger() { return instance(); }

}  // namespace torus::log
