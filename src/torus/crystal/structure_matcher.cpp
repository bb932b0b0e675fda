#include "torus/crystal/structure_matcher.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <map>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include "torus/core/error.hpp"
#include "torus/crystal/lattice.hpp"
#include "torus/crystal/lattice_geometry.hpp"
#include "torus/crystal/lattice_mapping.hpp"
#include "torus/crystal/linear_assignment.hpp"
#include "torus/crystal/niggli.hpp"
#include "torus/crystal/primitive_cell.hpp"

namespace torus::crystal {

namespace {

using detail::Mat3;
constexpr double kPi = 3.14159265358979323846;

void require_valid(const Crystal& c, const char* name) {
  TORUS_REQUIRE(c.size() > 0, "the crystal has no atoms", name, "pass at least one atom");
  TORUS_REQUIRE(c.frac_coords.size() == c.numbers.size(),
                "the crystal has " + std::to_string(c.frac_coords.size()) +
                    " fractional coordinates but " + std::to_string(c.numbers.size()) +
                    " atomic numbers",
                name, "give one atomic number per atom");
  detail::require_valid_lattice(c.lattice, name);
  for (std::size_t s = 0; s < c.frac_coords.size(); ++s) {
    for (double x : c.frac_coords[s]) {
      TORUS_REQUIRE(std::isfinite(x),
                    "atom " + std::to_string(s) + " has a non-finite fractional coordinate", name,
                    "pass finite fractional coordinates");
    }
    TORUS_REQUIRE(
        c.numbers[s] >= 1 && c.numbers[s] <= 118,
        "atom " + std::to_string(s) + " has atomic number " + std::to_string(c.numbers[s]), name,
        "give atomic numbers between 1 and 118");
  }
}

std::map<int, int> composition(const Crystal& c) {
  std::map<int, int> counts;
  for (int z : c.numbers) ++counts[z];
  return counts;
}

// Same reduced formula: the element counts are proportional with the same ratio.
bool same_reduced_composition(const Crystal& a, const Crystal& b) {
  const auto ca = composition(a), cb = composition(b);
  if (ca.size() != cb.size()) return false;
  int ga = 0, gb = 0;
  for (const auto& [z, n] : ca) ga = std::gcd(ga, n);
  for (const auto& [z, n] : cb) gb = std::gcd(gb, n);
  for (auto ia = ca.begin(), ib = cb.begin(); ia != ca.end(); ++ia, ++ib) {
    if (ia->first != ib->first || ia->second / ga != ib->second / gb) return false;
  }
  return true;
}

// Niggli cell, then primitive cell (itself Niggli-reduced when it is smaller).
Crystal reduced(const Crystal& c, bool primitive) {
  Crystal r = detail::niggli_reduced(c);
  return primitive ? detail::primitive_cell(r) : r;
}

Vec3 parameters_mean(const Mat3& x, const Mat3& y, Vec3& mean_angles) {
  const Vec3 lx = detail::lengths(x), ly = detail::lengths(y);
  const Vec3 ax = detail::angles(x), ay = detail::angles(y);
  Vec3 mean_lengths{};
  for (int i = 0; i < 3; ++i) {
    mean_lengths[i] = (lx[i] + ly[i]) / 2;
    mean_angles[i] = (ax[i] + ay[i]) / 2;
  }
  return mean_lengths;
}

struct Match {
  double value = 0.0;  // rms or max distance, whichever was minimised
  double rms = 0.0;
  double max_dist = 0.0;
};

// Matches s2 onto s1 (equal sizes, preprocessed and scaled). Work arrays live here so the loops
// over lattice mappings and translations allocate nothing.
class StrictMatch {
 public:
  StrictMatch(const Crystal& s1, const Crystal& s2, const MatcherOptions& options)
      : s1_(s1), s2_(s2), options_(options), n_(s1.size()) {
    const std::size_t n = static_cast<std::size_t>(n_);
    mask_.resize(n * n);
    for (int i = 0; i < n_; ++i)
      for (int j = 0; j < n_; ++j) mask_[i * n + j] = s2.numbers[i] != s1.numbers[j];
    fc1_.resize(n);
    cart1_.resize(n);
    shifted2_.resize(n);
    lll1_.resize(n);
    lll2_.resize(n);
    lll_cart1_.resize(n);
    lll_cart2_.resize(n);
    d2_.resize(n * n);
    vectors_.resize(n * n);
  }

  // pymatgen's _strict_match: nullopt when no mapping and translation give value < stol.
  std::optional<Match> run(bool use_rms, bool break_on_match) {
    const std::size_t n = static_cast<std::size_t>(n_);
    // Same species multiset (the assignment over the mask has zero cost).
    if (composition(s1_) != composition(s2_)) return std::nullopt;

    // The anchor: the first atom of s2 whose element is rarest in s1, tried against each atom
    // of s1 of that element.
    int anchor = 0, most_masked = -1;
    for (int i = 0; i < n_; ++i) {
      int masked = 0;
      for (int j = 0; j < n_; ++j) masked += mask_[i * n + j];
      if (masked > most_masked) {
        most_masked = masked;
        anchor = i;
      }
    }
    std::vector<int> targets;
    for (int j = 0; j < n_; ++j)
      if (!mask_[anchor * n + j]) targets.push_back(j);

    for (int s = 0; s < n_; ++s) cart1_[s] = detail::row_times(s1_.frac_coords[s], s1_.lattice);

    std::optional<Match> best;
    bool done = false;
    detail::find_all_mappings(
        s1_.lattice, detail::lengths(s2_.lattice), detail::angles(s2_.lattice), options_.ltol,
        options_.angle_tol, [&](const detail::LatticeMapping& mapping) {
          // Only bases of the same cell (|det| = 1): supercells are not attempted.
          if (std::abs(std::abs(mapping.det_scale) - 1) >= 1) return true;
          done = try_mapping(mapping.aligned, targets, anchor, use_rms, break_on_match, best);
          return !done;
        });
    if (done) return best;
    if (best && best->value < options_.stol) return best;
    return std::nullopt;
  }

 private:
  // One lattice mapping: returns true when the search may stop.
  bool try_mapping(const Mat3& aligned, const std::vector<int>& targets, int anchor, bool use_rms,
                   bool break_on_match, std::optional<Match>& best) {
    const std::size_t n = static_cast<std::size_t>(n_);
    // s1 in the aligned basis, wrapped into [0, 1).
    const Mat3 inv = detail::inverse(aligned);
    for (int s = 0; s < n_; ++s) {
      Vec3 f = detail::row_times(cart1_[s], inv);
      for (double& x : f) x -= std::floor(x);
      fc1_[s] = f;
    }
    // Distances are measured in the lattice with the mean parameters of both cells.
    Vec3 mean_angles{};
    const Vec3 mean_lengths = parameters_mean(aligned, s2_.lattice, mean_angles);
    const Mat3 average = lattice_from_parameters({mean_lengths[0], mean_lengths[1], mean_lengths[2],
                                                  mean_angles[0], mean_angles[1], mean_angles[2]});
    const double normalization = std::cbrt(n_ / detail::volume(average));
    // A coarse fractional tolerance per axis: |b_k*| stol / (pi normalization).
    const Vec3 inv_abc = detail::reciprocal_lengths(average);
    Vec3 frac_tol{};
    for (int k = 0; k < 3; ++k) frac_tol[k] = inv_abc[k] * options_.stol / (kPi * normalization);
    bool have_lll = false;

    for (int target : targets) {
      Vec3 t{};
      for (int k = 0; k < 3; ++k) t[k] = fc1_[target][k] - s2_.frac_coords[anchor][k];
      for (int s = 0; s < n_; ++s)
        for (int k = 0; k < 3; ++k) shifted2_[s][k] = s2_.frac_coords[s][k] + t[k];
      if (!is_subset(frac_tol)) continue;

      if (!have_lll) {
        prepare_lll(average, normalization);
        have_lll = true;
      }
      shortest_vectors();
      assignment_.solve(d2_.data(), n_);
      const std::vector<int>& sigma = assignment_.row_to_column();

      // Remove the mean displacement, then d_i = |v_i - mean| normalization.
      Vec3 mean{};
      for (int i = 0; i < n_; ++i)
        for (int k = 0; k < 3; ++k) mean[k] += vectors_[i * n + sigma[i]][k];
      for (double& m : mean) m /= n_;
      double sum2 = 0.0, max_d = 0.0;
      for (int i = 0; i < n_; ++i) {
        const Vec3& v = vectors_[i * n + sigma[i]];
        double d2 = 0.0;
        for (int k = 0; k < 3; ++k) d2 += (v[k] - mean[k]) * (v[k] - mean[k]);
        const double d = std::sqrt(d2) * normalization;
        sum2 += d * d;
        max_d = std::max(max_d, d);
      }
      const double rms = std::sqrt(sum2) / std::sqrt(static_cast<double>(n_));
      const double value = use_rms ? rms : max_d;
      if (!best || value < best->value) {
        best = Match{value, rms, max_d};
        if ((break_on_match || value < 1e-5) && value < options_.stol) return true;
      }
    }
    return false;
  }

  // Every atom of the shifted s2 lies within frac_tol (per axis, modulo 1) of an atom of s1 of
  // its element.
  bool is_subset(const Vec3& frac_tol) const {
    const std::size_t n = static_cast<std::size_t>(n_);
    for (int i = 0; i < n_; ++i) {
      bool found = false;
      for (int j = 0; j < n_ && !found; ++j) {
        if (mask_[i * n + j]) continue;
        found = true;
        for (int k = 0; k < 3 && found; ++k) {
          const double d = shifted2_[i][k] - fc1_[j][k];
          found = !(detail::distance_to_integer(d) > frac_tol[k]);
        }
      }
      if (!found) return false;
    }
    return true;
  }

  // The LLL basis of the average lattice, its 27 image vectors and the per-axis prefilter
  // tolerance |b_k*(LLL)| stol / (pi normalization).
  void prepare_lll(const Mat3& average, double normalization) {
    const detail::LllBasis lll = detail::lll_reduce(average);
    lll_matrix_ = lll.reduced;
    lll_inverse_ = detail::inverse(lll.mapping);
    const Vec3 inv_abc = detail::reciprocal_lengths(lll_matrix_);
    for (int k = 0; k < 3; ++k)
      lll_frac_tol_[k] = inv_abc[k] * options_.stol / (kPi * normalization);
    int image = 0;
    for (int a = -1; a <= 1; ++a)
      for (int b = -1; b <= 1; ++b)
        for (int c = -1; c <= 1; ++c)
          images_[image++] = detail::row_times({double(a), double(b), double(c)}, lll_matrix_);
  }

  // d2(i, j) = min over the 27 LLL images of |r_j(s1) - r_i(s2) + image|^2 for atoms of one
  // element whose LLL fractional separation is within lll_frac_tol on every axis, else 1e20.
  void shortest_vectors() {
    const std::size_t n = static_cast<std::size_t>(n_);
    for (int s = 0; s < n_; ++s) {
      lll2_[s] = detail::row_times(shifted2_[s], lll_inverse_);
      lll1_[s] = detail::row_times(fc1_[s], lll_inverse_);
      Vec3 w2{}, w1{};
      for (int k = 0; k < 3; ++k) {
        w2[k] = detail::python_mod1(lll2_[s][k]);
        w1[k] = detail::python_mod1(lll1_[s][k]);
      }
      lll_cart2_[s] = detail::row_times(w2, lll_matrix_);
      lll_cart1_[s] = detail::row_times(w1, lll_matrix_);
    }
    for (int i = 0; i < n_; ++i) {
      for (int j = 0; j < n_; ++j) {
        double& d2 = d2_[i * n + j];
        Vec3& v = vectors_[i * n + j];
        bool within = !mask_[i * n + j];
        for (int k = 0; k < 3 && within; ++k) {
          const double f = lll1_[j][k] - lll2_[i][k];
          within = !(detail::distance_to_integer(f) > lll_frac_tol_[k]);
        }
        if (!within) {
          d2 = 1e20;
          v = {1e20, 1e20, 1e20};
          continue;
        }
        const Vec3 pre{lll_cart1_[j][0] - lll_cart2_[i][0], lll_cart1_[j][1] - lll_cart2_[i][1],
                       lll_cart1_[j][2] - lll_cart2_[i][2]};
        double best = 1e100;
        int best_image = 0;
        for (int m = 0; m < 27; ++m) {
          const double x = pre[0] + images_[m][0];
          const double y = pre[1] + images_[m][1];
          const double z = pre[2] + images_[m][2];
          const double d = x * x + y * y + z * z;
          if (d < best) {
            best = d;
            best_image = m;
          }
        }
        d2 = best;
        for (int k = 0; k < 3; ++k) v[k] = pre[k] + images_[best_image][k];
      }
    }
  }

  const Crystal& s1_;
  const Crystal& s2_;
  const MatcherOptions& options_;
  const int n_;
  std::vector<char> mask_;  // mask(i, j): atom i of s2 and atom j of s1 differ in element
  std::vector<Vec3> fc1_, cart1_, shifted2_, lll1_, lll2_, lll_cart1_, lll_cart2_;
  std::vector<double> d2_;
  std::vector<Vec3> vectors_;
  Mat3 lll_matrix_{}, lll_inverse_{};
  Vec3 lll_frac_tol_{};
  std::array<Vec3, 27> images_{};
  detail::LinearAssignment assignment_;
};

// pymatgen's _preprocess and _match: reduce, scale to the same volume, and match the smaller
// crystal onto the larger one.
std::optional<Match> match(const Crystal& a, const Crystal& b, const MatcherOptions& options,
                           bool use_rms, bool break_on_match) {
  require_valid(a, "StructureMatcher crystal a");
  require_valid(b, "StructureMatcher crystal b");
  Crystal s1 = reduced(a, options.primitive_cell);
  Crystal s2 = reduced(b, options.primitive_cell);
  if (options.scale) {
    // Both cells to the volume sqrt(V1 V2): L1 *= (V2/V1)^(1/6), L2 /= (V2/V1)^(1/6).
    const double ratio =
        std::pow(detail::volume(s2.lattice) / detail::volume(s1.lattice), 1.0 / 6.0);
    for (auto& row : s1.lattice)
      for (double& x : row) x *= ratio;
    for (auto& row : s2.lattice)
      for (double& x : row) x /= ratio;
  }
  if (s1.size() != s2.size()) return std::nullopt;
  StrictMatch strict(s1, s2, options);
  return strict.run(use_rms, break_on_match);
}

}  // namespace

StructureMatcher::StructureMatcher(MatcherOptions options) : options_(options) {
  TORUS_REQUIRE(options.ltol >= 0 && options.stol >= 0 && options.angle_tol >= 0,
                "negative tolerance (ltol " + std::to_string(options.ltol) + ", stol " +
                    std::to_string(options.stol) + ", angle_tol " +
                    std::to_string(options.angle_tol) + ")",
                "MatcherOptions", "give non-negative tolerances");
  // TODO(crystal): supercell matching (pymatgen's attempt_supercell) is not implemented.
  TORUS_REQUIRE(!options.attempt_supercell, "attempt_supercell is not supported",
                "MatcherOptions::attempt_supercell",
                "compare primitive cells (primitive_cell = true) instead");
}

bool StructureMatcher::fit(const Crystal& a, const Crystal& b) const {
  require_valid(a, "StructureMatcher crystal a");
  require_valid(b, "StructureMatcher crystal b");
  if (!same_reduced_composition(a, b)) return false;
  const std::optional<Match> m = match(a, b, options_, false, true);
  return m.has_value() && m->value <= options_.stol;
}

std::optional<MatchDistance> StructureMatcher::get_rms_dist(const Crystal& a,
                                                            const Crystal& b) const {
  const std::optional<Match> m = match(a, b, options_, true, false);
  if (!m) return std::nullopt;
  return MatchDistance{m->rms, m->max_dist};
}

}  // namespace torus::crystal
