#pragma once
/// \file
/// torus::Error: the one exception type of the library. Every message says what is wrong, which
/// input is at fault, and what the user can do about it.

#include <stdexcept>
#include <string>

namespace torus {

/// An error in the user's input or environment. `what()` reads
/// "<problem> [input: <input>] -> <fix>" followed by the source location that raised it.
class Error : public std::runtime_error {
 public:
  /// \param problem what is wrong, in the user's terms ("grid 250x256 does not split over 3 ranks")
  /// \param input the input at fault (a file, an option, an argument name); may be empty
  /// \param fix what to do about it; may be empty
  Error(std::string problem, std::string input = {}, std::string fix = {},
        const char* file = nullptr, int line = 0);

  const std::string& problem() const noexcept { return problem_; }
  const std::string& input() const noexcept { return input_; }
  const std::string& fix() const noexcept { return fix_; }

 private:
  std::string problem_;
  std::string input_;
  std::string fix_;
};

}  // namespace torus

/// Throws torus::Error with the current source location when `condition` is false.
#define TORUS_REQUIRE(condition, problem, input, fix)                      \
  do {                                                                     \
    if (!(condition)) {                                                    \
      throw ::torus::Error((problem), (input), (fix), __FILE__, __LINE__); \
    }                                                                      \
  } while (false)

/// Throws torus::Error with the current source location.
#define TORUS_THROW(problem, input, fix) \
  throw ::torus::Error((problem), (input), (fix), __FILE__, __LINE__)
