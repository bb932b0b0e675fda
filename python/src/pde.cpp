// torus._torus.pde: the 2-D Navier–Stokes solver and its initial fields on NumPy arrays.
//
// Every call works on an undistributed grid (MPI_COMM_SELF): under mpiexec each rank simulates
// its own samples. The keyword conventions (forcing names, presets) live in python/torus/pde.py.

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <Kokkos_Core.hpp>

#include <cmath>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "arrays.hpp"
#include "bindings.hpp"
#include "torus/core/error.hpp"
#include "torus/core/runtime.hpp"
#include "torus/fft/grid.hpp"
#include "torus/pde/initial_fields.hpp"
#include "torus/pde/ns2d_dataset.hpp"
#include "torus/pde/ns2d_solver.hpp"

namespace torus::python {
namespace {

using Real = fft::RealField<double, 2>;

// The (batch, n0, n1) float64 array w0 (or (n0, n1)) as fields.
FieldBatch<2> vorticity_fields(const CArray<double>& w0) {
  TORUS_REQUIRE(w0.ndim() == 2 || w0.ndim() == 3,
                "w0 has shape " + shape_text(w0) + ", not (x, y) or (batch, x, y)", "w0",
                "pass one vorticity field or a batch of them");
  const FieldBatch<2> fields = split_fields<2>(w0, "w0");
  TORUS_REQUIRE(fields.batch >= 1, "w0 holds no field", "w0", "pass at least one field");
  return fields;
}

// ns2d(w0, nu, times, dt, scheme, forcing, wavenumber, amplitude, drag, lengths, check_every,
//      max_cfl) -> (snapshots (batch, times, x, y), times): the vorticity at every time of
// `times` (increasing, >= 0; a time 0 stores w0).
std::pair<py::array, py::array> ns2d(const py::array& w0_in, double nu,
                                     const std::vector<double>& times, double dt,
                                     const std::string& scheme, const std::string& forcing,
                                     int wavenumber, double amplitude, double drag,
                                     std::pair<double, double> lengths, int check_every,
                                     double max_cfl) {
  require_running("torus.pde.ns2d");
  const CArray<double> w0 = contiguous<double>(w0_in);
  const FieldBatch<2> fields = vorticity_fields(w0);
  TORUS_REQUIRE(!times.empty(), "no output time", "times", "ask for at least one time");
  for (std::size_t s = 0; s < times.size(); ++s) {
    TORUS_REQUIRE(std::isfinite(times[s]) && times[s] >= 0 && (s == 0 || times[s] > times[s - 1]),
                  "the output times must be finite, >= 0 and increasing", "times",
                  "pass increasing times from 0 on");
  }

  pde::Ns2dOptions options;
  options.parameters.nu = nu;
  options.parameters.forcing = {pde::parse_forcing(forcing), wavenumber, amplitude, drag};
  options.scheme = scheme;
  options.dt = dt;
  options.check_every = check_every;
  options.max_cfl = max_cfl;
  options.petsc_prefix = "ns2d_";

  const fft::Grid<2> grid({fields.extents[0], fields.extents[1]}, MPI_COMM_SELF, {},
                          {lengths.first, lengths.second});
  const std::size_t batch = fields.batch, n0 = fields.extents[0], n1 = fields.extents[1];
  const std::size_t field = n0 * n1, count = times.size();
  CArray<double> snapshots(std::vector<py::ssize_t>{py::ssize_t(batch), py::ssize_t(count),
                                                    py::ssize_t(n0), py::ssize_t(n1)});
  CArray<double> stored(std::vector<py::ssize_t>{py::ssize_t(count)});
  {
    py::gil_scoped_release unlocked;
    pde::Ns2dSolver solver(grid, fields.batch, options);
    Real omega = solver.plan().make_real("torus.pde.ns2d omega");
    auto host = Kokkos::create_mirror_view(omega);
    std::memcpy(host.data(), w0.data(), batch * field * sizeof(double));
    Kokkos::deep_copy(omega, host);
    solver.set_vorticity(omega);
    double* out = snapshots.mutable_data();
    for (std::size_t s = 0; s < count; ++s) {
      solver.advance_to(times[s]);
      solver.vorticity(omega);
      Kokkos::deep_copy(host, omega);
      for (std::size_t b = 0; b < batch; ++b)
        std::memcpy(out + (b * count + s) * field, host.data() + b * field, field * sizeof(double));
      stored.mutable_data()[s] = solver.time();
    }
  }
  return {std::move(snapshots), std::move(stored)};
}

// A preset of `torus ns2d generate` as a dict.
py::dict preset(const std::string& name) {
  const pde::Ns2dPreset p = pde::ns2d_preset(name);
  py::dict solver;
  solver["nu"] = p.solver.parameters.nu;
  solver["dt"] = p.solver.dt;
  solver["scheme"] = p.solver.scheme;
  solver["forcing"] = pde::to_string(p.solver.parameters.forcing.kind);
  solver["wavenumber"] = p.solver.parameters.forcing.wavenumber;
  solver["amplitude"] = p.solver.parameters.forcing.amplitude;
  solver["drag"] = p.solver.parameters.forcing.drag;
  solver["times"] = p.times;
  py::dict field;
  field["alpha"] = p.field.alpha;
  field["tau"] = p.field.tau;
  field["sigma"] = p.field.sigma ? py::cast(*p.field.sigma) : py::none();
  py::dict out;
  out["name"] = p.name;
  out["n"] = p.n;
  out["stored"] = p.stored;
  out["samples"] = p.samples;
  out["batch"] = p.batch;
  out["ns2d"] = solver;
  out["field"] = field;
  return out;
}

// Generates (or resumes) a data set; collective over the ranks torus runs on.
py::dict generate(const std::string& preset_name, std::int64_t samples, std::uint64_t seed,
                  const std::string& output, int batch, const std::string& resample) {
  require_running("torus.pde.generate");
  pde::Ns2dDatasetOptions options;
  options.preset = pde::ns2d_preset(preset_name);
  options.samples = samples > 0 ? samples : options.preset.samples;
  options.seed = seed;
  options.batch = batch;
  TORUS_REQUIRE(resample == "stride" || resample == "spectral",
                "unknown resampling '" + resample + "'", "resample", "pass stride or spectral");
  options.resample = resample == "stride" ? pde::Ns2dResample::stride : pde::Ns2dResample::spectral;
  options.output = output;
  pde::Ns2dDatasetReport report;
  {
    py::gil_scoped_release unlocked;
    report = pde::generate_ns2d_dataset(Runtime::current().comm(), options);
  }
  py::dict out;
  out["samples_simulated"] = report.samples_simulated;
  out["samples_resumed"] = report.samples_resumed;
  out["already_complete"] = report.already_complete;
  out["seconds"] = report.seconds;
  return out;
}

// The FNO Gaussian random field: samples first_sample .. first_sample + samples - 1.
py::array gaussian_random_field(int n0, int n1, int samples, std::uint64_t seed,
                                std::uint64_t first_sample, double alpha, double tau,
                                std::optional<double> sigma, std::pair<double, double> lengths) {
  require_running("torus.pde.gaussian_random_field");
  TORUS_REQUIRE(samples >= 1, "samples must be >= 1", "samples", "ask for at least one field");
  CArray<double> out(std::vector<py::ssize_t>{samples, n0, n1});
  {
    py::gil_scoped_release unlocked;
    const fft::Grid<2> grid({n0, n1}, MPI_COMM_SELF, {}, {lengths.first, lengths.second});
    fft::Plan<double, 2> plan(grid, samples, 1);
    Real omega = plan.make_real("torus.pde.gaussian_random_field");
    pde::GaussianFieldOptions options;
    options.alpha = alpha;
    options.tau = tau;
    options.sigma = sigma;
    pde::gaussian_random_field(grid, plan, omega, seed, first_sample, options);
    auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), omega);
    std::memcpy(out.mutable_data(), host.data(), host.size() * sizeof(double));
  }
  return std::move(out);
}

}  // namespace

void bind_pde(py::module_& pde) {
  pde.def("ns2d", &ns2d, py::arg("w0"), py::arg("nu"), py::arg("times"), py::arg("dt"),
          py::arg("scheme"), py::arg("forcing"), py::arg("wavenumber"), py::arg("amplitude"),
          py::arg("drag"), py::arg("lengths"), py::arg("check_every"), py::arg("max_cfl"));
  pde.def("preset_names", &pde::ns2d_preset_names);
  pde.def("preset", &preset, py::arg("name"));
  pde.def("generate", &generate, py::arg("preset"), py::arg("samples"), py::arg("seed"),
          py::arg("output"), py::arg("batch"), py::arg("resample"));
  pde.def("gaussian_random_field", &gaussian_random_field, py::arg("n0"), py::arg("n1"),
          py::arg("samples"), py::arg("seed"), py::arg("first_sample"), py::arg("alpha"),
          py::arg("tau"), py::arg("sigma"), py::arg("lengths"));
  pde.def("schemes", &pde::ns2d_schemes);
  pde.def("scheme_order", &pde::ns2d_scheme_order, py::arg("scheme"));
}

}  // namespace torus::python
