// torus._torus.crystal_matching: the structure matcher and the periodic neighbour lists on NumPy
// arrays. A crystal is a tuple (lattice (3, 3) with rows a, b, c in Å, fractional coordinates
// (N, 3), atomic numbers (N,)); anything NumPy can turn into those arrays will do.

#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <Kokkos_Core.hpp>

#include <string>

#include "bindings.hpp"
#include "torus/core/error.hpp"
#include "torus/crystal/neighbor_list.hpp"
#include "torus/crystal/structure_matcher.hpp"

namespace torus::python {
namespace {

using crystal::Crystal;
using Doubles = py::array_t<double, py::array::c_style | py::array::forcecast>;
using Ints = py::array_t<int, py::array::c_style | py::array::forcecast>;

std::string shape_of(const py::array& a) {
  std::string text = "(";
  for (py::ssize_t i = 0; i < a.ndim(); ++i) text += (i ? ", " : "") + std::to_string(a.shape(i));
  return text + ")";
}

Crystal to_crystal(const py::handle& lattice_in, const py::handle& frac_in,
                   const py::handle& numbers_in, const char* name) {
  const Doubles lattice = Doubles::ensure(lattice_in);
  const Doubles frac = Doubles::ensure(frac_in);
  const Ints numbers = Ints::ensure(numbers_in);
  TORUS_REQUIRE(lattice && frac && numbers, "the crystal's arrays are not numeric", name,
                "pass (lattice, frac_coords, numbers) as NumPy arrays or nested sequences");
  TORUS_REQUIRE(lattice.ndim() == 2 && lattice.shape(0) == 3 && lattice.shape(1) == 3,
                "the lattice has shape " + shape_of(lattice), name, "pass a 3x3 lattice");
  const bool empty = frac.size() == 0 && numbers.size() == 0;
  TORUS_REQUIRE(empty || (frac.ndim() == 2 && frac.shape(1) == 3),
                "the fractional coordinates have shape " + shape_of(frac), name,
                "pass fractional coordinates of shape (N, 3)");
  TORUS_REQUIRE(numbers.ndim() == 1, "the atomic numbers have shape " + shape_of(numbers), name,
                "pass atomic numbers of shape (N,)");
  Crystal c;
  const double* l = lattice.data();
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) c.lattice[i][j] = l[3 * i + j];
  const py::ssize_t n = empty ? 0 : frac.shape(0);
  TORUS_REQUIRE(
      numbers.shape(0) == n,
      std::to_string(n) + " positions but " + std::to_string(numbers.shape(0)) + " atomic numbers",
      name, "give one atomic number per atom");
  c.frac_coords.resize(static_cast<std::size_t>(n));
  c.numbers.resize(static_cast<std::size_t>(n));
  const double* f = frac.data();
  const int* z = numbers.data();
  for (py::ssize_t s = 0; s < n; ++s) {
    c.frac_coords[s] = {f[3 * s], f[3 * s + 1], f[3 * s + 2]};
    c.numbers[s] = z[s];
  }
  return c;
}

Crystal to_crystal(const py::sequence& parts, const char* name) {
  TORUS_REQUIRE(parts.size() == 3, "a crystal of " + std::to_string(parts.size()) + " parts", name,
                "pass a tuple (lattice, frac_coords, numbers)");
  return to_crystal(parts[0], parts[1], parts[2], name);
}

// Edges as a dict of NumPy arrays, copied out of the Views.
py::dict edges_to_numpy(const crystal::NeighborList& e) {
  const auto src = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), e.src);
  const auto dst = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), e.dst);
  const auto image = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), e.image);
  const auto distance = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), e.distance);
  const py::ssize_t n = e.size();
  py::array_t<std::int64_t> src_out(n), dst_out(n);
  py::array_t<std::int64_t> image_out({n, py::ssize_t{3}});
  py::array_t<double> distance_out(n);
  auto s = src_out.mutable_unchecked<1>();
  auto d = dst_out.mutable_unchecked<1>();
  auto im = image_out.mutable_unchecked<2>();
  auto r = distance_out.mutable_unchecked<1>();
  for (py::ssize_t k = 0; k < n; ++k) {
    s(k) = src(k);
    d(k) = dst(k);
    for (int c = 0; c < 3; ++c) im(k, c) = image(k, c);
    r(k) = distance(k);
  }
  py::dict out;
  out["src"] = src_out;
  out["dst"] = dst_out;
  out["image"] = image_out;
  out["distance"] = distance_out;
  return out;
}

}  // namespace

void bind_crystal_matching(py::module_& parent) {
  py::module_ m = parent.def_submodule(
      "crystal_matching",
      "Structure matching (pymatgen's semantics) and periodic neighbour lists.");

  py::class_<crystal::StructureMatcher>(
      m, "StructureMatcher",
      "Decides whether two crystals are the same structure, with the semantics of pymatgen's\n"
      "StructureMatcher (species-exact comparator). A crystal is (lattice, frac_coords, numbers).")
      .def(
          py::init([](double ltol, double stol, double angle_tol, bool primitive_cell, bool scale) {
            crystal::MatcherOptions o;
            o.ltol = ltol;
            o.stol = stol;
            o.angle_tol = angle_tol;
            o.primitive_cell = primitive_cell;
            o.scale = scale;
            return crystal::StructureMatcher(o);
          }),
          py::arg("ltol") = 0.2, py::arg("stol") = 0.3, py::arg("angle_tol") = 5.0,
          py::arg("primitive_cell") = true, py::arg("scale") = true)
      .def(
          "fit",
          [](const crystal::StructureMatcher& self, const py::sequence& a, const py::sequence& b) {
            const Crystal ca = to_crystal(a, "crystal a");
            const Crystal cb = to_crystal(b, "crystal b");
            py::gil_scoped_release release;
            return self.fit(ca, cb);
          },
          py::arg("a"), py::arg("b"), "True when the two crystals match within the tolerances.")
      .def(
          "get_rms_dist",
          [](const crystal::StructureMatcher& self, const py::sequence& a,
             const py::sequence& b) -> py::object {
            const Crystal ca = to_crystal(a, "crystal a");
            const Crystal cb = to_crystal(b, "crystal b");
            std::optional<crystal::MatchDistance> d;
            {
              py::gil_scoped_release release;
              d = self.get_rms_dist(ca, cb);
            }
            if (!d) return py::none();
            return py::make_tuple(d->rms, d->max_dist);
          },
          py::arg("a"), py::arg("b"),
          "(rms, max_dist) normalised by (V/N)^(1/3), or None when the crystals do not match.");

  m.def(
      "neighbor_list",
      [](const py::handle& lattice, const py::handle& frac, const py::handle& numbers,
         double cutoff, int max_neighbors) {
        require_running("torus.crystal_matching.neighbor_list");
        const Crystal c = to_crystal(lattice, frac, numbers, "neighbor_list crystal");
        const auto batch = crystal::CrystalBatch::from_crystals({c});
        return edges_to_numpy(crystal::neighbor_list(batch, cutoff, max_neighbors));
      },
      py::arg("lattice"), py::arg("frac"), py::arg("numbers"), py::arg("cutoff"),
      py::arg("max_neighbors") = 0,
      "Edges i -> j + n with |(f_j + n - f_i) L| <= cutoff as a dict of arrays src, dst, image\n"
      "(n) and distance, nearest first per atom; max_neighbors > 0 keeps that many per atom.");

  m.def(
      "fully_connected_graph",
      [](const py::handle& lattice, const py::handle& frac, const py::handle& numbers) {
        require_running("torus.crystal_matching.fully_connected_graph");
        const Crystal c = to_crystal(lattice, frac, numbers, "fully_connected_graph crystal");
        const auto batch = crystal::CrystalBatch::from_crystals({c});
        return edges_to_numpy(crystal::fully_connected_graph(batch));
      },
      py::arg("lattice"), py::arg("frac"), py::arg("numbers"),
      "Every ordered pair i != j with the minimum-image offset, as neighbor_list returns edges.");
}

}  // namespace torus::python
