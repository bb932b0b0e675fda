#pragma once
/// \file
/// The chemical elements Z = 1 ... 100 as torus needs them: symbol, atomic mass, Pauling
/// electronegativity, common and all known oxidation states and whether the element is a metal. The
/// values and their sources are in crystal/data/elements.csv, compiled into the library.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace torus::crystal {

/// The largest atomic number torus knows (fermium).
constexpr int max_atomic_number = 100;

/// One element of the table.
struct ElementData {
  int z = 0;
  std::string symbol;
  /// Standard atomic weight in u (mass number of the longest-lived isotope where there is none).
  double mass = 0.0;
  /// Pauling electronegativity; NaN where undefined (He, Ne, Ar).
  double electronegativity = 0.0;
  /// Common oxidation states in increasing order, as pymatgen's common_oxidation_states.
  std::vector<int> oxidation_states;
  /// Every known oxidation state in increasing order, as pymatgen's Element.oxidation_states
  /// (a superset of oxidation_states).
  std::vector<int> all_oxidation_states;
  /// Alkali, alkaline-earth, transition and post-transition metals, lanthanoids, actinoids.
  bool metal = false;
};

/// The element of atomic number `z`. Throws torus::Error when z is outside 1 ... 100.
const ElementData& element(int z);

/// The atomic number of a chemical symbol ("Fe", also "FE" or "fe"); nullopt when it names no
/// element of the table.
std::optional<int> find_atomic_number(std::string_view symbol);

/// The atomic number of a chemical symbol; throws torus::Error naming `symbol` when it is not
/// one of the elements 1 ... 100.
int atomic_number(std::string_view symbol);

}  // namespace torus::crystal
