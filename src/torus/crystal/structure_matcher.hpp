#pragma once
/// \file
/// torus::crystal::StructureMatcher: are two crystals the same structure, and how far apart
/// are their atoms? The semantics are pymatgen's `StructureMatcher` (2022.11.7) with its
/// species-exact comparator, so crystal benchmarks computed with torus agree with published
/// match rates and RMS distances decision for decision (see docs/crystal_matching.md and
/// tests/python/test_structure_matcher.py).

#include <optional>

#include "torus/crystal/crystal.hpp"

namespace torus::crystal {

/// Tolerances of the matcher, with pymatgen's defaults. The crystal benchmarks use
/// {.ltol = 0.3, .stol = 0.5, .angle_tol = 10}.
struct MatcherOptions {
  double ltol = 0.2;           ///< fractional tolerance on cell lengths
  double stol = 0.3;           ///< site tolerance, in units of (V/N)^(1/3)
  double angle_tol = 5.0;      ///< tolerance on cell angles, degrees
  bool primitive_cell = true;  ///< reduce both crystals to primitive cells first
  bool scale = true;           ///< scale both cells to the same volume first
  /// Not supported: the matcher throws torus::Error when this is true.
  bool attempt_supercell = false;
};

/// RMS and largest distance between matched atoms, both divided by (V/N)^(1/3) of the average
/// lattice.
struct MatchDistance {
  double rms = 0.0;
  double max_dist = 0.0;
};

/// Compares two crystals up to a choice of cell, a rigid translation, a permutation of atoms of
/// the same element and (with `scale`) a uniform scaling of volume:
///  1. each crystal goes to its Niggli cell, then (with `primitive_cell`) its primitive cell;
///  2. both cells are scaled to the geometric mean of their volumes;
///  3. every basis of crystal a's lattice whose lengths and angles are within ltol and
///     angle_tol of crystal b's cell is tried; distances are measured in the lattice with the
///     mean parameters of the two cells;
///  4. for each basis, each atom of a's rarest element is tried as the image of one fixed atom
///     of b (a translation), atoms are paired by a minimum sum of squared distances (linear
///     assignment over minimum-image vectors) and the mean displacement is removed;
///  5. the crystals match when, for some basis and translation, every pair is closer than
///     stol (V/N)^(1/3).
class StructureMatcher {
 public:
  /// Throws torus::Error for negative tolerances or attempt_supercell.
  explicit StructureMatcher(MatcherOptions options = {});

  const MatcherOptions& options() const { return options_; }

  /// True when `a` and `b` are the same structure within the tolerances (pymatgen's `fit`).
  /// Throws torus::Error for an empty crystal, mismatched arrays, a non-finite coordinate, an
  /// unknown atomic number or a singular lattice.
  bool fit(const Crystal& a, const Crystal& b) const;

  /// The smallest RMS distance over all bases and translations that match, with the largest
  /// pair distance of that pairing (pymatgen's `get_rms_dist`); nullopt when none matches.
  /// Throws like fit.
  std::optional<MatchDistance> get_rms_dist(const Crystal& a, const Crystal& b) const;

 private:
  MatcherOptions options_;
};

}  // namespace torus::crystal
