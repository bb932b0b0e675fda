// torus._torus.crystal (metrics): validity, fingerprints, Wasserstein distance and the CSP and
// generation metrics on NumPy triples (lattice (3, 3), frac_coords (N, 3), numbers (N,)). The
// Python functions of torus.crystal turn Crystal objects into triples; nothing is computed here.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <vector>

#include "bindings.hpp"
#include "torus/core/error.hpp"
#include "torus/crystal/compositional_validity.hpp"
#include "torus/crystal/coverage.hpp"
#include "torus/crystal/csp_metrics.hpp"
#include "torus/crystal/fingerprints.hpp"
#include "torus/crystal/generation_metrics.hpp"
#include "torus/crystal/structural_validity.hpp"
#include "torus/crystal/wasserstein.hpp"

namespace torus::python {
namespace {

namespace tc = torus::crystal;
using Doubles = py::array_t<double, py::array::c_style | py::array::forcecast>;
using Ints = py::array_t<int, py::array::c_style | py::array::forcecast>;

// The crystal of a (lattice, frac_coords, numbers) triple; shapes are checked, values are left
// for the metrics to judge (an invalid generated crystal is a result, not an error).
tc::Crystal crystal_of(const py::handle& triple, const std::string& name) {
  const auto parts = py::reinterpret_borrow<py::sequence>(triple);
  TORUS_REQUIRE(parts.size() == 3, "a crystal of " + std::to_string(parts.size()) + " parts", name,
                "pass (lattice, frac_coords, numbers)");
  const auto lattice = Doubles::ensure(parts[0]);
  const auto frac = Doubles::ensure(parts[1]);
  const auto numbers = Ints::ensure(parts[2]);
  TORUS_REQUIRE(lattice && frac && numbers, "the crystal's arrays are not numeric", name,
                "pass NumPy arrays or nested sequences");
  TORUS_REQUIRE(lattice.ndim() == 2 && lattice.shape(0) == 3 && lattice.shape(1) == 3,
                "the lattice is not 3x3", name, "give rows a, b, c in Å");
  TORUS_REQUIRE(frac.ndim() == 2 && frac.shape(1) == 3 && numbers.ndim() == 1 &&
                    numbers.shape(0) == frac.shape(0),
                "frac_coords must be (N, 3) and numbers (N,)", name,
                "give one row of fractional coordinates and one atomic number per atom");
  tc::Crystal c;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) c.lattice[i][j] = lattice.at(i, j);
  for (py::ssize_t a = 0; a < frac.shape(0); ++a) {
    c.frac_coords.push_back({frac.at(a, 0), frac.at(a, 1), frac.at(a, 2)});
    c.numbers.push_back(numbers.at(a));
  }
  return c;
}

std::vector<tc::Crystal> crystals_of(const py::sequence& list, const std::string& name) {
  std::vector<tc::Crystal> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    out.push_back(crystal_of(list[i], name + "[" + std::to_string(i) + "]"));
  }
  return out;
}

}  // namespace

void bind_crystal_metrics(py::module_& m) {
  m.def(
      "structural_validity",
      [](const py::sequence& c, double min_distance, double min_volume) {
        return tc::structural_validity(crystal_of(c, "crystal"), {min_distance, min_volume});
      },
      py::arg("crystal"), py::arg("min_distance") = 0.5, py::arg("min_volume") = 0.1);
  m.def("shortest_distance", [](const py::sequence& c, double search_radius) {
    return tc::shortest_distance(crystal_of(c, "crystal"), search_radius);
  });
  m.def(
      "compositional_validity",
      [](const std::vector<int>& numbers, const std::string& oxidation_states) {
        return tc::compositional_validity(
            numbers, {tc::parse_oxidation_states(oxidation_states, "oxidation_states")});
      },
      py::arg("numbers"), py::arg("oxidation_states") = "all");
  m.def("wasserstein_distance", [](std::vector<double> u, std::vector<double> v) {
    return tc::wasserstein_distance(std::move(u), std::move(v));
  });
  m.def("structure_fingerprint", [](const py::sequence& c, double cutoff, int bins, double sigma) {
    return tc::structure_fingerprint(crystal_of(c, "crystal"), {cutoff, bins, sigma});
  });
  m.def("composition_fingerprint",
        [](const std::vector<int>& numbers) { return tc::composition_fingerprint(numbers); });
  m.def("structure_fingerprint_distance", &tc::structure_fingerprint_distance);
  m.def("composition_fingerprint_distance", &tc::euclidean_distance);
  m.def("default_coverage_cutoffs", [] {
    const tc::CoverageCutoffs c;
    return py::make_tuple(c.structure, c.composition);
  });
  m.def("metrics_csp", [](const py::sequence& generated, const py::sequence& reference,
                          const std::string& oxidation_states) {
    const auto m =
        tc::metrics_csp(crystals_of(generated, "generated"), crystals_of(reference, "reference"),
                        tc::csp_matcher_options(),
                        {tc::parse_oxidation_states(oxidation_states, "oxidation_states")});
    py::dict d;
    d["pairs"] = m.pairs;
    d["valid"] = m.valid;
    d["matched"] = m.matched;
    d["match_rate"] = m.match_rate;
    d["rmse"] = m.rmse;
    return d;
  });
  m.def("metrics_gen",
        [](const py::sequence& generated, const py::sequence& reference, double struct_cutoff,
           double comp_cutoff, const std::string& oxidation_states) {
          tc::GenerationOptions options;
          options.cutoffs = {struct_cutoff, comp_cutoff};
          options.composition.oxidation_states =
              tc::parse_oxidation_states(oxidation_states, "oxidation_states");
          const auto m = tc::metrics_gen(crystals_of(generated, "generated"),
                                         crystals_of(reference, "reference"), options);
          py::dict d;
          d["generated"] = m.generated;
          d["reference"] = m.reference;
          d["struct_valid"] = m.struct_valid;
          d["comp_valid"] = m.comp_valid;
          d["valid"] = m.valid;
          d["struct_validity"] = m.struct_validity;
          d["comp_validity"] = m.comp_validity;
          d["validity"] = m.validity;
          d["cov_recall"] = m.cov_recall;
          d["cov_precision"] = m.cov_precision;
          d["emd_density"] = m.emd_density;
          d["emd_elements"] = m.emd_elements;
          return d;
        });
}

}  // namespace torus::python
