#include "torus/core/error.hpp"

#include <cstring>

namespace torus {
namespace {

std::string compose(const std::string& problem, const std::string& input, const std::string& fix,
                    const char* file, int line) {
  std::string message = problem;
  if (!input.empty()) message += " [input: " + input + "]";
  if (!fix.empty()) message += " -> " + fix;
  if (file != nullptr) {
    // Keep the path from "torus/" on: enough to find the line, short enough to read.
    const char* short_file = std::strstr(file, "torus/");
    message +=
        " (" + std::string(short_file ? short_file : file) + ":" + std::to_string(line) + ")";
  }
  return message;
}

}  // namespace

Error::Error(std::string problem, std::string input, std::string fix, const char* file, int line)
    : std::runtime_error(compose(problem, input, fix, file, line)),
      problem_(std::move(problem)),
      input_(std::move(input)),
      fix_(std::move(fix)) {}

}  // namespace torus
