// Planning effort and the registry of plan caches.
//
// The default is Planning::estimate. FFTW_MEASURE times candidate algorithms for every new shape,
// which costs from milliseconds to seconds per shape, while calls from Python are often one-off
// shapes (exploration, tests, resampling); estimated plans are typically within a small factor of
// measured ones for these sizes, and they are deterministic: the same input gives bit-identical
// output on every run and rank. Long runs on one shape can ask for "measure" explicitly.

#include "plans.hpp"

#include <string>
#include <vector>

#include "torus/core/error.hpp"

namespace torus::python {
namespace {

struct Registry {
  fft::PlanOptions options{fft::Planning::estimate};
  std::vector<std::function<void()>> clears;
  std::vector<std::function<std::size_t()>> sizes;
};

Registry& registry() {
  static auto* state = new Registry;  // leaked on purpose, as the caches it lists
  return *state;
}

void clear_unlocked() {
  for (auto& clear : registry().clears) clear();
}

void clear_all() {
  std::lock_guard<std::mutex> lock(transform_mutex());
  clear_unlocked();
}

std::size_t size_of_all() {
  std::lock_guard<std::mutex> lock(transform_mutex());
  std::size_t total = 0;
  for (auto& size : registry().sizes) total += size();
  return total;
}

fft::Planning parse_planning(const std::string& name) {
  if (name == "estimate") return fft::Planning::estimate;
  if (name == "measure") return fft::Planning::measure;
  if (name == "patient") return fft::Planning::patient;
  TORUS_THROW("unknown FFT planning effort '" + name + "'", "planning",
              "use \"estimate\" (default), \"measure\" or \"patient\"");
}

std::string planning_name(fft::Planning planning) {
  switch (planning) {
    case fft::Planning::estimate:
      return "estimate";
    case fft::Planning::measure:
      return "measure";
    case fft::Planning::patient:
      return "patient";
  }
  return "estimate";
}

}  // namespace

fft::PlanOptions plan_options() { return registry().options; }

std::mutex& transform_mutex() {
  static auto* mutex = new std::mutex;
  return *mutex;
}

void register_plan_cache(std::function<void()> clear, std::function<std::size_t()> size) {
  registry().clears.push_back(std::move(clear));
  registry().sizes.push_back(std::move(size));
}

void bind_plans(py::module_& fft) {
  // Cached plans hold Views and FFTW plans: free them before the runtime finalises.
  on_shutdown(&clear_all);

  fft.def(
      "set_planning",
      [](const std::string& name) {
        const fft::Planning planning = parse_planning(name);
        py::gil_scoped_release release;
        std::lock_guard<std::mutex> lock(transform_mutex());
        clear_unlocked();
        registry().options.planning = planning;
      },
      py::arg("planning"),
      "Sets how hard FFTW searches for fast algorithms in plans made from now on: \"estimate\"\n"
      "(default: instant, deterministic), \"measure\" or \"patient\" (slower to plan, faster to\n"
      "run on large grids). Empties the plan cache. Raises TorusError for another name.");
  fft.def(
      "planning",
      [] {
        std::lock_guard<std::mutex> lock(transform_mutex());
        return planning_name(registry().options.planning);
      },
      "The planning effort of new plans (\"estimate\", \"measure\" or \"patient\").");
  fft.def("clear_plan_cache", &clear_all, py::call_guard<py::gil_scoped_release>(),
          "Frees every cached plan (and its scratch memory); later calls plan again.");
  fft.def("plan_cache_size", &size_of_all, py::call_guard<py::gil_scoped_release>(),
          "The number of plans currently cached, over every transform and precision.");
}

}  // namespace torus::python
