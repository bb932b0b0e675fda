#include "torus/crystal/elements.hpp"

#include <array>
#include <cctype>
#include <cmath>
#include <limits>
#include <string>

#include "torus/core/error.hpp"
#include "torus/crystal/data_table.hpp"

namespace torus::crystal {
namespace {

// The CSV of crystal/data/elements.csv as one string literal (see src/CMakeLists.txt).
constexpr const char* elements_csv =
#include "torus/crystal/elements.inc"
    ;

// The table is parsed once, on first use. A malformed table is a defect of the build, not of the
// user's input, but it still says which line is wrong.
using Table = std::array<ElementData, max_atomic_number + 1>;

Table parse_table() {
  Table table{};
  int count = 0;
  detail::for_each_table_row(
      elements_csv, "crystal/data/elements.csv", 7, [&](const auto& fields, const auto& where) {
        ElementData e;
        e.z = std::stoi(fields[0]);
        TORUS_REQUIRE(e.z >= 1 && e.z <= max_atomic_number && table[e.z].z == 0,
                      "the element table has a bad or repeated atomic number", where,
                      "repair the data file and rebuild");
        e.symbol = fields[1];
        e.mass = std::stod(fields[2]);
        e.electronegativity =
            fields[3].empty() ? std::numeric_limits<double>::quiet_NaN() : std::stod(fields[3]);
        for (const auto& state : detail::split_fields(fields[4], ' ')) {
          if (!state.empty()) e.oxidation_states.push_back(std::stoi(state));
        }
        for (const auto& state : detail::split_fields(fields[5], ' ')) {
          if (!state.empty()) e.all_oxidation_states.push_back(std::stoi(state));
        }
        e.metal = fields[6] == "1";
        table[e.z] = std::move(e);
        ++count;
      });
  TORUS_REQUIRE(count == max_atomic_number, "the element table does not list Z = 1 ... 100",
                "crystal/data/elements.csv", "repair the data file and rebuild");
  return table;
}

const Table& table() {
  static const Table t = parse_table();
  return t;
}

}  // namespace

const ElementData& element(int z) {
  TORUS_REQUIRE(z >= 1 && z <= max_atomic_number,
                "atomic number " + std::to_string(z) + " is outside 1 ... 100", "atomic number",
                "use elements H (1) to Fm (100)");
  return table()[z];
}

std::optional<int> find_atomic_number(std::string_view symbol) {
  if (symbol.empty() || symbol.size() > 2) return std::nullopt;
  // Chemical symbols are one capital and at most one small letter; accept any case.
  std::string canonical(symbol);
  canonical[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(canonical[0])));
  if (canonical.size() == 2) {
    canonical[1] = static_cast<char>(std::tolower(static_cast<unsigned char>(canonical[1])));
  }
  for (int z = 1; z <= max_atomic_number; ++z) {
    if (table()[z].symbol == canonical) return z;
  }
  return std::nullopt;
}

int atomic_number(std::string_view symbol) {
  const auto z = find_atomic_number(symbol);
  TORUS_REQUIRE(z.has_value(), "'" + std::string(symbol) + "' is not a chemical element",
                "element symbol", "use a symbol of the elements H ... Fm (Z = 1 ... 100)");
  return *z;
}

}  // namespace torus::crystal
