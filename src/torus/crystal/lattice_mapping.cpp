#include "torus/crystal/lattice_mapping.hpp"

#include <algorithm>
#include <cmath>

namespace torus::crystal::detail {

namespace {

constexpr double kPi = 3.14159265358979323846;

// The cell-list search of pymatgen for one centre at the origin. Points n0 a + n1 b + n2 c are
// generated over n_i in [-m_i - 1, m_i + 1) with m_i = ceil((r + 0.15) |b_i*| / 2 pi), kept when
// every Cartesian component lies in (-r - tol, r + tol), filed into cubes of edge r (each new
// point at the head of its cube's list), and reported cube by cube over the 27 cubes around
// the origin's cube, each cube's list head first, when |x|^2 < r^2 + tol.
std::vector<LatticePoint> points_in_cube_order(const Mat3& m, double r) {
  constexpr double tol = 1e-8;
  const double ledge = r < 0.1 ? 0.1 : r;
  const double valid_min = -r - tol;
  const double valid_max = r + tol;

  int lo[3], hi[3];
  for (int i = 0; i < 3; ++i) {
    const Vec3 c = cross(m[(i + 1) % 3], m[(i + 2) % 3]);
    const double prod = dot(m[i], c);
    Vec3 recip{};
    for (int q = 0; q < 3; ++q) recip[q] = 2 * kPi * c[q] / prod;
    const double maxr = std::ceil((r + 0.15) * std::sqrt(dot(recip, recip)) / (2 * kPi));
    lo[i] = static_cast<int>(std::floor(-maxr - 1e-8));
    hi[i] = static_cast<int>(std::ceil(maxr + 1e-8));
  }
  const int ncube = static_cast<int>(std::ceil((valid_max - valid_min) / ledge));
  auto cube_of = [&](double x) {
    return static_cast<int>(std::floor((x - valid_min + 1e-8) / ledge));
  };

  struct Candidate {
    LatticePoint point;
    int cube;
  };
  std::vector<Candidate> candidates;
  for (int i = lo[0]; i < hi[0]; ++i) {
    for (int j = lo[1]; j < hi[1]; ++j) {
      for (int k = lo[2]; k < hi[2]; ++k) {
        Vec3 x{};
        for (int q = 0; q < 3; ++q) {
          x[q] = static_cast<double>(i) * m[0][q] + static_cast<double>(j) * m[1][q] +
                 static_cast<double>(k) * m[2][q] + 0.0;
        }
        bool inside = true;
        for (int q = 0; q < 3; ++q) inside = inside && x[q] > valid_min && x[q] < valid_max;
        if (!inside) continue;
        const int cube = (cube_of(x[0]) * ncube + cube_of(x[1])) * ncube + cube_of(x[2]);
        candidates.push_back({{{i, j, k}, x, 0.0}, cube});
      }
    }
  }

  const int centre = cube_of(0.0);
  const double r2 = r * r;
  std::vector<LatticePoint> out;
  for (int di = -1; di <= 1; ++di) {
    for (int dj = -1; dj <= 1; ++dj) {
      for (int dk = -1; dk <= 1; ++dk) {
        const int ci = centre + di, cj = centre + dj, ck = centre + dk;
        if (ci < 0 || cj < 0 || ck < 0 || ci >= ncube || cj >= ncube || ck >= ncube) continue;
        const int cube = (ci * ncube + cj) * ncube + ck;
        for (auto it = candidates.rbegin(); it != candidates.rend(); ++it) {
          if (it->cube != cube) continue;
          const Vec3& x = it->point.cart;
          const double d2 = x[0] * x[0] + x[1] * x[1] + x[2] * x[2];
          if (d2 < r2 + tol) {
            LatticePoint p = it->point;
            p.distance = std::sqrt(d2);
            out.push_back(p);
          }
        }
      }
    }
  }
  return out;
}

}  // namespace

std::vector<LatticePoint> lattice_points_in_sphere(const Mat3& m, double radius) {
  // The search takes the radius as a single-precision float and below 1 Å searches 1 Å and
  // keeps the points within the radius.
  const double r = static_cast<double>(static_cast<float>(radius));
  if (r >= 1.0) return points_in_cube_order(m, r);
  std::vector<LatticePoint> points = points_in_cube_order(m, 1.0);
  points.erase(std::remove_if(points.begin(), points.end(),
                              [&](const LatticePoint& p) { return !(p.distance <= r); }),
               points.end());
  return points;
}

void find_all_mappings(const Mat3& m, const Vec3& target_lengths, const Vec3& target_angles,
                       double ltol, double angle_tol,
                       const std::function<bool(const LatticeMapping&)>& visit) {
  const double radius =
      std::max({target_lengths[0], target_lengths[1], target_lengths[2]}) * (1 + ltol);
  const std::vector<LatticePoint> points = lattice_points_in_sphere(m, radius);

  // Candidates for each target vector: lattice vectors whose length ratio is within 1 + ltol.
  struct Vector {
    const LatticePoint* point;
    double length;
  };
  std::array<std::vector<Vector>, 3> cand;
  for (const LatticePoint& p : points) {
    const double length = std::sqrt(dot(p.cart, p.cart));
    for (int v = 0; v < 3; ++v) {
      const double ratio = p.distance / target_lengths[v];
      if (ratio < 1 + ltol && ratio > 1 / (1 + ltol)) cand[v].push_back({&p, length});
    }
  }
  if (cand[0].empty() || cand[1].empty() || cand[2].empty()) return;

  // ok(u, v) = |angle(u, v) - target| < angle_tol, with the angle from the clamped cosine.
  auto close_angles = [&](const std::vector<Vector>& us, const std::vector<Vector>& vs,
                          double target) {
    std::vector<char> ok(us.size() * vs.size());
    for (std::size_t i = 0; i < us.size(); ++i) {
      for (std::size_t j = 0; j < vs.size(); ++j) {
        double x = dot(us[i].point->cart, vs[j].point->cart) / us[i].length / vs[j].length;
        x = std::clamp(x, -1.0, 1.0);
        ok[i * vs.size() + j] = std::abs(std::acos(x) * 180.0 / kPi - target) < angle_tol;
      }
    }
    return ok;
  };
  const std::vector<char> alpha_ok = close_angles(cand[1], cand[2], target_angles[0]);
  const std::vector<char> beta_ok = close_angles(cand[0], cand[2], target_angles[1]);
  const std::vector<char> gamma_ok = close_angles(cand[0], cand[1], target_angles[2]);

  const std::size_t nb = cand[1].size(), nc = cand[2].size();
  LatticeMapping mapping;
  for (std::size_t i = 0; i < cand[0].size(); ++i) {
    for (std::size_t j = 0; j < nb; ++j) {
      if (!gamma_ok[i * nb + j]) continue;
      for (std::size_t k = 0; k < nc; ++k) {
        if (!alpha_ok[j * nc + k] || !beta_ok[i * nc + k]) continue;
        const LatticePoint* rows[3] = {cand[0][i].point, cand[1][j].point, cand[2][k].point};
        const auto& s0 = rows[0]->n;
        const auto& s1 = rows[1]->n;
        const auto& s2 = rows[2]->n;
        const int d = s0[0] * (s1[1] * s2[2] - s1[2] * s2[1]) -
                      s0[1] * (s1[0] * s2[2] - s1[2] * s2[0]) +
                      s0[2] * (s1[0] * s2[1] - s1[1] * s2[0]);
        if (d == 0) continue;
        for (int r = 0; r < 3; ++r) {
          mapping.aligned[r] = rows[r]->cart;
          mapping.scale[r] = rows[r]->n;
        }
        mapping.det_scale = d;
        if (!visit(mapping)) return;
      }
    }
  }
}

}  // namespace torus::crystal::detail
