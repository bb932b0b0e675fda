#pragma once
/// \file
/// Plans made once per (precision, shape) and reused across calls from Python.
///
/// NumPy-style calls come one array at a time, often with the same shape (a training loop, a time
/// stepper). Planning is the expensive part of a small transform, so each transform keeps its
/// most recently used plans. All transforms of the extension run under one mutex with the GIL
/// released: other Python threads keep running, and plans (which own scratch memory and are not
/// thread-safe) are never used by two threads at once.

#include <cstddef>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <utility>

#include <array>
#include <optional>
#include <string>

#include "arrays.hpp"
#include "bindings.hpp"
#include "torus/core/error.hpp"
#include "torus/fft/engine.hpp"
#include "torus/fft/norm.hpp"

namespace torus::python {

/// The options new plans are made with. Planning::estimate unless set_planning() changed it.
fft::PlanOptions plan_options();

/// Plans are cached by their type (transform and precision), batch size and field extents.
template <int Dim>
using PlanKey = std::array<int, Dim + 1>;

template <int Dim>
PlanKey<Dim> plan_key(const FieldBatch<Dim>& fields) {
  PlanKey<Dim> key;
  key[0] = fields.batch;
  for (int a = 0; a < Dim; ++a) key[a + 1] = fields.extents[a];
  return key;
}

/// `norm` from Python: None is NumPy's default, "backward". Throws torus::Error for an unknown
/// name.
inline fft::Norm norm_of(const std::optional<std::string>& name) {
  return fft::parse_norm(name ? *name : std::string());
}

/// The number of transformed axes, checked to be 2 or 3.
inline int checked_dims(int dims) {
  TORUS_REQUIRE(dims == 2 || dims == 3, "torus transforms 2 or 3 axes, not " + std::to_string(dims),
                "ndim", "use numpy.fft or scipy.fft for other numbers of axes");
  return dims;
}

/// The lock every transform holds while it plans and runs.
std::mutex& transform_mutex();

/// Makes `clear` and `size` part of clear_plan_cache() / plan_cache_size() and of shutdown.
void register_plan_cache(std::function<void()> clear, std::function<std::size_t()> size);

/// The functions that tune and inspect the caches (set_planning, clear_plan_cache, ...).
void bind_plans(py::module_& fft);

/// A small least-recently-used map from a key to a shared plan. The shared_ptr keeps a plan
/// alive for a caller even if another shape evicts it meanwhile.
template <class Key, class PlanType>
class PlanCache {
 public:
  static constexpr std::size_t capacity = 16;

  PlanCache() {
    register_plan_cache([this] { clear(); }, [this] { return size(); });
  }

  /// The plan for `key`, made by `make()` on a miss. Call with transform_mutex() held.
  template <class Make>
  std::shared_ptr<PlanType> get(const Key& key, Make&& make) {
    for (auto it = entries_.begin(); it != entries_.end(); ++it) {
      if (it->first == key) {
        entries_.splice(entries_.begin(), entries_, it);
        return entries_.front().second;
      }
    }
    entries_.emplace_front(key, make());
    if (entries_.size() > capacity) entries_.pop_back();
    return entries_.front().second;
  }

  void clear() { entries_.clear(); }
  std::size_t size() const { return entries_.size(); }

 private:
  std::list<std::pair<Key, std::shared_ptr<PlanType>>> entries_;
};

/// The cache of one plan type, created on first use and never destroyed (it is emptied at
/// interpreter exit, before Kokkos finalises; see runtime.cpp).
template <class Key, class PlanType>
PlanCache<Key, PlanType>& plan_cache() {
  static auto* cache = new PlanCache<Key, PlanType>;
  return *cache;
}

}  // namespace torus::python
