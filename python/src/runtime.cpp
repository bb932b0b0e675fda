// The one torus::Runtime of a Python process: made when torus._torus is imported, finalised at
// interpreter exit through Python's atexit.
//
// Order at exit matters: Kokkos refuses to finalise while Views are alive, and FFTW plans must go
// before the libraries under them. So the shutdown hooks (plan caches) run first, then the
// Runtime finalises PETSc, Kokkos and MPI, each only if it started it (MPI started by mpi4py is
// left to mpi4py).
//
// Starting the libraries must not change how the Python process handles signals: PETSc installs
// its handlers and leaves SIGPIPE at its default (terminate), where Python ignores it so that a
// closed pipe raises BrokenPipeError. The dispositions Python manages are restored afterwards.

#include <signal.h>

#include <array>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "torus/core/error.hpp"
#include "torus/core/runtime.hpp"

namespace torus::python {
namespace {

struct Lifetime {
  std::unique_ptr<Runtime> runtime;
  std::vector<std::function<void()>> hooks;
  bool shut_down = false;
};

Lifetime& lifetime() {
  // Deliberately leaked: destroying it during static destruction, after Python has finalised,
  // could touch a finalised Kokkos. Everything it owns is released by shutdown() at exit.
  static Lifetime* state = new Lifetime;
  return *state;
}

/// Saves the handling of the signals the Python interpreter sets up itself, and puts it back
/// when it goes out of scope.
class KeepPythonSignals {
 public:
  KeepPythonSignals() {
    for (std::size_t i = 0; i < numbers_.size(); ++i) sigaction(numbers_[i], nullptr, &saved_[i]);
  }
  ~KeepPythonSignals() {
    for (std::size_t i = 0; i < numbers_.size(); ++i) sigaction(numbers_[i], &saved_[i], nullptr);
  }
  KeepPythonSignals(const KeepPythonSignals&) = delete;
  KeepPythonSignals& operator=(const KeepPythonSignals&) = delete;

 private:
  std::array<int, 3> numbers_{SIGINT, SIGPIPE, SIGXFSZ};
  std::array<struct sigaction, 3> saved_{};
};

void shutdown() {
  Lifetime& state = lifetime();
  if (state.shut_down) return;
  state.shut_down = true;
  for (auto hook = state.hooks.rbegin(); hook != state.hooks.rend(); ++hook) (*hook)();
  state.hooks.clear();
  state.runtime.reset();
}

}  // namespace

void on_shutdown(std::function<void()> release) { lifetime().hooks.push_back(std::move(release)); }

void require_running(const char* caller) {
  TORUS_REQUIRE(!lifetime().shut_down, "torus has already been shut down at interpreter exit",
                caller, "call torus from atexit handlers registered after `import torus`");
}

void bind_runtime(py::module_& m) {
  Lifetime& state = lifetime();
  if (!Runtime::active()) {
    const KeepPythonSignals keep;
    state.runtime = std::make_unique<Runtime>();
  }
  py::module_::import("atexit").attr("register")(py::cpp_function(&shutdown));

  m.def(
      "mpi_rank", [] { return Runtime::current().rank(); },
      "This process's rank in the communicator torus works on (0 without mpiexec).");
  m.def(
      "mpi_size", [] { return Runtime::current().size(); },
      "The number of ranks torus works on (1 without mpiexec).");
}

}  // namespace torus::python
