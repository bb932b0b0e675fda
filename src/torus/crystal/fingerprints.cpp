#include "torus/crystal/fingerprints.hpp"

#include <array>
#include <cmath>
#include <map>
#include <string>

#include "torus/core/error.hpp"
#include "torus/crystal/elements.hpp"
#include "torus/crystal/lattice.hpp"
#include "torus/crystal/periodic_pairs.hpp"
#include "torus/crystal/validate.hpp"

namespace torus::crystal {
namespace {

constexpr double pi = 3.14159265358979323846;
constexpr int n_properties = 5;

// Property p of element z: Z, mass, electronegativity (NaN when undefined), period, group.
double property(int p, int z) {
  switch (p) {
    case 0:
      return z;
    case 1:
      return element(z).mass;
    case 2:
      return element(z).electronegativity;
    case 3:
      return element_period(z);
    default:
      return element_group(z);
  }
}

// The population standard deviation of each property over the elements that define it: the
// fixed scale that makes the features dimensionless (CDVAE's CompScaler plays this role).
const std::array<double, n_properties>& property_scales() {
  static const std::array<double, n_properties> scales = [] {
    std::array<double, n_properties> s{};
    for (int p = 0; p < n_properties; ++p) {
      double sum = 0.0, sum2 = 0.0, n = 0.0;
      for (int z = 1; z <= max_atomic_number; ++z) {
        const double x = property(p, z);
        if (!std::isfinite(x)) continue;
        sum += x;
        sum2 += x * x;
        n += 1.0;
      }
      const double mean = sum / n;
      s[p] = std::sqrt(sum2 / n - mean * mean);
    }
    return s;
  }();
  return scales;
}

void require_same_length(const std::vector<double>& a, const std::vector<double>& b) {
  TORUS_REQUIRE(
      a.size() == b.size() && !a.empty(),
      "fingerprints of lengths " + std::to_string(a.size()) + " and " + std::to_string(b.size()),
      "fingerprints", "compare fingerprints made with the same options");
}

}  // namespace

int element_period(int z) {
  element(z);  // throws for an unknown atomic number
  const int ends[] = {2, 10, 18, 36, 54, 86};
  int period = 1;
  for (int end : ends) period += z > end ? 1 : 0;
  return period;
}

int element_group(int z) {
  const int period = element_period(z);
  if (period == 1) return z == 1 ? 1 : 18;
  const int starts[] = {0, 0, 3, 11, 19, 37, 55, 87};
  const int i = z - starts[period];
  if (period <= 3) return i < 2 ? i + 1 : i + 11;  // s block, then p block (groups 13-18)
  if (period <= 5) return i + 1;                   // 18 elements, one per group
  // Periods 6 and 7: s block, then the 15 lanthanoids / actinoids (group 3), then groups 4-18.
  if (i < 2) return i + 1;
  if (i < 17) return 3;
  return i - 13;
}

std::vector<double> structure_fingerprint(const Crystal& crystal, const RdfOptions& options) {
  TORUS_REQUIRE(options.cutoff > 0.0 && options.bins > 0 && options.sigma > 0.0,
                "the fingerprint grid needs cutoff > 0, bins > 0 and sigma > 0", "RdfOptions",
                "use the defaults (cutoff 3, 60 bins, sigma 0.05)");
  validate(crystal, "crystal");
  const double n = crystal.size();
  const double l = std::cbrt(volume(crystal.lattice) / n);
  const double ds = options.cutoff / options.bins;
  // Each Gaussian is cut at 8 sigma, where its tail mass erfc(8 / sqrt 2) / 2 ~ 6e-16 is below
  // round-off, so the cut never decides a result; pairs up to 8 sigma past the grid still count.
  constexpr double tail = 8.0;
  const double reach = options.cutoff + tail * options.sigma;

  std::vector<double> g(options.bins, 0.0);
  const double root2 = std::sqrt(2.0) * options.sigma;
  for (const auto& pair : periodic_pairs(crystal, reach * l)) {
    const double s = pair.distance / l;
    // Mass of N(s, sigma^2) in bin k: (erf((e_{k+1} - s)/(sqrt2 sigma)) - erf((e_k - s)/(...)))/2.
    const int first = std::max(0, static_cast<int>(std::floor((s - tail * options.sigma) / ds)));
    const int last =
        std::min(options.bins - 1, static_cast<int>(std::floor((s + tail * options.sigma) / ds)));
    for (int k = first; k <= last; ++k) {
      g[k] += 0.5 * (std::erf(((k + 1) * ds - s) / root2) - std::erf((k * ds - s) / root2));
    }
  }
  // Divide by N (per atom), by the ideal-gas count of the shell 4 pi s^2 ds at density 1.
  for (int k = 0; k < options.bins; ++k) {
    const double s_k = (k + 0.5) * ds;
    g[k] /= n * 4.0 * pi * s_k * s_k * ds;
  }
  return g;
}

double structure_fingerprint_distance(const std::vector<double>& g, const std::vector<double>& h) {
  require_same_length(g, h);
  return euclidean_distance(g, h) / std::sqrt(static_cast<double>(g.size()));
}

std::vector<double> composition_fingerprint(const std::vector<int>& numbers) {
  TORUS_REQUIRE(!numbers.empty(), "the composition has no atoms", "numbers",
                "give one atomic number per atom");
  std::map<int, double> counts;
  for (int z : numbers) {
    element(z);
    counts[z] += 1.0;
  }
  const auto& scales = property_scales();
  std::vector<double> features;
  features.reserve(5 * n_properties);
  for (int p = 0; p < n_properties; ++p) {
    // Fractions x_e over the elements that define the property.
    double total = 0.0;
    for (const auto& [z, c] : counts) total += std::isfinite(property(p, z)) ? c : 0.0;
    double mean = 0.0, lo = INFINITY, hi = -INFINITY;
    for (const auto& [z, c] : counts) {
      const double x = property(p, z);
      if (!std::isfinite(x)) continue;
      mean += c / total * x;
      lo = std::min(lo, x);
      hi = std::max(hi, x);
    }
    double deviation = 0.0;
    for (const auto& [z, c] : counts) {
      const double x = property(p, z);
      if (std::isfinite(x)) deviation += c / total * std::abs(x - mean);
    }
    if (total == 0.0) mean = lo = hi = deviation = 0.0;
    for (double f : {mean, lo, hi, hi - lo, deviation}) features.push_back(f / scales[p]);
  }
  return features;
}

double euclidean_distance(const std::vector<double>& a, const std::vector<double>& b) {
  require_same_length(a, b);
  double sum = 0.0;
  for (std::size_t k = 0; k < a.size(); ++k) sum += (a[k] - b[k]) * (a[k] - b[k]);
  return std::sqrt(sum);
}

}  // namespace torus::crystal
