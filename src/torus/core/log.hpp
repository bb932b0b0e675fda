#pragma once
/// \file
/// The one logger of torus. Rank 0 speaks at the level chosen by `TORUS_LOG`
/// (trace, debug, info, warn, error, off; default info); other ranks only report warnings and
/// errors, unless `TORUS_LOG_ALL_RANKS=1`.

#include <spdlog/spdlog.h>

#include <string_view>

namespace torus::log {

enum class Level { trace, debug, info, warn, error, off };

/// Parses a level name as used by TORUS_LOG; throws torus::Error on an unknown name.
Level parse_level(std::string_view name);

/// (Re)configures the logger for this process: the MPI rank decides who speaks. Called by
/// torus::Runtime; safe to call again (for instance after changing TORUS_LOG).
void configure(int rank);

/// Overrides the level on this rank (rank 0's level unless TORUS_LOG_ALL_RANKS is set).
void set_level(Level level);

/// The underlying spdlog logger, for code that needs sinks or flushing.
spdlog::logger& logger();

template <class... Args>
void trace(spdlog::format_string_t<Args...> fmt, Args&&... args) {
  logger().trace(fmt, std::forward<Args>(args)...);
}
template <class... Args>
void debug(spdlog::format_string_t<Args...> fmt, Args&&... args) {
  logger().debug(fmt, std::forward<Args>(args)...);
}
template <class... Args>
void info(spdlog::format_string_t<Args...> fmt, Args&&... args) {
  logger().info(fmt, std::forward<Args>(args)...);
}
template <class... Args>
void warn(spdlog::format_string_t<Args...> fmt, Args&&... args) {
  logger().warn(fmt, std::forward<Args>(args)...);
}
template <class... Args>
void error(spdlog::format_string_t<Args...> fmt, Args&&... args) {
  logger().error(fmt, std::forward<Args>(args)...);
}

}  // namespace torus::log
