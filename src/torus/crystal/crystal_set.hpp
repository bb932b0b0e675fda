#pragma once
/// \file
/// Crystal sets: many crystals and their properties in one HDF5 file (layout in docs/hdf5.md,
/// "Crystal sets"). Atoms are ragged: crystal i holds atoms [offsets[i], offsets[i+1]) of the
/// concatenated `frac_coords` and `numbers`.

#include <cstdint>
#include <string>
#include <vector>

#include "torus/crystal/crystal.hpp"

namespace torus::crystal {

/// A property with one number per crystal (NaN where the source had none).
struct NumericColumn {
  std::string name;
  std::vector<double> values;
};

/// A property with one string per crystal.
struct TextColumn {
  std::string name;
  std::vector<std::string> values;
};

/// Crystals with their ids and per-crystal properties, all in the same order.
struct CrystalSet {
  std::vector<Crystal> crystals;
  std::vector<std::string> ids;
  std::vector<NumericColumn> numeric;
  std::vector<TextColumn> text;

  std::int64_t size() const { return static_cast<std::int64_t>(crystals.size()); }
};

/// Writes `set` to the HDF5 file `path` atomically (io::File::create and commit), on this rank
/// alone. `source` is recorded as an attribute (the CSV it came from). Throws torus::Error when
/// the set is empty, its columns or ids do not have one entry per crystal, a crystal is invalid,
/// two columns share a name, or the file cannot be written.
void write_crystal_set(const std::string& path, const CrystalSet& set,
                       const std::string& source = {});

/// The number of crystals in the set at `path`. Throws torus::Error when the file is not a
/// crystal set.
std::int64_t crystal_set_size(const std::string& path);

/// Crystals [begin, end) of the set at `path` (end = -1: to the last), with their ids and
/// properties. Throws torus::Error when the file is not a crystal set, the range lies outside
/// it, or its offsets or atoms are inconsistent.
CrystalSet read_crystal_set(const std::string& path, std::int64_t begin = 0, std::int64_t end = -1);

}  // namespace torus::crystal
