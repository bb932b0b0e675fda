#pragma once
/// \file
/// Internal to src/torus/io/*.cpp: what every file writer and reader of torus::io asks of the file
/// system. Why a path cannot be read or written, in words a user can act on, and the atomic
/// replacement of a file: write a temporary next to it, flush it to disk, rename it over the
/// path. Public headers never include this file.

#include <string>

namespace torus::io::detail {

/// Why a path is unusable: `problem` empty when it is fine; `fix` says what to do otherwise.
struct PathProblem {
  std::string problem;
  std::string fix;

  explicit operator bool() const { return !problem.empty(); }
};

/// The C library's explanation of an errno value ("No such file or directory").
std::string system_message(int error);

/// Why a new file cannot be written at `path`: its directory does not exist, is not a directory
/// or is not writable, or `path` is a directory. Empty when a file can be created there.
PathProblem unwritable_location(const std::string& path);

/// Why the existing file at `path` cannot be read: it does not exist, is a directory, or may not
/// be read. Empty when it can be opened for reading.
PathProblem unreadable_file(const std::string& path);

/// A temporary file name next to `path`, "<path>.tmp-<pid>-<n>", that no other writer of this
/// process uses.
std::string temporary_name(const std::string& path);

/// Puts the complete file `temporary` in place of `path` in one step: flushes it to disk, renames
/// it to `path` (replacing any file there) and flushes the directory. On failure `temporary` is
/// deleted, `path` is left as it was, and the returned problem says why.
PathProblem replace_atomically(const std::string& temporary, const std::string& path);

}  // namespace torus::io::detail
