#include "torus/crystal/composition.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <string>

#include "torus/crystal/elements.hpp"
#include "torus/crystal/lattice.hpp"
#include "torus/crystal/validate.hpp"

namespace torus::crystal {
namespace {

// The sort key of an element in a formula. pymatgen sorts by electronegativity; elements without
// one (He, Ne, Ar) have no defined place there, and go last here.
double order_key(int z) {
  const double x = element(z).electronegativity;
  return std::isnan(x) ? std::numeric_limits<double>::infinity() : x;
}

// pymatgen's formula_double_format: integers without a decimal point, "1" left out when asked.
std::string amount_string(double amount, bool omit_one) {
  if (omit_one && amount == 1.0) return {};
  if (std::abs(amount - std::round(amount)) < 1e-8) {
    return std::to_string(static_cast<long long>(std::round(amount)));
  }
  std::string s = std::to_string(amount);
  s.erase(s.find_last_not_of('0') + 1);
  return s;
}

using Amounts = std::vector<std::pair<int, double>>;

// pymatgen's reduce_formula: divide by the gcd of the counts; with three elements or more, when
// the two most electronegative differ by less than 1.65 they form a polyanion, written last in
// parentheses with its own multiplicity when that is not 1 ("Na2(SO4)" stays "Na2SO4", but
// "Hg2(NO3)2" keeps its group). Returns the formula and the factor.
std::pair<std::string, long long> reduce(Amounts amounts) {
  // Ties in electronegativity are broken by symbol, as pymatgen does.
  std::sort(amounts.begin(), amounts.end(), [](const auto& l, const auto& r) {
    const double kl = order_key(l.first), kr = order_key(r.first);
    if (kl != kr) return kl < kr;
    return element(l.first).symbol < element(r.first).symbol;
  });
  long long factor = 0;
  for (const auto& [z, n] : amounts) factor = std::gcd(factor, std::llround(n));
  if (factor == 0) factor = 1;

  std::string polyanion;
  std::size_t kept = amounts.size();
  if (amounts.size() >= 3) {
    const int last = amounts[amounts.size() - 1].first;
    const int second = amounts[amounts.size() - 2].first;
    if (order_key(last) - order_key(second) < 1.65) {
      Amounts group{{second, amounts[amounts.size() - 2].second / factor},
                    {last, amounts[amounts.size() - 1].second / factor}};
      const auto [group_formula, group_factor] = reduce(group);
      if (group_factor != 1) {
        polyanion = "(" + group_formula + ")" + std::to_string(group_factor);
        kept -= 2;
      }
    }
  }

  std::string out;
  for (std::size_t i = 0; i < kept; ++i) {
    out += element(amounts[i].first).symbol;
    out += amount_string(amounts[i].second / static_cast<double>(factor), true);
  }
  return {out + polyanion, factor};
}

}  // namespace

std::vector<std::pair<int, int>> element_counts(const Crystal& crystal) {
  std::vector<std::pair<int, int>> counts;
  for (int z : crystal.numbers) {
    auto it =
        std::find_if(counts.begin(), counts.end(), [z](const auto& p) { return p.first == z; });
    if (it == counts.end()) {
      counts.emplace_back(z, 1);
    } else {
      ++it->second;
    }
  }
  return counts;
}

std::string formula(const Crystal& crystal) {
  auto counts = element_counts(crystal);
  // Ties in electronegativity (Ir and Ru, K and Rb) go by symbol. pymatgen keeps the order of
  // its sites there, and its CifParser sorts sites by (electronegativity, symbol): this is the
  // formula pymatgen gives every structure it reads from CIF, whatever the order of atoms.
  std::sort(counts.begin(), counts.end(), [](const auto& l, const auto& r) {
    const double kl = order_key(l.first), kr = order_key(r.first);
    if (kl != kr) return kl < kr;
    return element(l.first).symbol < element(r.first).symbol;
  });
  std::string out;
  for (const auto& [z, n] : counts) {
    if (!out.empty()) out += ' ';
    out += element(z).symbol + std::to_string(n);
  }
  return out;
}

std::string reduced_formula(const Crystal& crystal) {
  Amounts amounts;
  for (const auto& [z, n] : element_counts(crystal)) amounts.emplace_back(z, n);
  auto [reduced, factor] = reduce(amounts);
  (void)factor;
  // pymatgen writes peroxides of the alkali metals and hydrogen, and the diatomic elements, with
  // their molecular counts.
  static const std::map<std::string, std::string> molecular = {
      {"LiO", "Li2O2"}, {"NaO", "Na2O2"}, {"KO", "K2O2"}, {"HO", "H2O2"},
      {"CsO", "Cs2O2"}, {"RbO", "Rb2O2"}, {"O", "O2"},    {"N", "N2"},
      {"F", "F2"},      {"Cl", "Cl2"},    {"H", "H2"}};
  const auto it = molecular.find(reduced);
  return it == molecular.end() ? reduced : it->second;
}

double cell_mass(const Crystal& crystal) {
  double m = 0.0;
  for (int z : crystal.numbers) m += element(z).mass;
  return m;
}

double density(const Crystal& crystal) {
  validate(crystal, "crystal");
  // 1 u / 1 Å³ = 1.66053906660e-24 g / 1e-24 cm³ = 1.66053906660 g/cm³ (CODATA 2018 u).
  constexpr double grams_per_cm3 = 1.66053906660;
  return cell_mass(crystal) / volume(crystal.lattice) * grams_per_cm3;
}

}  // namespace torus::crystal
