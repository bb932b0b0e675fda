#include "torus/crystal/xrd.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <utility>

#include "torus/core/error.hpp"
#include "torus/crystal/lattice.hpp"
#include "torus/crystal/structure_factor.hpp"

namespace torus::crystal {
namespace {

constexpr double degree = 0.017453292519943295;

struct Reflection {
  std::array<int, 3> hkl;
  double g;  // |h . B| = 1 / d in 1/Å
};

double norm(const Vec3& v) { return std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]); }

// Every h != 0 with g_min <= |h . B| <= g_max. Since h_i = g . a_i, |h_i| <= g_max |a_i| bounds
// the box to search.
std::vector<Reflection> reflections_in_shell(const Lattice& lattice, double g_min, double g_max) {
  const Lattice rec = reciprocal_lattice(lattice);
  std::array<int, 3> bound{};
  std::int64_t count = 1;
  for (int i = 0; i < 3; ++i) {
    bound[i] = static_cast<int>(std::floor(g_max * norm(lattice[i]) + 1e-9));
    count *= 2 * static_cast<std::int64_t>(bound[i]) + 1;
  }
  TORUS_REQUIRE(count <= 50'000'000,
                "the 2theta range holds about " + std::to_string(count) + " reflections",
                "xrd_pattern", "use a smaller cell, a longer wavelength or a smaller 2theta range");
  std::vector<Reflection> out;
  for (int h = -bound[0]; h <= bound[0]; ++h) {
    for (int k = -bound[1]; k <= bound[1]; ++k) {
      for (int l = -bound[2]; l <= bound[2]; ++l) {
        if (h == 0 && k == 0 && l == 0) continue;
        Vec3 g{};
        for (int j = 0; j < 3; ++j) g[j] = h * rec[0][j] + k * rec[1][j] + l * rec[2][j];
        const double length = norm(g);
        if (length <= g_max && length >= g_min) out.push_back({{h, k, l}, length});
      }
    }
  }
  // pymatgen's order: increasing |g|, then decreasing h, k, l.
  std::sort(out.begin(), out.end(), [](const Reflection& a, const Reflection& b) {
    if (a.g != b.g) return a.g < b.g;
    return a.hkl > b.hkl;
  });
  return out;
}

// Groups `hkls` into families of permutations up to sign, each named by its largest member.
// TODO(crystal): name hexagonal cells' families by four indices hkil as pymatgen does; the
// grouping and multiplicities are the same, only the printed names differ.
std::vector<HklFamily> families_of(const std::vector<std::array<int, 3>>& hkls) {
  std::vector<std::array<int, 3>> keys;
  std::vector<std::array<int, 3>> largest;
  std::vector<HklFamily> out;
  for (const auto& hkl : hkls) {
    std::array<int, 3> key{std::abs(hkl[0]), std::abs(hkl[1]), std::abs(hkl[2])};
    std::sort(key.begin(), key.end());
    const auto it = std::find(keys.begin(), keys.end(), key);
    if (it == keys.end()) {
      keys.push_back(key);
      out.push_back({hkl, 1});
    } else {
      auto& family = out[static_cast<std::size_t>(it - keys.begin())];
      family.hkl = std::max(family.hkl, hkl);
      ++family.multiplicity;
    }
  }
  return out;
}

struct RawPeak {
  double two_theta, intensity, d;
  std::vector<std::array<int, 3>> hkls;
};

}  // namespace

double xray_wavelength(const std::string& line) {
  // Characteristic lines in Å; "Ka" is the intensity-weighted mean of K-alpha1 and K-alpha2.
  static const std::pair<const char*, double> lines[] = {
      {"CuKa", 1.54184},  {"CuKa2", 1.54439},  {"CuKa1", 1.54056},  {"CuKb1", 1.39222},
      {"MoKa", 0.71073},  {"MoKa2", 0.71359},  {"MoKa1", 0.70930},  {"MoKb1", 0.63229},
      {"CrKa", 2.29100},  {"CrKa2", 2.29361},  {"CrKa1", 2.28970},  {"CrKb1", 2.08487},
      {"FeKa", 1.93735},  {"FeKa2", 1.93998},  {"FeKa1", 1.93604},  {"FeKb1", 1.75661},
      {"CoKa", 1.79026},  {"CoKa2", 1.79285},  {"CoKa1", 1.78896},  {"CoKb1", 1.63079},
      {"AgKa", 0.560885}, {"AgKa2", 0.563813}, {"AgKa1", 0.559421}, {"AgKb1", 0.497082}};
  for (const auto& [name, lambda] : lines) {
    if (line == name) return lambda;
  }
  TORUS_THROW("unknown X-ray line '" + line + "'", "wavelength",
              "use CuKa, MoKa, CrKa, FeKa, CoKa or AgKa (also Ka1, Ka2, Kb1), or a number in Å");
}

XrdPattern xrd_pattern(const Crystal& crystal, const XrdOptions& options) {
  const double lambda = options.wavelength;
  TORUS_REQUIRE(std::isfinite(lambda) && lambda > 0,
                "the wavelength " + std::to_string(lambda) + " Å is not positive", "wavelength",
                "give the X-ray wavelength in Å (Cu K-alpha: 1.54184)");
  TORUS_REQUIRE(options.two_theta_min >= 0 && options.two_theta_max <= 180 &&
                    options.two_theta_min < options.two_theta_max,
                "the 2theta range [" + std::to_string(options.two_theta_min) + ", " +
                    std::to_string(options.two_theta_max) + "] is not an interval in [0, 180]",
                "two_theta_range", "give 0 <= min < max <= 180 degrees");
  TORUS_REQUIRE(crystal.size() > 0, "the crystal has no atoms", "crystal",
                "give a crystal with at least one atom");

  // Bragg: |g| = 1/d = 2 sin(theta) / lambda.
  const double g_min = 2 * std::sin(options.two_theta_min / 2 * degree) / lambda;
  const double g_max = 2 * std::sin(options.two_theta_max / 2 * degree) / lambda;
  const auto reflections = reflections_in_shell(crystal.lattice, g_min, g_max);
  std::vector<std::array<int, 3>> hkl;
  hkl.reserve(reflections.size());
  for (const auto& r : reflections) hkl.push_back(r.hkl);
  StructureFactorOptions sf;
  sf.form_factors = options.form_factors;
  sf.debye_waller = options.debye_waller;
  const auto f_hkl = structure_factors(crystal, hkl, sf);

  // I = |F|^2 (1 + cos^2 2theta) / (sin^2 theta cos theta), summed per peak.
  std::vector<RawPeak> raw;
  for (std::size_t r = 0; r < reflections.size(); ++r) {
    const double theta = std::asin(lambda * reflections[r].g / 2);
    const double lp =
        (1 + std::pow(std::cos(2 * theta), 2)) / (std::pow(std::sin(theta), 2) * std::cos(theta));
    const double intensity = std::norm(f_hkl[r]) * lp;
    const double two_theta = 2 * theta / degree;
    // Reflections arrive by increasing 2theta: only the last few peaks can be within reach.
    RawPeak* match = nullptr;
    for (auto p = raw.rbegin(); p != raw.rend(); ++p) {
      if (two_theta - p->two_theta >= options.two_theta_tolerance) break;
      if (std::abs(two_theta - p->two_theta) < options.two_theta_tolerance) match = &*p;
    }
    if (match) {
      match->intensity += intensity;
      match->hkls.push_back(reflections[r].hkl);
    } else {
      raw.push_back({two_theta, intensity, 1 / reflections[r].g, {reflections[r].hkl}});
    }
  }

  XrdPattern pattern;
  pattern.wavelength = lambda;
  for (const auto& p : raw) pattern.max_intensity = std::max(pattern.max_intensity, p.intensity);
  if (pattern.max_intensity <= 0) return pattern;
  for (const auto& p : raw) {
    const double scaled = 100 * p.intensity / pattern.max_intensity;
    if (scaled <= options.intensity_tolerance) continue;
    pattern.peaks.push_back({p.two_theta, scaled, p.d, families_of(p.hkls)});
  }
  return pattern;
}

}  // namespace torus::crystal
