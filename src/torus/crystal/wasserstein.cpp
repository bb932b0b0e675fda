#include "torus/crystal/wasserstein.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "torus/core/error.hpp"

namespace torus::crystal {
namespace {

void check(const std::vector<double>& x, const char* name) {
  TORUS_REQUIRE(!x.empty(), "the sample is empty", name, "give at least one value");
  for (double value : x) {
    TORUS_REQUIRE(std::isfinite(value), "the sample holds a non-finite value", name,
                  "drop NaN and infinite values first");
  }
}

}  // namespace

double wasserstein_distance(std::vector<double> u, std::vector<double> v) {
  check(u, "u");
  check(v, "v");
  std::sort(u.begin(), u.end());
  std::sort(v.begin(), v.end());

  // Sweep the merged sorted values x_0 <= x_1 <= ...: between x_k and x_{k+1} both CDFs are
  // constant, F_u = (#u <= x_k) / |u|, so W1 = sum_k |F_u(x_k) - F_v(x_k)| (x_{k+1} - x_k).
  const double nu = static_cast<double>(u.size()), nv = static_cast<double>(v.size());
  std::size_t iu = 0, iv = 0;
  double total = 0.0;
  double x = std::min(u.front(), v.front());
  while (iu < u.size() || iv < v.size()) {
    while (iu < u.size() && u[iu] <= x) ++iu;
    while (iv < v.size() && v[iv] <= x) ++iv;
    if (iu == u.size() && iv == v.size()) break;
    const double next = std::min(iu < u.size() ? u[iu] : v[iv], iv < v.size() ? v[iv] : u[iu]);
    total += std::abs(iu / nu - iv / nv) * (next - x);
    x = next;
  }
  return total;
}

}  // namespace torus::crystal
