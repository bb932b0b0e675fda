#include "torus/crystal/primitive_cell.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numeric>
#include <string_view>
#include <vector>

#include "torus/crystal/elements.hpp"
#include "torus/crystal/lattice_geometry.hpp"
#include "torus/crystal/niggli.hpp"

namespace torus::crystal::detail {

namespace {

// |d - round(d)| < tol on every axis: the two fractional points coincide modulo the lattice.
bool periodic_close(const Vec3& x, const Vec3& y, const Vec3& tol) {
  for (int k = 0; k < 3; ++k) {
    const double d = x[k] - y[k];
    if (!(distance_to_integer(d) < tol[k])) return false;
  }
  return true;
}

std::vector<int> divisors(int n) {
  std::vector<int> out;
  for (int i = 1; i <= n; ++i)
    if (n % i == 0) out.push_back(i);
  return out;
}

// Sites of one element, in the order of the sorted crystal.
struct Group {
  int number = 0;
  std::vector<Vec3> frac;
  std::vector<char> non_neighbours;  // n x n: not within 2 tol of each other in the supercell
};

}  // namespace

Crystal primitive_cell(const Crystal& c, double tolerance) {
  const int n_sites = c.size();
  // Sites sorted (stably) by element symbol, then grouped by element.
  std::vector<int> order(static_cast<std::size_t>(n_sites));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int i, int j) {
    return element(c.numbers[i]).symbol < element(c.numbers[j]).symbol;
  });
  std::vector<Group> groups;
  for (int s : order) {
    if (groups.empty() || groups.back().number != c.numbers[s]) {
      groups.emplace_back();
      groups.back().number = c.numbers[s];
    }
    groups.back().frac.push_back(c.frac_coords[s]);
  }

  const Vec3 abc = lengths(c.lattice);
  const Vec3 super_ftol{tolerance / abc[0], tolerance / abc[1], tolerance / abc[2]};
  const Vec3 super_ftol_2{2 * super_ftol[0], 2 * super_ftol[1], 2 * super_ftol[2]};

  // Candidate translations: differences within the smallest group that map every site of every
  // group onto a site of the same group (twice the tolerance: both ends are approximate).
  const Group* smallest = &groups[0];
  for (const Group& g : groups)
    if (g.frac.size() < smallest->frac.size()) smallest = &g;
  std::vector<Vec3> min_vecs;
  for (const Vec3& f : smallest->frac) {
    min_vecs.push_back(
        {f[0] - smallest->frac[0][0], f[1] - smallest->frac[0][1], f[2] - smallest->frac[0][2]});
  }
  std::vector<const Group*> by_size;
  for (const Group& g : groups) by_size.push_back(&g);
  std::stable_sort(by_size.begin(), by_size.end(),
                   [](const Group* x, const Group* y) { return x->frac.size() < y->frac.size(); });
  for (const Group* g : by_size) {
    for (const Vec3& f : g->frac) {
      std::vector<Vec3> kept;
      for (const Vec3& v : min_vecs) {
        for (const Vec3& h : g->frac) {
          if (periodic_close(v, {h[0] - f[0], h[1] - f[1], h[2] - f[2]}, super_ftol_2)) {
            kept.push_back(v);
            break;
          }
        }
      }
      min_vecs.swap(kept);
    }
  }

  for (Group& g : groups) {
    const std::size_t n = g.frac.size();
    g.non_neighbours.assign(n * n, 0);
    for (std::size_t i = 0; i < n; ++i) {
      for (std::size_t j = 0; j < n; ++j) {
        bool far = i == j;
        for (int k = 0; k < 3 && !far; ++k) {
          const double d = g.frac[j][k] - g.frac[i][k];
          far = distance_to_integer(d) > super_ftol_2[k];
        }
        g.non_neighbours[i * n + j] = far;
      }
    }
  }

  int num_fu = 0;
  for (const Group& g : groups) num_fu = std::gcd(num_fu, static_cast<int>(g.frac.size()));

  // Sublattices of index d in Hermite normal form [[a, b, c], [0, e, f], [0, 0, g]], a e g = d.
  for (int d : divisors(num_fu)) {
    if (d == 1) continue;
    for (int a : divisors(d)) {
      for (int e : divisors(d / a)) {
        const int gg = d / a / e;
        for (int b = 0; b < a; ++b) {
          for (int cc = 0; cc < a; ++cc) {
            for (int f = 0; f < e; ++f) {
              const Mat3 m{{{double(a), double(b), double(cc)},
                            {0.0, double(e), double(f)},
                            {0.0, 0.0, double(gg)}}};
              const Mat3 inv_m = inverse(m);
              // The new cell vectors (rows of m^-1 in the old basis) must be translations.
              bool all_close = true;
              for (int r = 0; r < 3 && all_close; ++r) {
                bool any = false;
                for (const Vec3& v : min_vecs) {
                  if (periodic_close(inv_m[r], v, super_ftol)) {
                    any = true;
                    break;
                  }
                }
                all_close = any;
              }
              if (!all_close) continue;

              const Mat3 new_lattice = multiply(inv_m, c.lattice);
              const Vec3 new_abc = lengths(new_lattice);
              const Vec3 ftol{tolerance / new_abc[0], tolerance / new_abc[1],
                              tolerance / new_abc[2]};

              Crystal prim;
              bool valid = true;
              for (const Group& g : groups) {
                const std::size_t n = g.frac.size();
                std::vector<Vec3> frac(n);
                for (std::size_t i = 0; i < n; ++i) frac[i] = row_times(g.frac[i], m);
                // classes[i][j]: i and j coincide in the small cell and are not neighbours.
                std::vector<char> cls(n * n);
                for (std::size_t i = 0; i < n; ++i)
                  for (std::size_t j = 0; j < n; ++j)
                    cls[i * n + j] =
                        periodic_close(frac[j], frac[i], ftol) && g.non_neighbours[i * n + j];
                for (std::size_t j = 0; j < n && valid; ++j) {
                  int count = 0;
                  for (std::size_t i = 0; i < n; ++i) count += cls[i * n + j];
                  valid = count == d;
                }
                // Every class must be a clique.
                for (std::size_t r = 0; r < n && valid; ++r) {
                  for (std::size_t i = 0; i < n && valid; ++i) {
                    if (!cls[r * n + i]) continue;
                    for (std::size_t j = 0; j < n && valid; ++j)
                      if (cls[r * n + j]) valid = cls[i * n + j];
                  }
                }
                if (!valid) break;

                // One site per class at the running mean of its members' positions, each
                // member brought next to the mean by the nearest lattice translation.
                std::vector<char> added(n, 0);
                for (std::size_t i = 0; i < n; ++i)
                  frac[i] = {python_mod1(frac[i][0]), python_mod1(frac[i][1]),
                             python_mod1(frac[i][2])};
                for (std::size_t i = 0; i < n; ++i) {
                  if (added[i]) continue;
                  Vec3 coords{};
                  int members = 0;
                  for (std::size_t j = 0; j < n; ++j) {
                    if (!cls[i * n + j]) continue;
                    added[j] = 1;
                    if (members == 0) {
                      coords = frac[j];
                    } else {
                      for (int k = 0; k < 3; ++k) {
                        const double offset = frac[j][k] - coords[k];
                        coords[k] += (offset - std::nearbyint(offset)) / (members + 1);
                      }
                    }
                    ++members;
                  }
                  prim.numbers.push_back(g.number);
                  prim.frac_coords.push_back(coords);
                }
              }
              if (!valid) continue;
              prim.lattice = new_lattice;
              return niggli_reduced(primitive_cell(prim, tolerance));
            }
          }
        }
      }
    }
  }
  return c;
}

}  // namespace torus::crystal::detail
