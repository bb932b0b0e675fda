#include "torus/crystal/compositional_validity.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "torus/core/error.hpp"
#include "torus/crystal/elements.hpp"

namespace torus::crystal {
namespace {

struct Species {
  long long count = 0;
  const ElementData* data = nullptr;
  const std::vector<int>* states = nullptr;  // the states the search draws from
};

// Pauling's test for one assignment of states: no cation may be at least as electronegative as
// an anion. Comparisons with an undefined (NaN) electronegativity are false, so they pass.
bool pauling_order(const std::vector<Species>& species, const std::vector<int>& states) {
  for (std::size_t a = 0; a < species.size(); ++a) {
    for (std::size_t b = 0; b < species.size(); ++b) {
      if (states[a] > 0 && states[b] < 0 &&
          species[a].data->electronegativity >= species[b].data->electronegativity) {
        return false;
      }
    }
  }
  return true;
}

// Depth-first search over one state per element. `low` and `high` bound the charge the
// elements e..end can still add (sums of n_e min q_e and n_e max q_e), which prunes branches that
// can no longer reach zero.
bool search(const std::vector<Species>& species, const std::vector<long long>& low,
            const std::vector<long long>& high, std::size_t e, long long charge,
            std::vector<int>& states) {
  if (e == species.size()) return charge == 0 && pauling_order(species, states);
  if (charge + low[e] > 0 || charge + high[e] < 0) return false;
  for (int q : *species[e].states) {
    states[e] = q;
    if (search(species, low, high, e + 1, charge + species[e].count * q, states)) return true;
  }
  return false;
}

}  // namespace

bool compositional_validity(const std::vector<int>& numbers,
                            const CompositionalValidityOptions& options) {
  TORUS_REQUIRE(!numbers.empty(), "the composition has no atoms", "numbers",
                "give one atomic number per atom");
  std::map<int, long long> counts;
  for (int z : numbers) {
    element(z);  // throws for an atomic number outside the table
    ++counts[z];
  }
  if (counts.size() == 1) return true;

  long long divisor = 0;
  for (const auto& [z, n] : counts) divisor = std::gcd(divisor, n);
  std::vector<Species> species;
  bool all_metals = true;
  for (const auto& [z, n] : counts) {
    const ElementData& data = element(z);
    species.push_back({n / divisor, &data,
                       options.oxidation_states == OxidationStates::all ? &data.all_oxidation_states
                                                                        : &data.oxidation_states});
    all_metals = all_metals && species.back().data->metal;
  }
  if (all_metals) return true;

  // An element without states (the noble gases) admits no assignment at all.
  std::vector<long long> low(species.size() + 1, 0), high(species.size() + 1, 0);
  for (std::size_t e = species.size(); e-- > 0;) {
    const auto& q = *species[e].states;
    if (q.empty()) return false;
    const auto [q_min, q_max] = std::minmax_element(q.begin(), q.end());
    low[e] = low[e + 1] + species[e].count * *q_min;
    high[e] = high[e + 1] + species[e].count * *q_max;
  }
  std::vector<int> states(species.size(), 0);
  return search(species, low, high, 0, 0, states);
}

const char* to_string(OxidationStates states) {
  return states == OxidationStates::all ? "all" : "common";
}

OxidationStates parse_oxidation_states(const std::string& name, const std::string& what) {
  if (name == "all") return OxidationStates::all;
  TORUS_REQUIRE(name == "common", "unknown oxidation-state list '" + name + "'", what,
                "use 'all' (every known state, as SMACT) or 'common'");
  return OxidationStates::common;
}

}  // namespace torus::crystal
