#pragma once
/// \file
/// What the files of the extension torus._torus give each other: one bind_* function per concept,
/// called in order by module.cpp, and the process-lifetime hooks of runtime.cpp.

#include <pybind11/pybind11.h>

#include <functional>

namespace torus::python {

namespace py = pybind11;

/// Registers torus.TorusError (a ValueError) and translates torus::Error into it.
void bind_errors(py::module_& m);

/// Starts the process's torus::Runtime and registers its shutdown with Python's atexit.
void bind_runtime(py::module_& m);

/// The real-to-complex and complex-to-real transforms (module torus._torus.fft).
void bind_fft(py::module_& fft);

/// The DCT-II and its inverse (also in torus._torus.fft).
void bind_dct(py::module_& fft);

/// The 2-D Navier–Stokes solver and its initial fields (module torus._torus.pde).
void bind_pde(py::module_& pde);

/// Training, evaluation and prediction of the neural operators (module torus._torus.operators).
void bind_operators(py::module_& operators);

/// Crystals, CIF, crystal sets and spglib symmetry (module torus._torus.crystal).
void bind_crystal(py::module_& crystal);

/// Powder X-ray patterns, electron densities, pattern similarity (also torus._torus.crystal).
void bind_crystal_xrd(py::module_& crystal);

/// Validity, fingerprints and the CSP and generation metrics (also in torus._torus.crystal).
void bind_crystal_metrics(py::module_& crystal);

/// Structure matching and neighbour lists (module torus._torus.crystal_matching).
void bind_crystal_matching(py::module_& parent);

/// Runs `release` at interpreter exit, before the Runtime finalises Kokkos, PETSc and MPI: the
/// place to free anything holding Views or FFTW plans. Hooks run in reverse registration order.
void on_shutdown(std::function<void()> release);

/// Throws torus::Error when the Runtime has already been shut down (a call from an atexit handler
/// that runs after torus's own).
void require_running(const char* caller);

}  // namespace torus::python
