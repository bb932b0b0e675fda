#include "torus/crystal/lattice.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "torus/core/error.hpp"

namespace torus::crystal {
namespace {

constexpr double degrees = M_PI / 180.0;

double dot(const Vec3& u, const Vec3& v) { return u[0] * v[0] + u[1] * v[1] + u[2] * v[2]; }
double norm(const Vec3& u) { return std::sqrt(dot(u, u)); }

// The angle between u and v in degrees; the cosine is clamped to [-1, 1] against round-off.
double angle(const Vec3& u, const Vec3& v) {
  const double c = std::clamp(dot(u, v) / (norm(u) * norm(v)), -1.0, 1.0);
  return std::acos(c) / degrees;
}

}  // namespace

Lattice lattice_from_parameters(const LatticeParameters& p) {
  for (double length : {p.a, p.b, p.c}) {
    TORUS_REQUIRE(std::isfinite(length) && length > 0.0,
                  "a cell length is " + std::to_string(length) + " Å", "lattice parameters",
                  "give positive, finite lengths a, b, c");
  }
  for (double a : {p.alpha, p.beta, p.gamma}) {
    TORUS_REQUIRE(std::isfinite(a) && a > 0.0 && a < 180.0,
                  "a cell angle is " + std::to_string(a) + " degrees", "lattice parameters",
                  "give angles alpha, beta, gamma strictly between 0 and 180 degrees");
  }
  const double ca = std::cos(p.alpha * degrees), cb = std::cos(p.beta * degrees),
               cg = std::cos(p.gamma * degrees);
  const double sa = std::sin(p.alpha * degrees), sb = std::sin(p.beta * degrees);

  // gamma* is the angle between a* and b* of the reciprocal cell:
  //   cos gamma* = (cos alpha cos beta - cos gamma) / (sin alpha sin beta).
  // With c along z and a in the xz plane,
  //   a = (a sin beta, 0, a cos beta),
  //   b = (-b sin alpha cos gamma*, b sin alpha sin gamma*, b cos alpha),
  //   c = (0, 0, c).
  const double cos_gamma_star = std::clamp((ca * cb - cg) / (sa * sb), -1.0, 1.0);
  const double gamma_star = std::acos(cos_gamma_star);
  Lattice l{};
  l[0] = {p.a * sb, 0.0, p.a * cb};
  l[1] = {-p.b * sa * std::cos(gamma_star), p.b * sa * std::sin(gamma_star), p.b * ca};
  l[2] = {0.0, 0.0, p.c};
  TORUS_REQUIRE(volume(l) > 1e-8 * p.a * p.b * p.c,
                "the angles " + std::to_string(p.alpha) + ", " + std::to_string(p.beta) + ", " +
                    std::to_string(p.gamma) + " degrees make a flat cell (no volume)",
                "lattice parameters",
                "check the cell angles: no one may exceed the sum of the other two");
  return l;
}

LatticeParameters lattice_parameters(const Lattice& l) {
  LatticeParameters p;
  p.a = norm(l[0]);
  p.b = norm(l[1]);
  p.c = norm(l[2]);
  TORUS_REQUIRE(p.a > 0.0 && p.b > 0.0 && p.c > 0.0, "a cell vector has length zero", "lattice",
                "give three linearly independent cell vectors");
  p.alpha = angle(l[1], l[2]);
  p.beta = angle(l[0], l[2]);
  p.gamma = angle(l[0], l[1]);
  return p;
}

double determinant(const Lattice& l) {
  return l[0][0] * (l[1][1] * l[2][2] - l[1][2] * l[2][1]) -
         l[0][1] * (l[1][0] * l[2][2] - l[1][2] * l[2][0]) +
         l[0][2] * (l[1][0] * l[2][1] - l[1][1] * l[2][0]);
}

double volume(const Lattice& l) { return std::abs(determinant(l)); }

Lattice inverse(const Lattice& l) {
  const double det = determinant(l);
  const double scale = norm(l[0]) * norm(l[1]) * norm(l[2]);
  TORUS_REQUIRE(std::isfinite(det) && std::abs(det) > 1e-10 * scale,
                "the lattice is singular (volume " + std::to_string(std::abs(det)) + " Å³)",
                "lattice", "give three linearly independent cell vectors");
  // Inverse through the adjugate: (L^{-1})_{ij} = cofactor_{ji} / det.
  Lattice inv{};
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) {
      const int r0 = (j + 1) % 3, r1 = (j + 2) % 3, c0 = (i + 1) % 3, c1 = (i + 2) % 3;
      inv[i][j] = (l[r0][c0] * l[r1][c1] - l[r0][c1] * l[r1][c0]) / det;
    }
  }
  return inv;
}

Vec3 to_cartesian(const Lattice& l, const Vec3& f) {
  Vec3 r{};
  for (int j = 0; j < 3; ++j) r[j] = f[0] * l[0][j] + f[1] * l[1][j] + f[2] * l[2][j];
  return r;
}

Vec3 to_fractional(const Lattice& l, const Vec3& r) { return to_cartesian(inverse(l), r); }

std::vector<Vec3> cartesian_coords(const Crystal& crystal) {
  std::vector<Vec3> out;
  out.reserve(crystal.frac_coords.size());
  for (const auto& f : crystal.frac_coords) out.push_back(to_cartesian(crystal.lattice, f));
  return out;
}

double wrap_fractional(double x) {
  const double w = x - std::floor(x);
  return w >= 1.0 ? 0.0 : w;
}

Vec3 wrap_fractional(const Vec3& f) {
  return {wrap_fractional(f[0]), wrap_fractional(f[1]), wrap_fractional(f[2])};
}

double minimum_image_distance(const Lattice& l, const Vec3& d) {
  const Vec3 centred{d[0] - std::round(d[0]), d[1] - std::round(d[1]), d[2] - std::round(d[2])};
  double best = norm(to_cartesian(l, centred));
  for (int i = -1; i <= 1; ++i) {
    for (int j = -1; j <= 1; ++j) {
      for (int k = -1; k <= 1; ++k) {
        const Vec3 shifted{centred[0] + i, centred[1] + j, centred[2] + k};
        best = std::min(best, norm(to_cartesian(l, shifted)));
      }
    }
  }
  return best;
}

}  // namespace torus::crystal
