// torus._torus.fft.r2c / c2r: fft::Plan over the trailing 2 or 3 axes of NumPy arrays.
//
// The fields are transformed on an undistributed Grid (MPI_COMM_SELF): under mpiexec every rank
// transforms its own arrays, as NumPy would. The leading axes are the plan's batch (one channel).
// NumPy's argument conventions (s, axes, negative axes, cropping and padding) live in
// python/torus/fft.py; these functions see arrays whose trailing axes are exactly the fields.

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <Kokkos_Core.hpp>

#include <array>
#include <complex>
#include <cstring>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "arrays.hpp"
#include "bindings.hpp"
#include "plans.hpp"
#include "torus/core/error.hpp"
#include "torus/fft/grid.hpp"
#include "torus/fft/norm.hpp"
#include "torus/fft/plan.hpp"

namespace torus::python {
namespace {

template <class T, int Dim>
using HostPlan = fft::Plan<T, Dim, Kokkos::HostSpace>;

/// The cached plan for `fields`; call with transform_mutex() held.
template <class T, int Dim>
std::shared_ptr<HostPlan<T, Dim>> plan_for(const FieldBatch<Dim>& fields) {
  return plan_cache<PlanKey<Dim>, HostPlan<T, Dim>>().get(plan_key(fields), [&] {
    return std::make_shared<HostPlan<T, Dim>>(fft::Grid<Dim>(fields.extents), fields.batch, 1,
                                              plan_options());
  });
}

// ---- real to complex ----------------------------------------------------------------------------

template <class T, int Dim>
py::array r2c(const py::array& input, fft::Norm norm) {
  using Plan = HostPlan<T, Dim>;
  using Complex = Kokkos::complex<T>;

  const CArray<T> x = contiguous<T>(input);
  const FieldBatch<Dim> fields = split_fields<Dim>(x, "x");
  std::array<int, Dim> spectral = fields.extents;
  spectral[Dim - 1] = fields.extents[Dim - 1] / 2 + 1;
  CArray<std::complex<T>> out(joined(fields.leading, spectral));
  if (fields.batch == 0) return std::move(out);

  const T* in_data = x.data();
  auto* out_data = reinterpret_cast<Complex*>(out.mutable_data());
  // Without the GIL, under the transform lock; the plan and Views go before the lock does.
  py::gil_scoped_release release;
  std::lock_guard<std::mutex> lock(transform_mutex());
  auto plan = plan_for<T, Dim>(fields);
  const auto xv = wrap<typename Plan::const_real_view>(in_data, plan->real_extents());
  if (aligned_for<Complex>(out_data)) {
    plan->forward(xv, wrap<typename Plan::spectral_view>(out_data, plan->spectral_extents()), norm);
  } else {
    auto y = allocate<typename Plan::spectral_view>("torus.fft.r2c", plan->spectral_extents());
    plan->forward(xv, y, norm);
    std::memcpy(static_cast<void*>(out_data), y.data(), y.span() * sizeof(Complex));
  }
  return std::move(out);
}

py::array r2c_any(const py::array& x, int dims, const std::optional<std::string>& norm_name) {
  require_running("torus.fft");
  const fft::Norm norm = norm_of(norm_name);
  const bool two = checked_dims(dims) == 2;
  if (py::isinstance<py::array_t<float>>(x)) {
    return two ? r2c<float, 2>(x, norm) : r2c<float, 3>(x, norm);
  }
  if (py::isinstance<py::array_t<double>>(x)) {
    return two ? r2c<double, 2>(x, norm) : r2c<double, 3>(x, norm);
  }
  throw py::type_error("r2c takes a float32 or float64 array, got dtype " +
                       py::str(x.dtype()).cast<std::string>() +
                       " (torus.fft.rfftn converts other real types)");
}

// ---- complex to real ----------------------------------------------------------------------------

template <class T, int Dim>
py::array c2r(const py::array& input, const std::vector<int>& shape, fft::Norm norm,
              bool overwrite_input) {
  using Plan = HostPlan<T, Dim>;
  using Complex = Kokkos::complex<T>;

  CArray<std::complex<T>> x = contiguous<std::complex<T>, Complex>(input);
  const FieldBatch<Dim> fields = split_fields<Dim>(x, "x");
  FieldBatch<Dim> output = fields;
  std::array<int, Dim> expected;
  for (int a = 0; a < Dim; ++a) {
    TORUS_REQUIRE(shape[a] >= 1,
                  "the output shape has an axis of length " + std::to_string(shape[a]), "shape",
                  "give output lengths of 1 or more");
    output.extents[a] = shape[a];
    expected[a] = shape[a];
  }
  expected[Dim - 1] = shape[Dim - 1] / 2 + 1;
  TORUS_REQUIRE(fields.extents == expected,
                "x has shape " + shape_text(x) + " but an output of " +
                    fft::format_extents<Dim>(output.extents) + " needs trailing axes " +
                    fft::format_extents<Dim>(expected),
                "x", "crop or zero-pad the last axis to n // 2 + 1 (torus.fft.irfftn does)");
  CArray<T> out(joined(fields.leading, output.extents));
  if (fields.batch == 0) return std::move(out);

  // c2r destroys its input: use x as scratch only if it is a copy or the caller allows it.
  const bool scratch_is_x = (overwrite_input || !x.is(input)) && x.writeable();
  Complex* in_data = scratch_is_x ? reinterpret_cast<Complex*>(x.mutable_data()) : nullptr;
  const void* in_copy = x.data();
  T* out_data = out.mutable_data();
  // Without the GIL, under the transform lock; the plan and Views go before the lock does.
  py::gil_scoped_release release;
  std::lock_guard<std::mutex> lock(transform_mutex());
  auto plan = plan_for<T, Dim>(output);
  typename Plan::spectral_view xv;
  if (scratch_is_x) {
    xv = wrap<typename Plan::spectral_view>(in_data, plan->spectral_extents());
  } else {
    xv = allocate<typename Plan::spectral_view>("torus.fft.c2r", plan->spectral_extents());
    std::memcpy(static_cast<void*>(xv.data()), in_copy, xv.span() * sizeof(Complex));
  }
  if (aligned_for<T>(out_data)) {
    plan->backward_overwriting(xv, wrap<typename Plan::real_view>(out_data, plan->real_extents()),
                               norm);
  } else {
    auto y = allocate<typename Plan::real_view>("torus.fft.c2r", plan->real_extents());
    plan->backward_overwriting(xv, y, norm);
    std::memcpy(out_data, y.data(), y.span() * sizeof(T));
  }
  return std::move(out);
}

py::array c2r_any(const py::array& x, const std::vector<int>& shape,
                  const std::optional<std::string>& norm_name, bool overwrite_input) {
  require_running("torus.fft");
  const fft::Norm norm = norm_of(norm_name);
  const bool two = checked_dims(static_cast<int>(shape.size())) == 2;
  if (py::isinstance<py::array_t<std::complex<float>>>(x)) {
    return two ? c2r<float, 2>(x, shape, norm, overwrite_input)
               : c2r<float, 3>(x, shape, norm, overwrite_input);
  }
  if (py::isinstance<py::array_t<std::complex<double>>>(x)) {
    return two ? c2r<double, 2>(x, shape, norm, overwrite_input)
               : c2r<double, 3>(x, shape, norm, overwrite_input);
  }
  throw py::type_error("c2r takes a complex64 or complex128 array, got dtype " +
                       py::str(x.dtype()).cast<std::string>() +
                       " (torus.fft.irfftn converts other types)");
}

}  // namespace

void bind_fft(py::module_& fft) {
  bind_plans(fft);

  fft.def(
      "parse_norm",
      [](const std::optional<std::string>& name) { return fft::to_string(norm_of(name)); },
      py::arg("norm"),
      "The normalisation name torus uses for `norm` (None -> \"backward\"). Raises TorusError\n"
      "for anything but None, \"backward\", \"ortho\" and \"forward\".");

  fft.def("r2c", &r2c_any, py::arg("x"), py::arg("ndim"), py::arg("norm") = py::none(),
          "Real-to-complex DFT over the last `ndim` (2 or 3) axes of a float32 or float64 array;\n"
          "the leading axes are a batch. Equals numpy.fft.rfftn over those axes, in the input's\n"
          "precision: the last axis of the result has n // 2 + 1 entries.");

  fft.def("c2r", &c2r_any, py::arg("x"), py::arg("shape"), py::arg("norm") = py::none(),
          py::arg("overwrite_input") = false,
          "Complex-to-real inverse DFT over the last len(shape) (2 or 3) axes of a complex64 or\n"
          "complex128 array whose trailing axes are (*shape[:-1], shape[-1] // 2 + 1); the\n"
          "leading axes are a batch. Equals numpy.fft.irfftn(x, s=shape) for such input. With\n"
          "overwrite_input the input array may be used as scratch and left with garbage.");
}

}  // namespace torus::python
