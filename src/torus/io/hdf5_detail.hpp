#pragma once
/// \file
/// Internal to src/torus/io/*.cpp: owning HDF5 identifiers, silencing HDF5's own error printing,
/// and turning its error stack into a torus::Error. Public headers never include this file, so
/// users of torus::io do not see <hdf5.h>.

#include <hdf5.h>

#include <string>
#include <utility>

namespace torus::io::detail {

/// Owns one HDF5 identifier and releases it with the matching H5?close. A negative identifier
/// (what HDF5 returns on failure) is held as "empty" and never closed.
class Handle {
 public:
  using Closer = herr_t (*)(hid_t);

  Handle() = default;
  Handle(hid_t id, Closer closer) : id_(id), closer_(closer) {}
  ~Handle() { close(); }
  Handle(Handle&& other) noexcept
      : id_(std::exchange(other.id_, H5I_INVALID_HID)), closer_(other.closer_) {}
  Handle& operator=(Handle&& other) noexcept {
    if (this != &other) {
      close();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
      closer_ = other.closer_;
    }
    return *this;
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;

  hid_t get() const { return id_; }
  explicit operator bool() const { return id_ >= 0; }

  /// Releases the identifier now; returns HDF5's status (0 when there was nothing to release).
  herr_t close() {
    herr_t status = 0;
    if (id_ >= 0 && closer_ != nullptr) status = closer_(id_);
    id_ = H5I_INVALID_HID;
    return status;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
  Closer closer_ = nullptr;
};

/// While alive, HDF5 prints nothing to stderr on failure (the previous handler is restored
/// afterwards): torus reads the error stack itself and reports it in a torus::Error.
class QuietErrors {
 public:
  QuietErrors();
  ~QuietErrors();
  QuietErrors(const QuietErrors&) = delete;
  QuietErrors& operator=(const QuietErrors&) = delete;

 private:
  H5E_auto2_t previous_ = nullptr;
  void* previous_data_ = nullptr;
};

/// HDF5's explanation of the last failure, "outermost reason: innermost reason", read from the
/// current error stack (which is then cleared). Empty when the stack is empty.
std::string error_stack();

/// Throws torus::Error("<problem> (HDF5: <error stack>)", input, fix) located at file:line.
[[noreturn]] void fail(const std::string& problem, const std::string& input, const std::string& fix,
                       const char* file, int line);

/// "64-bit floats", "32-bit unsigned integers", "a compound of (r, i)", "strings": the values
/// of an HDF5 type, for messages.
std::string describe_type(hid_t type);

/// "HDF5 file '<path>'": how errors name the file at fault.
std::string describe_file(const std::string& path);

}  // namespace torus::io::detail

/// Throws a torus::Error carrying HDF5's error stack, located here.
#define TORUS_H5_FAIL(problem, input, fix) \
  ::torus::io::detail::fail((problem), (input), (fix), __FILE__, __LINE__)
