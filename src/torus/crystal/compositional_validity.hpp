#pragma once
/// \file
/// Compositional validity as the crystal-generation literature measures it (CDVAE's
/// `smact_validity` with use_pauling_test=True and include_alloys=True, which DiffCSP and later
/// work reuse), re-derived on torus's element table:
///  1. the element counts are divided by their greatest common divisor;
///  2. a composition of one element is valid, and so is one made only of metals (an alloy);
///  3. otherwise it is valid when some choice of one oxidation state q_e per element is charge
///     neutral, sum_e n_e q_e = 0, and passes Pauling's electronegativity test: for every
///     cation c (q_c > 0) and anion a (q_a < 0), chi_c < chi_a. A pair with an undefined
///     electronegativity never fails the test (SMACT skips elements without one).
///
/// Which oxidation states: by default every known state of each element
/// (OxidationStates::all, crystal/data/elements.csv column all_oxidation_states, pymatgen's
/// Element.oxidation_states). The metric is often described as a test on "common oxidation
/// states", but CDVAE's code draws from SMACT's full lists, and the rates the literature reports
/// (about 98-99 %) are only approached with full lists: on Perov-5 test 97.7 % of the
/// compositions are valid with them against 30.3 % with pymatgen's common_oxidation_states
/// (OxidationStates::common), which stays available for a stricter test. The alloy rule uses
/// torus's metal flag (pymatgen's is_metal), and the lists are pymatgen's rather than SMACT's own,
/// so small differences from SMACT remain (docs/crystal_metrics.md).

#include <string>
#include <vector>

namespace torus::crystal {

/// The oxidation states the charge-neutrality test draws from.
enum class OxidationStates {
  all,    ///< every known state (ElementData::all_oxidation_states), SMACT-like; the default
  common  ///< the common states only (ElementData::oxidation_states)
};

/// What compositional_validity tests with.
struct CompositionalValidityOptions {
  OxidationStates oxidation_states = OxidationStates::all;
};

/// True when the composition of these atomic numbers (one entry per atom, any order, e.g. a
/// Crystal's `numbers`) is compositionally valid (file comment). Throws torus::Error for an empty
/// list or an atomic number outside 1 ... 100.
bool compositional_validity(const std::vector<int>& numbers,
                            const CompositionalValidityOptions& options = {});

/// "all" or "common".
const char* to_string(OxidationStates states);

/// The OxidationStates of "all" or "common"; throws torus::Error naming `what` otherwise.
OxidationStates parse_oxidation_states(const std::string& name, const std::string& what);

}  // namespace torus::crystal
