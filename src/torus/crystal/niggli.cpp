#include "torus/crystal/niggli.hpp"

#include <algorithm>
#include <cmath>
#include <optional>

#include "torus/core/error.hpp"
#include "torus/crystal/lattice.hpp"
#include "torus/crystal/lattice_mapping.hpp"

namespace torus::crystal::detail {

namespace {

constexpr double kPi = 3.14159265358979323846;

// G <- M^T G M: the metric tensor after the change of basis whose columns are M's.
void transform(Mat3& g, const Mat3& m) { g = multiply(transpose(m), multiply(g, m)); }

double sign_or_zero(double x, double eps) { return std::abs(x) < eps ? 0.0 : (x > 0 ? 1.0 : -1.0); }

}  // namespace

Mat3 niggli_reduce(const Mat3& m, double tol) {
  const Mat3 start = lll_reduce(m).reduced;
  const double eps = tol * std::cbrt(volume(m));
  Mat3 g = multiply(start, transpose(start));

  // The metric (A, B, C, xi, eta, zeta) = (a.a, b.b, c.c, 2 b.c, 2 a.c, 2 a.b); steps A1-A8.
  for (int iteration = 0; iteration < 100; ++iteration) {
    double A = g[0][0], B = g[1][1], C = g[2][2];
    double E = 2 * g[1][2], N = 2 * g[0][2], Y = 2 * g[0][1];

    // A1: order A <= B. pymatgen goes on to A2-A4 with the values read before A1; so do we.
    if (A > B + eps || (std::abs(A - B) < eps && std::abs(E) > std::abs(N) + eps)) {
      transform(g, {{{0, -1, 0}, {-1, 0, 0}, {0, 0, -1}}});
    }
    // A2: order B <= C, then start over.
    if (B > C + eps || (std::abs(B - C) < eps && std::abs(N) > std::abs(Y) + eps)) {
      transform(g, {{{-1, 0, 0}, {0, 0, -1}, {0, -1, 0}}});
      continue;
    }
    // A3/A4: make the three off-diagonal signs all + or all - (or 0).
    const double l = sign_or_zero(E, eps), mm = sign_or_zero(N, eps), n = sign_or_zero(Y, eps);
    if (l * mm * n == 1) {
      transform(g, {{{l == -1 ? -1.0 : 1.0, 0, 0},
                     {0, mm == -1 ? -1.0 : 1.0, 0},
                     {0, 0, n == -1 ? -1.0 : 1.0}}});
    } else if (l * mm * n == 0 || l * mm * n == -1) {
      double i = l == 1 ? -1 : 1, j = mm == 1 ? -1 : 1, k = n == 1 ? -1 : 1;
      if (i * j * k == -1) {
        if (n == 0) {
          k = -1;
        } else if (mm == 0) {
          j = -1;
        } else if (l == 0) {
          i = -1;
        }
      }
      transform(g, {{{i, 0, 0}, {0, j, 0}, {0, 0, k}}});
    }

    A = g[0][0], B = g[1][1], C = g[2][2];
    E = 2 * g[1][2], N = 2 * g[0][2], Y = 2 * g[0][1];
    // A5-A7: |xi| <= B, |eta| <= A, |zeta| <= A, with the boundary rules.
    if (std::abs(E) > B + eps || (std::abs(E - B) < eps && 2 * N < Y - eps) ||
        (std::abs(E + B) < eps && Y < -eps)) {
      transform(g, {{{1, 0, 0}, {0, 1, -E / std::abs(E)}, {0, 0, 1}}});
      continue;
    }
    if (std::abs(N) > A + eps || (std::abs(A - N) < eps && 2 * E < Y - eps) ||
        (std::abs(A + N) < eps && Y < -eps)) {
      transform(g, {{{1, 0, -N / std::abs(N)}, {0, 1, 0}, {0, 0, 1}}});
      continue;
    }
    if (std::abs(Y) > A + eps || (std::abs(A - Y) < eps && 2 * E < N - eps) ||
        (std::abs(A + Y) < eps && N < -eps)) {
      transform(g, {{{1, -Y / std::abs(Y), 0}, {0, 1, 0}, {0, 0, 1}}});
      continue;
    }
    // A8: xi + eta + zeta + A + B >= 0.
    const double s = E + N + Y + A + B;
    if (s < -eps || (std::abs(s) < eps && eps < Y + (A + N) * 2)) {
      transform(g, {{{1, 0, 1}, {0, 1, 1}, {0, 0, 1}}});
      continue;
    }
    break;
  }

  const double a = std::sqrt(g[0][0]), b = std::sqrt(g[1][1]), c = std::sqrt(g[2][2]);
  auto angle = [](double cosine) { return std::acos(std::clamp(cosine, -1.0, 1.0)) / kPi * 180; };
  const Vec3 target_angles{angle(2 * g[1][2] / 2 / b / c), angle(2 * g[0][2] / 2 / a / c),
                           angle(2 * g[0][1] / 2 / a / b)};
  const Mat3 target =
      lattice_from_parameters({a, b, c, target_angles[0], target_angles[1], target_angles[2]});

  std::optional<Mat3> found;
  find_all_mappings(m, lengths(target), angles(target), eps, 1.0,
                    [&](const LatticeMapping& mapping) {
                      found = mapping.aligned;
                      return false;
                    });
  TORUS_REQUIRE(found.has_value(),
                "no Niggli basis of the lattice was found (the lattice is nearly degenerate)",
                "crystal lattice", "check the lattice vectors");
  Mat3 out = *found;
  if (!(det(out) > 0)) {
    for (auto& row : out)
      for (double& x : row) x = -x;
  }
  return out;
}

Crystal niggli_reduced(const Crystal& c) {
  const Mat3 reduced = niggli_reduce(c.lattice);
  bool same = true;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      same = same &&
             std::abs(reduced[i][j] - c.lattice[i][j]) <= 1e-8 + 1e-5 * std::abs(c.lattice[i][j]);
  if (same) return c;

  Crystal out;
  out.lattice = reduced;
  out.numbers = c.numbers;
  out.frac_coords.resize(c.frac_coords.size());
  const Mat3 inv = inverse(reduced);
  for (std::size_t s = 0; s < c.frac_coords.size(); ++s) {
    const Vec3 f = row_times(row_times(c.frac_coords[s], c.lattice), inv);
    for (int q = 0; q < 3; ++q) out.frac_coords[s][q] = python_mod1(f[q]);
  }
  return out;
}

}  // namespace torus::crystal::detail
