// torus._torus.crystal: crystals as (lattice, frac_coords, numbers) NumPy triples in and out of
// the library. The Python class torus.crystal.Crystal wraps the triple; nothing is computed here.

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <string>

#include "bindings.hpp"
#include "torus/core/error.hpp"
#include "torus/crystal/cif_read.hpp"
#include "torus/crystal/cif_write.hpp"
#include "torus/crystal/composition.hpp"
#include "torus/crystal/crystal_set.hpp"
#include "torus/crystal/elements.hpp"
#include "torus/crystal/lattice.hpp"
#include "torus/crystal/symmetry.hpp"
#include "torus/crystal/validate.hpp"

namespace torus::python {
namespace {

using Doubles = py::array_t<double, py::array::c_style | py::array::forcecast>;
using Ints = py::array_t<int, py::array::c_style | py::array::forcecast>;
using Triple = py::tuple;
namespace tc = torus::crystal;

tc::Lattice lattice_of(const Doubles& lattice) {
  TORUS_REQUIRE(lattice.ndim() == 2 && lattice.shape(0) == 3 && lattice.shape(1) == 3,
                "the lattice is not a 3x3 array", "lattice", "give rows a, b, c in Å");
  tc::Lattice l{};
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) l[i][j] = lattice.at(i, j);
  }
  return l;
}

// The crystal of a NumPy triple, validated (not wrapped: the caller's coordinates stay as given
// for validation, and the functions wrap what they return).
tc::Crystal crystal_of(const Doubles& lattice, const Doubles& frac, const Ints& numbers) {
  tc::Crystal c;
  c.lattice = lattice_of(lattice);
  TORUS_REQUIRE(frac.ndim() == 2 && frac.shape(1) == 3, "frac_coords is not an (n, 3) array",
                "frac_coords", "give one row of fractional coordinates per atom");
  TORUS_REQUIRE(numbers.ndim() == 1, "numbers is not a 1-D array", "numbers",
                "give one atomic number per atom");
  for (py::ssize_t a = 0; a < frac.shape(0); ++a) {
    c.frac_coords.push_back({frac.at(a, 0), frac.at(a, 1), frac.at(a, 2)});
  }
  for (py::ssize_t a = 0; a < numbers.shape(0); ++a) c.numbers.push_back(numbers.at(a));
  tc::validate(c, "crystal");
  return c;
}

Triple triple_of(const tc::Crystal& c) {
  Doubles lattice({3, 3});
  Doubles frac({static_cast<py::ssize_t>(c.size()), py::ssize_t{3}});
  Ints numbers(static_cast<py::ssize_t>(c.size()));
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) lattice.mutable_at(i, j) = c.lattice[i][j];
  }
  for (int a = 0; a < c.size(); ++a) {
    for (int k = 0; k < 3; ++k) frac.mutable_at(a, k) = c.frac_coords[a][k];
    numbers.mutable_at(a) = c.numbers[a];
  }
  return py::make_tuple(lattice, frac, numbers);
}

py::dict dict_of(const tc::SpaceGroup& g) {
  py::dict d;
  d["number"] = g.number;
  d["hall_number"] = g.hall_number;
  d["international"] = g.international;
  d["hall_symbol"] = g.hall_symbol;
  d["choice"] = g.choice;
  d["point_group"] = g.point_group;
  d["wyckoffs"] = g.wyckoffs;
  d["equivalent_atoms"] = g.equivalent_atoms;
  d["rotations"] = g.operations.rotations;
  d["translations"] = g.operations.translations;
  return d;
}

}  // namespace

void bind_crystal(py::module_& m) {
  m.def("lattice_from_parameters",
        [](double a, double b, double c, double alpha, double beta, double gamma) {
          const auto l = tc::lattice_from_parameters({a, b, c, alpha, beta, gamma});
          Doubles out({3, 3});
          for (int i = 0; i < 3; ++i) {
            for (int j = 0; j < 3; ++j) out.mutable_at(i, j) = l[i][j];
          }
          return out;
        });
  m.def("lattice_parameters", [](const Doubles& lattice) {
    const auto p = tc::lattice_parameters(lattice_of(lattice));
    return py::make_tuple(p.a, p.b, p.c, p.alpha, p.beta, p.gamma);
  });
  m.def("check", [](const Doubles& l, const Doubles& f, const Ints& z) {
    tc::Crystal c = crystal_of(l, f, z);
    return triple_of(tc::make_crystal(c.lattice, std::move(c.frac_coords), std::move(c.numbers)));
  });
  m.def("volume", [](const Doubles& l) { return tc::volume(lattice_of(l)); });
  m.def("density", [](const Doubles& l, const Doubles& f, const Ints& z) {
    return tc::density(crystal_of(l, f, z));
  });
  m.def("formula", [](const Doubles& l, const Doubles& f, const Ints& z) {
    return tc::formula(crystal_of(l, f, z));
  });
  m.def("reduced_formula", [](const Doubles& l, const Doubles& f, const Ints& z) {
    return tc::reduced_formula(crystal_of(l, f, z));
  });
  m.def("element", [](int z) {
    const auto& e = tc::element(z);
    py::dict d;
    d["z"] = e.z;
    d["symbol"] = e.symbol;
    d["mass"] = e.mass;
    d["electronegativity"] = e.electronegativity;
    d["oxidation_states"] = e.oxidation_states;
    d["all_oxidation_states"] = e.all_oxidation_states;
    d["metal"] = e.metal;
    return d;
  });
  m.def("read_cif_file",
        [](const std::string& path) { return triple_of(tc::read_cif_file(path)); });
  m.def("read_cif_string",
        [](const std::string& text) { return triple_of(tc::read_cif_string(text, "CIF text")); });
  m.def("write_cif",
        [](const Doubles& l, const Doubles& f, const Ints& z, const std::string& name) {
          return tc::write_cif(crystal_of(l, f, z), name);
        });
  m.def("write_cif_file",
        [](const Doubles& l, const Doubles& f, const Ints& z, const std::string& path) {
          tc::write_cif_file(crystal_of(l, f, z), path);
        });
  m.def("space_group", [](const Doubles& l, const Doubles& f, const Ints& z, double symprec,
                          double angle_tolerance) {
    return dict_of(tc::space_group(crystal_of(l, f, z), {symprec, angle_tolerance}));
  });
  m.def("standardize", [](const Doubles& l, const Doubles& f, const Ints& z, double symprec,
                          double angle_tolerance) {
    return triple_of(tc::standardize(crystal_of(l, f, z), {symprec, angle_tolerance}));
  });
  m.def("primitive", [](const Doubles& l, const Doubles& f, const Ints& z, double symprec,
                        double angle_tolerance) {
    return triple_of(tc::primitive(crystal_of(l, f, z), {symprec, angle_tolerance}));
  });
  m.def("refine", [](const Doubles& l, const Doubles& f, const Ints& z, double symprec,
                     double angle_tolerance) {
    return triple_of(tc::refine(crystal_of(l, f, z), {symprec, angle_tolerance}));
  });
  m.def("niggli_reduce", [](const Doubles& l, double eps) {
    const auto r = tc::niggli_reduce(lattice_of(l), eps);
    Doubles out({3, 3});
    for (int i = 0; i < 3; ++i) {
      for (int j = 0; j < 3; ++j) out.mutable_at(i, j) = r[i][j];
    }
    return out;
  });
  m.def("operations_of_hall", [](int hall) {
    const auto ops = tc::operations_of_hall(hall);
    return py::make_tuple(ops.rotations, ops.translations);
  });
  m.def("set_size", &tc::crystal_set_size);
  m.def("read_set", [](const std::string& path, std::int64_t begin, std::int64_t end) {
    const auto set = tc::read_crystal_set(path, begin, end);
    py::list crystals;
    for (const auto& c : set.crystals) crystals.append(triple_of(c));
    py::dict properties;
    for (const auto& col : set.numeric) {
      properties[py::str(col.name)] = py::array_t<double>(col.values.size(), col.values.data());
    }
    for (const auto& col : set.text) properties[py::str(col.name)] = col.values;
    return py::make_tuple(crystals, set.ids, properties);
  });
  m.def("spglib_version", &tc::spglib_version);
}

}  // namespace torus::python
