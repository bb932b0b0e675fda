// torus._torus.fft.dct / idct: fft::DctPlan (the real DCT-II of T1 and its inverse) over the
// trailing 2 or 3 axes of NumPy arrays, with scipy.fft.dctn(type=2)'s normalisations.

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <Kokkos_Core.hpp>

#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "arrays.hpp"
#include "bindings.hpp"
#include "plans.hpp"
#include "torus/fft/dct.hpp"

namespace torus::python {
namespace {

template <class T, int Dim>
using HostDct = fft::DctPlan<T, Dim, Kokkos::HostSpace>;

enum class Direction { forward, inverse };

template <class T, int Dim>
py::array transform(const py::array& input, fft::Norm norm, Direction direction) {
  using Plan = HostDct<T, Dim>;

  const CArray<T> x = contiguous<T>(input);
  const FieldBatch<Dim> fields = split_fields<Dim>(x, "x");
  CArray<T> out(joined(fields.leading, fields.extents));
  if (fields.batch == 0) return std::move(out);

  const T* in_data = x.data();
  T* out_data = out.mutable_data();
  // Without the GIL, under the transform lock; the plan and Views go before the lock does.
  py::gil_scoped_release release;
  std::lock_guard<std::mutex> lock(transform_mutex());
  auto plan = plan_cache<PlanKey<Dim>, Plan>().get(plan_key(fields), [&] {
    return std::make_shared<Plan>(fields.extents, fields.batch, 1, plan_options());
  });
  // Input and output are both (batch, 1, field): the DCT keeps the extents.
  const auto xv = wrap<typename Plan::const_real_view>(in_data, plan->extents());
  const auto yv = wrap<typename Plan::real_view>(out_data, plan->extents());
  if (direction == Direction::forward) {
    plan->forward(xv, yv, norm);
  } else {
    plan->inverse(xv, yv, norm);
  }
  return std::move(out);
}

py::array transform_any(const py::array& x, int dims, const std::optional<std::string>& norm_name,
                        Direction direction) {
  require_running("torus.fft");
  const fft::Norm norm = norm_of(norm_name);
  const bool two = checked_dims(dims) == 2;
  if (py::isinstance<py::array_t<float>>(x)) {
    return two ? transform<float, 2>(x, norm, direction) : transform<float, 3>(x, norm, direction);
  }
  if (py::isinstance<py::array_t<double>>(x)) {
    return two ? transform<double, 2>(x, norm, direction)
               : transform<double, 3>(x, norm, direction);
  }
  throw py::type_error("the DCT takes a float32 or float64 array, got dtype " +
                       py::str(x.dtype()).cast<std::string>() +
                       " (torus.fft.dctn converts other real types)");
}

}  // namespace

void bind_dct(py::module_& fft) {
  fft.def(
      "dct",
      [](const py::array& x, int ndim, const std::optional<std::string>& norm) {
        return transform_any(x, ndim, norm, Direction::forward);
      },
      py::arg("x"), py::arg("ndim"), py::arg("norm") = py::none(),
      "DCT-II over the last `ndim` (2 or 3) axes of a float32 or float64 array; the leading\n"
      "axes are a batch. Equals scipy.fft.dctn(x, type=2, norm=norm) over those axes (None is\n"
      "\"backward\"), in the input's precision.");
  fft.def(
      "idct",
      [](const py::array& x, int ndim, const std::optional<std::string>& norm) {
        return transform_any(x, ndim, norm, Direction::inverse);
      },
      py::arg("x"), py::arg("ndim"), py::arg("norm") = py::none(),
      "Inverse of `dct` with the same `norm`: scipy.fft.idctn(x, type=2, norm=norm) over the\n"
      "last `ndim` axes.");
}

}  // namespace torus::python
