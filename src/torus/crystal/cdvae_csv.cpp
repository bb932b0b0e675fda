#include "torus/crystal/cdvae_csv.hpp"

#include <cerrno>
#include <cstdlib>
#include <limits>
#include <string>

#include "torus/core/error.hpp"
#include "torus/core/log.hpp"
#include "torus/crystal/cif_read.hpp"
#include "torus/crystal/csv.hpp"

namespace torus::crystal {
namespace {

// A whole field as a number (strtod, surrounding blanks allowed); false when it is not one.
bool parse_number(const std::string& text, double& value) {
  const char* begin = text.c_str();
  char* end = nullptr;
  errno = 0;
  value = std::strtod(begin, &end);
  if (end == begin) return false;
  while (*end == ' ' || *end == '\t') ++end;
  return *end == '\0';
}

bool blank(const std::string& text) { return text.find_first_not_of(" \t") == std::string::npos; }

}  // namespace

CsvConversion read_cdvae_csv(const std::string& path) {
  const CsvTable table = read_csv_file(path);
  const auto& header = table.header;
  int cif_column = -1, id_column = -1;
  for (int k = 0; k < static_cast<int>(header.size()); ++k) {
    if (header[k] == "cif") cif_column = k;
    if (header[k] == "material_id") id_column = k;
  }
  TORUS_REQUIRE(cif_column >= 0, "the CSV has no 'cif' column", path,
                "give a CDVAE-style CSV: one row per crystal, a P1 CIF in the column 'cif'");

  CsvConversion out;
  out.rows = static_cast<std::int64_t>(table.rows.size());
  std::vector<const std::vector<std::string>*> kept;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const auto& row = table.rows[r];
    const int line = table.row_lines[r];
    std::string id = id_column >= 0 && id_column < static_cast<int>(row.size())
                         ? row[id_column]
                         : "row " + std::to_string(r + 1);
    std::string reason;
    if (row.size() != header.size()) {
      reason = "the row has " + std::to_string(row.size()) + " fields, the header " +
               std::to_string(header.size());
    } else {
      try {
        out.set.crystals.push_back(
            read_cif_string(row[cif_column], path + " line " + std::to_string(line)));
        out.set.ids.push_back(id);
        kept.push_back(&row);
        continue;
      } catch (const Error& e) {
        reason = e.problem();
      }
    }
    log::warn("{} line {}: crystal '{}' skipped: {}", path, line, id, reason);
    out.failures.push_back({line, id, reason});
  }

  // Every other column becomes a property of the kept crystals.
  for (int k = 0; k < static_cast<int>(header.size()); ++k) {
    if (k == cif_column || k == id_column) continue;
    const std::string name = header[k].empty() ? "index" : header[k];
    bool numeric = true;
    std::vector<double> numbers;
    numbers.reserve(kept.size());
    for (const auto* row : kept) {
      const std::string& field = (*row)[k];
      double x = std::numeric_limits<double>::quiet_NaN();
      if (!blank(field) && !parse_number(field, x)) {
        numeric = false;
        break;
      }
      numbers.push_back(x);
    }
    if (numeric) {
      out.set.numeric.push_back({name, std::move(numbers)});
    } else {
      TextColumn column{name, {}};
      for (const auto* row : kept) column.values.push_back((*row)[k]);
      out.set.text.push_back(std::move(column));
    }
  }
  return out;
}

}  // namespace torus::crystal
