// torus._torus: the compiled half of the `torus` Python package. It holds no numerics of its own:
// it starts the runtime, translates errors and moves NumPy arrays in and out of the library. The
// Python modules in python/torus/ give it NumPy's calling conventions.

#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "torus/version.hpp"

PYBIND11_MODULE(_torus, m) {
  namespace py = pybind11;
  using namespace torus::python;

  m.doc() = "Compiled core of the torus package; use the functions of torus and torus.fft.";
  m.attr("__version__") = TORUS_VERSION_STRING;

  // Errors first, so that a failure to start the runtime already arrives as a TorusError.
  bind_errors(m);
  bind_runtime(m);

  py::module_ fft =
      m.def_submodule("fft", "Low-level transforms over the trailing axes of arrays.");
  bind_fft(fft);
  bind_dct(fft);

  py::module_ pde = m.def_submodule("pde", "The 2-D Navier-Stokes solver on NumPy arrays.");
  bind_pde(pde);

  py::module_ operators = m.def_submodule(
      "operators", "Training, evaluation and prediction of the neural operators (FNO2d, T1).");
  bind_operators(operators);

  py::module_ crystal = m.def_submodule(
      "crystal",
      "Crystals as (lattice, frac_coords, numbers): CIF, crystal sets, spglib symmetry.");
  bind_crystal(crystal);
  bind_crystal_metrics(crystal);
  bind_crystal_xrd(crystal);
  bind_crystal_matching(m);
}
