#include "torus/crystal/symmetry_statistics.hpp"

#include "torus/core/error.hpp"
#include "torus/core/log.hpp"

namespace torus::crystal {

SpaceGroupStatistics space_group_statistics(const CrystalSet& set, const SymmetryOptions& options,
                                            CrystalSet* refined) {
  SpaceGroupStatistics stats;
  std::vector<std::int64_t> kept;
  std::vector<double> numbers;
  if (refined) *refined = CrystalSet{};
  for (std::int64_t i = 0; i < set.size(); ++i) {
    const std::string id =
        i < static_cast<std::int64_t>(set.ids.size()) ? set.ids[i] : std::to_string(i);
    try {
      const SpaceGroup g = space_group(set.crystals[i], options);
      ++stats.counts[g.number];
      stats.symbols[g.number] = g.international;
      if (refined) {
        refined->crystals.push_back(refine(set.crystals[i], options));
        refined->ids.push_back(id);
        kept.push_back(i);
        numbers.push_back(g.number);
      }
    } catch (const Error& e) {
      log::warn("crystal {} ('{}'): no space group: {}", i, id, e.problem());
      stats.failures.push_back({i, id, e.problem()});
    }
  }
  if (refined) {
    for (const auto& column : set.numeric) {
      NumericColumn c{column.name, {}};
      for (auto i : kept) c.values.push_back(column.values[i]);
      refined->numeric.push_back(std::move(c));
    }
    for (const auto& column : set.text) {
      TextColumn c{column.name, {}};
      for (auto i : kept) c.values.push_back(column.values[i]);
      refined->text.push_back(std::move(c));
    }
    bool has_column = false;
    for (const auto& column : refined->numeric) has_column |= column.name == "space_group";
    if (!has_column) refined->numeric.push_back({"space_group", std::move(numbers)});
  }
  return stats;
}

}  // namespace torus::crystal
