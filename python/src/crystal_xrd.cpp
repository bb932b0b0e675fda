// torus._torus.crystal, X-ray part: powder patterns, electron densities and pattern similarity
// on (lattice, frac_coords, numbers) triples. The Python wrappers in torus/crystal.py (section
// "X-ray diffraction") take Crystal objects and pymatgen Structures.

#include <pybind11/numpy.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bindings.hpp"
#include "torus/core/error.hpp"
#include "torus/crystal/electron_density.hpp"
#include "torus/crystal/elements.hpp"
#include "torus/crystal/validate.hpp"
#include "torus/crystal/xrd.hpp"
#include "torus/crystal/xrd_similarity.hpp"

namespace torus::python {
namespace {

namespace tc = torus::crystal;
using Doubles = py::array_t<double, py::array::c_style | py::array::forcecast>;
using Ints = py::array_t<int, py::array::c_style | py::array::forcecast>;

tc::Crystal crystal_of(const Doubles& lattice, const Doubles& frac, const Ints& numbers) {
  TORUS_REQUIRE(lattice.ndim() == 2 && lattice.shape(0) == 3 && lattice.shape(1) == 3,
                "the lattice is not a 3x3 array", "lattice", "give rows a, b, c in Å");
  TORUS_REQUIRE(frac.ndim() == 2 && frac.shape(1) == 3 && numbers.ndim() == 1 &&
                    numbers.shape(0) == frac.shape(0),
                "frac_coords is not (n, 3) or numbers is not (n,)", "crystal",
                "give one row of fractional coordinates and one atomic number per atom");
  tc::Crystal c;
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) c.lattice[i][j] = lattice.at(i, j);
  }
  for (py::ssize_t a = 0; a < frac.shape(0); ++a) {
    c.frac_coords.push_back({frac.at(a, 0), frac.at(a, 1), frac.at(a, 2)});
    c.numbers.push_back(numbers.at(a));
  }
  tc::validate(c, "crystal");
  return c;
}

// A Mott-Bethe table from {Z: [(a_1, b_1), ...]} (pymatgen's coefficient layout).
tc::FormFactorTable mott_bethe_table(
    const std::map<int, std::vector<std::pair<double, double>>>& coefficients) {
  std::vector<tc::FormFactorGaussians> by_z(tc::max_atomic_number + 1);
  for (const auto& [z, pairs] : coefficients) {
    TORUS_REQUIRE(z >= 1 && z <= tc::max_atomic_number,
                  "atomic number " + std::to_string(z) + " is outside 1 ... 100", "mott_bethe",
                  "key the coefficients by Z");
    for (const auto& [a, b] : pairs) {
      by_z[z].a.push_back(a);
      by_z[z].b.push_back(b);
    }
  }
  return tc::FormFactorTable(tc::FormFactorForm::mott_bethe, std::move(by_z),
                             "Mott-Bethe coefficients given by the caller");
}

py::dict dict_of(const tc::XrdPattern& pattern) {
  const auto n = static_cast<py::ssize_t>(pattern.peaks.size());
  Doubles two_theta(n), intensity(n), d(n);
  py::list hkls;
  for (py::ssize_t i = 0; i < n; ++i) {
    const auto& p = pattern.peaks[static_cast<std::size_t>(i)];
    two_theta.mutable_at(i) = p.two_theta;
    intensity.mutable_at(i) = p.intensity;
    d.mutable_at(i) = p.d_spacing;
    py::list families;
    for (const auto& f : p.families) {
      py::dict family;
      family["hkl"] = py::make_tuple(f.hkl[0], f.hkl[1], f.hkl[2]);
      family["multiplicity"] = f.multiplicity;
      families.append(family);
    }
    hkls.append(families);
  }
  py::dict out;
  out["two_theta"] = two_theta;
  out["intensity"] = intensity;
  out["d_spacings"] = d;
  out["hkls"] = hkls;
  out["wavelength"] = pattern.wavelength;
  out["max_intensity"] = pattern.max_intensity;
  return out;
}

}  // namespace

void bind_crystal_xrd(py::module_& crystal) {
  crystal.def("xray_wavelength", &tc::xray_wavelength, py::arg("line"),
              "Wavelength in Å of an X-ray line such as 'CuKa' or 'MoKa1'.");

  crystal.def(
      "xrd",
      [](const Doubles& lattice, const Doubles& frac, const Ints& numbers, double wavelength,
         double two_theta_min, double two_theta_max, const std::map<int, double>& debye_waller,
         const std::optional<std::map<int, std::vector<std::pair<double, double>>>>& mott_bethe) {
        require_running("torus.crystal.xrd");
        const auto c = crystal_of(lattice, frac, numbers);
        tc::XrdOptions options;
        options.wavelength = wavelength;
        options.two_theta_min = two_theta_min;
        options.two_theta_max = two_theta_max;
        options.debye_waller = debye_waller;
        std::optional<tc::FormFactorTable> table;
        if (mott_bethe) {
          table.emplace(mott_bethe_table(*mott_bethe));
          options.form_factors = &*table;
        }
        return dict_of(tc::xrd_pattern(c, options));
      },
      py::arg("lattice"), py::arg("frac"), py::arg("numbers"), py::arg("wavelength"),
      py::arg("two_theta_min"), py::arg("two_theta_max"), py::arg("debye_waller"),
      py::arg("mott_bethe") = py::none(),
      "Powder pattern as a dict: two_theta, intensity (largest 100), d_spacings, hkls (per peak\n"
      "a list of {hkl, multiplicity}), wavelength, max_intensity. mott_bethe = {Z: [(a, b),\n"
      "...]} replaces the Cromer-Mann form factors by f = Z - 41.78214 s^2 sum a exp(-b s^2).");

  crystal.def(
      "electron_density",
      [](const Doubles& lattice, const Doubles& frac, const Ints& numbers, int n0, int n1, int n2,
         bool gaussian_part_only) {
        require_running("torus.crystal.electron_density");
        const auto c = crystal_of(lattice, frac, numbers);
        TORUS_REQUIRE(n0 >= 2 && n1 >= 2 && n2 >= 2, "the density grid has an extent below 2",
                      "grid", "give at least 2 points per axis");
        tc::StructureFactorOptions options;
        options.gaussian_part_only = gaussian_part_only;
        const auto rho = tc::electron_density(c, fft::Grid<3>({n0, n1, n2}), options);
        Doubles out({n0, n1, n2});
        std::copy(rho.begin(), rho.end(), out.mutable_data());
        return out;
      },
      py::arg("lattice"), py::arg("frac"), py::arg("numbers"), py::arg("n0"), py::arg("n1"),
      py::arg("n2"), py::arg("gaussian_part_only") = false,
      "Electron density in electrons/Å^3 on an n0 x n1 x n2 grid of the cell (fractional\n"
      "positions i/n), from the structure factors through the inverse real FFT.");

  crystal.def(
      "xrd_similarity",
      [](const Doubles& la, const Doubles& fa, const Ints& za, const Doubles& lb, const Doubles& fb,
         const Ints& zb, double wavelength, double two_theta_min, double two_theta_max, double fwhm,
         double step) {
        require_running("torus.crystal.xrd_similarity");
        tc::XrdOptions xrd;
        xrd.wavelength = wavelength;
        tc::BroadeningOptions broadening;
        broadening.two_theta_min = two_theta_min;
        broadening.two_theta_max = two_theta_max;
        broadening.fwhm = fwhm;
        broadening.step = step;
        return tc::xrd_similarity(crystal_of(la, fa, za), crystal_of(lb, fb, zb), xrd, broadening);
      },
      py::arg("lattice_a"), py::arg("frac_a"), py::arg("numbers_a"), py::arg("lattice_b"),
      py::arg("frac_b"), py::arg("numbers_b"), py::arg("wavelength"), py::arg("two_theta_min"),
      py::arg("two_theta_max"), py::arg("fwhm"), py::arg("step"),
      "Cosine similarity of the two crystals' Gaussian-broadened powder patterns.");
}

}  // namespace torus::python
