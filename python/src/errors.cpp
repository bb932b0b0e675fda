// torus::Error -> torus.TorusError. The class derives from ValueError, because almost every
// torus::Error is bad input; the instance carries the message parts as attributes, so Python code
// can show the fix without parsing the text.

#include <Python.h>

#include <exception>

#include "bindings.hpp"
#include "torus/core/error.hpp"

namespace torus::python {
namespace {

// The class object; owned by the module too, so it lives as long as the interpreter.
PyObject* g_torus_error = nullptr;

void translate(std::exception_ptr thrown) {
  try {
    if (thrown) std::rethrow_exception(thrown);
  } catch (const torus::Error& error) {
    py::object instance = py::reinterpret_borrow<py::object>(g_torus_error)(error.what());
    instance.attr("problem") = error.problem();
    instance.attr("input") = error.input();
    instance.attr("fix") = error.fix();
    PyErr_SetObject(g_torus_error, instance.ptr());
  }
}

}  // namespace

void bind_errors(py::module_& m) {
  const char* doc =
      "Bad input or environment reported by the torus library.\n\n"
      "A ValueError whose message says what is wrong, which input is at fault and what to do.\n"
      "The parts are also attributes: `problem`, `input` and `fix` (strings, possibly empty).";
  g_torus_error = PyErr_NewExceptionWithDoc("torus.TorusError", doc, PyExc_ValueError, nullptr);
  if (g_torus_error == nullptr) throw py::error_already_set();
  m.add_object("TorusError", py::reinterpret_borrow<py::object>(g_torus_error));
  py::register_exception_translator(&translate);
}

}  // namespace torus::python
