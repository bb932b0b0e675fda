#pragma once
/// \file
/// NumPy arrays as batches of torus fields.
///
/// An array whose trailing `Dim` axes are a field and whose leading axes (any number, possibly
/// none) are the batch is exactly a (batch, 1, x, y[, z]) field View once it is C-contiguous, so
/// the transforms wrap NumPy's buffers as unmanaged Views: no copy in, no copy out. Copies are
/// made only for layouts a View cannot describe (strided or misaligned arrays).

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include <Kokkos_Core.hpp>

#include <array>
#include <climits>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "torus/core/error.hpp"

namespace torus::python {

namespace py = pybind11;

/// How an array splits into a batch of fields of extents `extents`.
template <int Dim>
struct FieldBatch {
  std::vector<py::ssize_t> leading;  ///< the batch axes of the array
  std::array<int, Dim> extents{};    ///< the field's extents (the trailing axes)
  int batch = 1;                     ///< product of `leading`; 0 for an empty batch
};

/// "(4, 6, 8)", for messages.
inline std::string shape_text(const py::array& a) {
  std::string text = "(";
  for (py::ssize_t i = 0; i < a.ndim(); ++i) {
    text += (i ? ", " : "") + std::to_string(a.shape(i));
  }
  return text + (a.ndim() == 1 ? ",)" : ")");
}

/// Splits `a` (named `name` in messages) into leading batch axes and a Dim-axis field.
/// Throws torus::Error for too few axes, an empty field axis or more than INT_MAX fields.
template <int Dim>
FieldBatch<Dim> split_fields(const py::array& a, const char* name) {
  TORUS_REQUIRE(a.ndim() >= Dim,
                std::string(name) + " has shape " + shape_text(a) + ", fewer axes than a " +
                    std::to_string(Dim) + "-D transform needs",
                name, "pass an array whose last " + std::to_string(Dim) + " axes are the field");
  FieldBatch<Dim> fields;
  const py::ssize_t first = a.ndim() - Dim;
  std::int64_t batch = 1;
  for (py::ssize_t i = 0; i < first; ++i) {
    fields.leading.push_back(a.shape(i));
    batch *= a.shape(i);
  }
  for (int i = 0; i < Dim; ++i) {
    const py::ssize_t n = a.shape(first + i);
    TORUS_REQUIRE(n >= 1 && n <= INT_MAX,
                  std::string(name) + " has shape " + shape_text(a) + ": a transformed axis of " +
                      "length " + std::to_string(n),
                  name, "transform axes of length 1 or more");
    fields.extents[i] = static_cast<int>(n);
  }
  TORUS_REQUIRE(batch <= INT_MAX, std::string(name) + " holds more than 2^31 fields", name,
                "transform the batch in parts");
  fields.batch = static_cast<int>(batch);
  return fields;
}

/// A C-contiguous NumPy array of T.
template <class T>
using CArray = py::array_t<T, py::array::c_style>;

/// A C-contiguous array of element type T with the data of `a` (which already has dtype T):
/// `a` itself when it is C-contiguous and aligned for `Element`, else a fresh copy.
template <class T, class Element = T>
CArray<T> contiguous(const py::array& a) {
  CArray<T> c = CArray<T>::ensure(a);
  if (!c) throw py::error_already_set();
  if (reinterpret_cast<std::uintptr_t>(c.data()) % alignof(Element) == 0) return c;
  CArray<T> copy(std::vector<py::ssize_t>(c.shape(), c.shape() + c.ndim()));
  std::memcpy(copy.mutable_data(), c.data(), static_cast<std::size_t>(c.nbytes()));
  return copy;
}

/// True when `pointer` may be viewed as an array of `Element`.
template <class Element>
bool aligned_for(const void* pointer) {
  return reinterpret_cast<std::uintptr_t>(pointer) % alignof(Element) == 0;
}

namespace detail {
template <class View, class Pointer, std::size_t N, std::size_t... I>
View wrap(Pointer data, const std::array<std::size_t, N>& n, std::index_sequence<I...>) {
  return View(data, n[I]...);
}
template <class View, std::size_t N, std::size_t... I>
View allocate(const std::string& label, const std::array<std::size_t, N>& n,
              std::index_sequence<I...>) {
  return View(Kokkos::view_alloc(Kokkos::WithoutInitializing, label), n[I]...);
}
}  // namespace detail

/// An unmanaged View of extents `n` over memory owned by someone else (a NumPy array).
template <class View, class Pointer, std::size_t N>
View wrap(Pointer data, const std::array<std::size_t, N>& n) {
  return detail::wrap<View>(data, n, std::make_index_sequence<N>());
}

/// A View of extents `n` whose values are about to be overwritten (so not zero-filled).
template <class View, std::size_t N>
View allocate(const std::string& label, const std::array<std::size_t, N>& n) {
  return detail::allocate<View>(label, n, std::make_index_sequence<N>());
}

/// The shape `leading + trailing`.
template <std::size_t N>
std::vector<py::ssize_t> joined(const std::vector<py::ssize_t>& leading,
                                const std::array<int, N>& trailing) {
  std::vector<py::ssize_t> shape = leading;
  for (int n : trailing) shape.push_back(n);
  return shape;
}

}  // namespace torus::python
