#include "torus/crystal/lattice_geometry.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>

#include "torus/core/error.hpp"

namespace torus::crystal::detail {

namespace {
constexpr double kPi = 3.14159265358979323846;
}  // namespace

double volume(const Mat3& m) { return std::abs(det(m)); }

Mat3 multiply(const Mat3& m, const Mat3& n) {
  Mat3 out{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j)
      out[i][j] = m[i][0] * n[0][j] + m[i][1] * n[1][j] + m[i][2] * n[2][j];
  return out;
}

Vec3 row_times(const Vec3& x, const Mat3& m) {
  return {x[0] * m[0][0] + x[1] * m[1][0] + x[2] * m[2][0],
          x[0] * m[0][1] + x[1] * m[1][1] + x[2] * m[2][1],
          x[0] * m[0][2] + x[1] * m[1][2] + x[2] * m[2][2]};
}

Mat3 inverse(const Mat3& m) {
  // (M^-1)_ij = C_ji / det M with C the cofactor matrix; the cofactors of row i are the cross
  // product of the other two rows, so M^-1 has columns (b x c, c x a, a x b) / det M.
  const Vec3 bc = cross(m[1], m[2]);
  const Vec3 ca = cross(m[2], m[0]);
  const Vec3 ab = cross(m[0], m[1]);
  const double d = dot(m[0], bc);
  Mat3 out{};
  for (int i = 0; i < 3; ++i) {
    out[i][0] = bc[i] / d;
    out[i][1] = ca[i] / d;
    out[i][2] = ab[i] / d;
  }
  return out;
}

Mat3 transpose(const Mat3& m) {
  Mat3 t{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 3; ++j) t[i][j] = m[j][i];
  return t;
}

Vec3 lengths(const Mat3& m) {
  return {std::sqrt(dot(m[0], m[0])), std::sqrt(dot(m[1], m[1])), std::sqrt(dot(m[2], m[2]))};
}

Vec3 angles(const Mat3& m) {
  const Vec3 l = lengths(m);
  Vec3 out{};
  for (int i = 0; i < 3; ++i) {
    const int j = (i + 1) % 3;
    const int k = (i + 2) % 3;
    const double c = std::clamp(dot(m[j], m[k]) / (l[j] * l[k]), -1.0, 1.0);
    out[i] = std::acos(c) * 180.0 / kPi;
  }
  return out;
}

Vec3 reciprocal_lengths(const Mat3& m) {
  // Rows of 2 pi M^-T are the columns of 2 pi M^-1.
  const Mat3 inv = inverse(m);
  Vec3 out{};
  for (int i = 0; i < 3; ++i) {
    const Vec3 column{inv[0][i], inv[1][i], inv[2][i]};
    out[i] = std::sqrt(dot(column, column)) * 2.0 * kPi;
  }
  return out;
}

LllBasis lll_reduce(const Mat3& matrix) {
  // Basis vectors v_0, v_1, v_2 (the rows of `matrix`), Gram–Schmidt vectors g_i with squared
  // norms n_i and coefficients mu_ij = v_i · g_j / n_j (j < i). The reduction makes
  // |mu_ij| <= 1/2 and n_k >= (delta - mu_{k,k-1}^2) n_{k-1} (Lovász) with delta = 3/4.
  constexpr double delta = 0.75;
  Mat3 v = matrix;
  Mat3 t{};
  for (int i = 0; i < 3; ++i) t[i][i] = 1.0;
  Mat3 g{};
  double mu[3][3] = {};
  double n[3] = {};

  // Gram–Schmidt of vector s against g_0 ... g_{s-1}.
  auto orthogonalise = [&](int s) {
    Vec3 gs = v[s];
    for (int j = 0; j < s; ++j) mu[s][j] = dot(v[s], g[j]) / n[j];
    for (int c = 0; c < 3; ++c) {
      double sum = 0.0;
      for (int j = 0; j < s; ++j) sum += g[j][c] * mu[s][j];
      gs[c] = v[s][c] - sum;
    }
    g[s] = gs;
    n[s] = dot(gs, gs);
  };
  for (int s = 0; s < 3; ++s) orthogonalise(s);

  int k = 1;  // the vector being reduced (0-based)
  for (int guard = 0; k <= 2 && guard < 10000; ++guard) {
    // Size reduction of v_k against v_{k-1}, ..., v_0.
    for (int i = k - 1; i >= 0; --i) {
      const double q = std::nearbyint(mu[k][i]);
      if (q != 0.0) {
        for (int c = 0; c < 3; ++c) {
          v[k][c] -= q * v[i][c];
          t[k][c] -= q * t[i][c];
        }
        for (int j = 0; j < i; ++j) mu[k][j] -= q * mu[i][j];
        mu[k][i] -= q;
      }
    }
    if (n[k] >= (delta - mu[k][k - 1] * mu[k][k - 1]) * n[k - 1]) {
      ++k;
      continue;
    }
    std::swap(v[k], v[k - 1]);
    std::swap(t[k], t[k - 1]);
    orthogonalise(k - 1);
    orthogonalise(k);
    if (k > 1) {
      --k;
    } else {
      // Only the coefficients of v_2 against the two swapped vectors change (g_2 does not: the
      // span of v_0, v_1 is the same).
      for (int j = 0; j < 2; ++j) mu[2][j] = dot(v[2], g[j]) / n[j];
    }
  }
  return {v, t};
}

void require_valid_lattice(const Mat3& m, const char* input) {
  bool finite = true;
  for (const auto& row : m)
    for (double x : row) finite = finite && std::isfinite(x);
  TORUS_REQUIRE(finite, "the lattice holds a NaN or an infinite entry", input,
                "pass a finite 3x3 lattice (rows a, b, c in Å)");
  const Vec3 l = lengths(m);
  const double scale = l[0] * l[1] * l[2];
  TORUS_REQUIRE(scale > 0.0 && std::abs(det(m)) > 1e-8 * scale,
                "the lattice is singular (volume " + std::to_string(volume(m)) +
                    " Å^3 for cell lengths " + std::to_string(l[0]) + ", " + std::to_string(l[1]) +
                    ", " + std::to_string(l[2]) + " Å)",
                input, "pass three linearly independent cell vectors");
}

}  // namespace torus::crystal::detail
