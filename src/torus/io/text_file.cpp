#include "torus/io/text_file.hpp"

#include <cerrno>
#include <cstdio>

#include "torus/core/error.hpp"
#include "torus/io/file_system.hpp"

namespace torus::io {

void write_text_file(const std::string& path, const std::string& text) {
  if (const auto problem = detail::unwritable_location(path)) {
    TORUS_THROW(problem.problem, path, problem.fix);
  }
  const std::string temporary = detail::temporary_name(path);
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  TORUS_REQUIRE(file != nullptr,
                "cannot create '" + temporary + "' (" + detail::system_message(errno) + ")", path,
                "check that the folder is writable");
  const bool written = std::fwrite(text.data(), 1, text.size(), file) == text.size();
  const int flushed = std::fflush(file) == 0 ? 0 : errno;
  const int closed = std::fclose(file) == 0 ? 0 : errno;
  if (!written || flushed != 0 || closed != 0) {
    std::remove(temporary.c_str());
    TORUS_THROW("cannot write '" + temporary + "' (" +
                    detail::system_message(flushed ? flushed : closed) + ")",
                path, "check the free space of the file system and retry");
  }
  if (const auto problem = detail::replace_atomically(temporary, path)) {
    TORUS_THROW(problem.problem, path, problem.fix);
  }
}

}  // namespace torus::io
