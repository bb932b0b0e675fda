#include "torus/io/file_system.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <system_error>

namespace torus::io::detail {

namespace fs = std::filesystem;

namespace {

/// fsync(2) on a file or directory; returns errno, 0 on success.
int sync_to_disk(const std::string& path, bool directory) {
  const int fd = ::open(path.c_str(), directory ? (O_RDONLY | O_DIRECTORY) : O_RDONLY);
  if (fd < 0) return errno;
  const int status = ::fsync(fd) == 0 ? 0 : errno;
  ::close(fd);
  return status;
}

/// The directory a file at `path` lives in ("." for a bare file name).
fs::path directory_of(const std::string& path) {
  const fs::path target(path);
  return target.has_parent_path() ? target.parent_path() : fs::path(".");
}

}  // namespace

std::string system_message(int error) { return std::generic_category().message(error); }

PathProblem unwritable_location(const std::string& path) {
  const fs::path directory = directory_of(path);
  std::error_code ec;
  if (!fs::exists(directory, ec)) {
    return {"directory '" + directory.string() + "' does not exist",
            "create it first (mkdir -p) or write somewhere else"};
  }
  if (!fs::is_directory(directory, ec)) {
    return {"'" + directory.string() + "' is not a directory", "give a path inside a directory"};
  }
  if (::access(directory.c_str(), W_OK | X_OK) != 0) {
    return {"cannot write in directory '" + directory.string() + "': " + system_message(errno),
            "choose a directory you may write to, or change its permissions"};
  }
  if (fs::is_directory(path, ec)) {
    return {"'" + path + "' is a directory", "give the path of a file inside it"};
  }
  return {};
}

PathProblem unreadable_file(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) {
    return {"file does not exist",
            "check the path (relative paths start at " + fs::current_path(ec).string() + ")"};
  }
  if (fs::is_directory(path, ec)) return {"the path is a directory", "give the path of a file"};
  if (::access(path.c_str(), R_OK) != 0) {
    return {"cannot read the file: " + system_message(errno),
            "check the file's permissions or run as a user who may read it"};
  }
  return {};
}

std::string temporary_name(const std::string& path) {
  static std::atomic<unsigned> counter{0};
  return path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

PathProblem replace_atomically(const std::string& temporary, const std::string& path) {
  if (const int error = sync_to_disk(temporary, false)) {
    std::remove(temporary.c_str());
    return {"cannot flush '" + temporary + "' to disk: " + system_message(error),
            "check the file system (full, read-only, failing) and retry"};
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    std::remove(temporary.c_str());
    return {"cannot rename '" + temporary + "' to the final name: " + system_message(error),
            "check that the path is not a directory and that you may replace the old file"};
  }
  // The rename itself is durable once the directory is on disk; a failure here loses nothing
  // that a reader could see.
  sync_to_disk(directory_of(path).string(), true);
  return {};
}

}  // namespace torus::io::detail
