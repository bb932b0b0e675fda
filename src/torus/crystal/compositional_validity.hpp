#pragma once
/// \file
/// Compositional validity as the crystal-generation literature measures it (CDVAE's
/// `smact_validity` with use_pauling_test=True and include_alloys=True, which DiffCSP and later
/// work reuse), re-derived on torus's element table:
///  1. the element counts are divided by their greatest common divisor;
///  2. a composition of one element is valid, and so is one made only of metals (an alloy);
///  3. otherwise it is valid when some choice of one common oxidation state q_e per element
///     is charge neutral, sum_e n_e q_e = 0, and passes Pauling's electronegativity test:
///     for every cation c (q_c > 0) and anion a (q_a < 0), chi_c < chi_a. A pair with an
///     undefined electronegativity never fails the test (SMACT skips elements without one).
///
/// Where this differs from CDVAE: SMACT draws oxidation states from its own, much longer lists
/// (every known state); torus uses pymatgen's `common_oxidation_states`
/// (crystal/data/elements.csv) and its metal flag for the alloy rule. The difference is large:
/// on Perov-5 test, 30.3 % of the compositions are valid with the common states, 97.7 % with
/// pymatgen's full `oxidation_states` (closer to SMACT). Rates from torus are therefore not
/// comparable with published compositional validity or CSP match rates (docs/crystal_metrics.md).
/// TODO(crystal): add the full oxidation-state lists to the element table and make them the
/// states of this test, so that its rates approach SMACT's.

#include <vector>

namespace torus::crystal {

/// True when the composition of these atomic numbers (one entry per atom, any order, e.g. a
/// Crystal's `numbers`) is compositionally valid (file comment). Throws torus::Error for an empty
/// list or an atomic number outside 1 ... 100.
bool compositional_validity(const std::vector<int>& numbers);

}  // namespace torus::crystal
