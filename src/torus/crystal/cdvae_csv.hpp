#pragma once
/// \file
/// CDVAE's CSV data sets (one crystal per row, a P1 CIF in the `cif` column) as crystal sets.

#include <cstdint>
#include <string>
#include <vector>

#include "torus/crystal/crystal_set.hpp"

namespace torus::crystal {

/// A row of the CSV that did not become a crystal, and why.
struct RowFailure {
  /// 1-based line of the file where the row starts.
  int line = 0;
  /// The row's material_id (or its row number when it has none).
  std::string id;
  std::string reason;
};

/// What a conversion did: rows read, crystals kept, and every row that failed.
struct CsvConversion {
  CrystalSet set;
  std::int64_t rows = 0;
  std::vector<RowFailure> failures;
};

/// Reads a CDVAE CSV file: each row's `cif` column becomes a crystal (read_cif_string),
/// `material_id` its id, and every other column a property: numeric when every value of it
/// parses as a number (empty values become NaN), text otherwise. The unnamed first column that
/// pandas writes (the row index) is kept as `index`. A row that fails (bad CIF, wrong number of
/// fields) is logged at warning level with its line, id and reason and listed in `failures`;
/// it is never dropped silently. Throws torus::Error when the file cannot be read, is not CSV,
/// or has no `cif` column.
CsvConversion read_cdvae_csv(const std::string& path);

}  // namespace torus::crystal
