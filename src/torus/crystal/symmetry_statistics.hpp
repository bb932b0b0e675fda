#pragma once
/// \file
/// Space-group statistics of a crystal set, and its refined cells.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "torus/crystal/crystal_set.hpp"
#include "torus/crystal/symmetry.hpp"

namespace torus::crystal {

/// A crystal whose symmetry could not be found, and spglib's reason.
struct SymmetryFailure {
  std::int64_t index = 0;
  std::string id;
  std::string reason;
};

/// How many crystals of a set fall in each space group.
struct SpaceGroupStatistics {
  /// Space-group number -> number of crystals.
  std::map<int, std::int64_t> counts;
  /// Space-group number -> its short international symbol.
  std::map<int, std::string> symbols;
  std::vector<SymmetryFailure> failures;
};

/// Detects the space group of every crystal of `set`. With `refined` non-null, it receives the
/// refined cell (refine()) of every crystal whose detection succeeded, with its id and
/// properties, and a numeric property `space_group`. A failure is counted, logged at warning
/// level and listed, never thrown.
SpaceGroupStatistics space_group_statistics(const CrystalSet& set, const SymmetryOptions& options,
                                            CrystalSet* refined = nullptr);

}  // namespace torus::crystal
