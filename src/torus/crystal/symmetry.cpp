#include "torus/crystal/symmetry.hpp"

#include <spglib.h>

#include <mutex>
#include <string>

#include "torus/core/error.hpp"
#include "torus/crystal/lattice.hpp"
#include "torus/crystal/validate.hpp"

namespace torus::crystal {
namespace {

// spglib keeps its last error in a global and, in the versions Debian ships, is not documented
// as thread-safe: every call and the error read that follows it happen under this mutex.
std::mutex& spglib_mutex() {
  static std::mutex m;
  return m;
}

constexpr const char* symmetry_fix =
    "try another --symprec (larger for noisy structures, smaller for close atoms)";

// The last error of spglib in words. Call with the mutex held.
std::string spglib_message() {
  const char* message = spg_get_error_message(spg_get_error_code());
  return message ? message : "unknown spglib error";
}

// A cell in spglib's layout: lattice columns are a, b, c (the transpose of torus's rows), and
// room for `capacity` atoms, since standardisation may return a larger conventional cell.
struct SpglibCell {
  double lattice[3][3];
  std::vector<std::array<double, 3>> positions;
  std::vector<int> types;
  int atoms = 0;

  SpglibCell(const Crystal& c, int capacity)
      : positions(capacity), types(capacity), atoms(c.size()) {
    for (int i = 0; i < 3; ++i) {
      for (int j = 0; j < 3; ++j) lattice[i][j] = c.lattice[j][i];
    }
    for (int a = 0; a < atoms; ++a) {
      positions[a] = c.frac_coords[a];
      types[a] = c.numbers[a];
    }
  }

  double (*position_data())[3] { return reinterpret_cast<double(*)[3]>(positions.data()); }

  Crystal to_crystal(int count) const {
    Crystal c;
    for (int i = 0; i < 3; ++i) {
      for (int j = 0; j < 3; ++j) c.lattice[i][j] = lattice[j][i];
    }
    for (int a = 0; a < count; ++a) {
      c.frac_coords.push_back(wrap_fractional(positions[a]));
      c.numbers.push_back(types[a]);
    }
    return c;
  }
};

// spglib's standardize_cell (to_primitive, no_idealize) or refine_cell.
enum class Standard { conventional, primitive, refined };

Crystal standard_cell(const Crystal& crystal, const SymmetryOptions& o, Standard kind) {
  validate(crystal, "crystal");
  // A conventional cell holds at most 4 times the atoms of the primitive one (F centring), and
  // the input is at least primitive.
  SpglibCell cell(crystal, 4 * crystal.size());
  int count = 0;
  {
    std::lock_guard<std::mutex> lock(spglib_mutex());
    if (kind == Standard::refined) {
      count = spgat_refine_cell(cell.lattice, cell.position_data(), cell.types.data(), cell.atoms,
                                o.symprec, o.angle_tolerance);
    } else {
      count = spgat_standardize_cell(cell.lattice, cell.position_data(), cell.types.data(),
                                     cell.atoms, kind == Standard::primitive ? 1 : 0, 0, o.symprec,
                                     o.angle_tolerance);
    }
    TORUS_REQUIRE(count > 0, "spglib cannot standardise the cell: " + spglib_message(),
                  "crystal (symprec " + std::to_string(o.symprec) + ")", symmetry_fix);
  }
  return cell.to_crystal(count);
}

}  // namespace

SpaceGroup space_group(const Crystal& crystal, const SymmetryOptions& o) {
  validate(crystal, "crystal");
  SpglibCell cell(crystal, crystal.size());
  SpaceGroup g;
  std::lock_guard<std::mutex> lock(spglib_mutex());
  SpglibDataset* data = spgat_get_dataset(cell.lattice, cell.position_data(), cell.types.data(),
                                          cell.atoms, o.symprec, o.angle_tolerance);
  TORUS_REQUIRE(data != nullptr && data->spacegroup_number > 0,
                "spglib finds no space group: " + spglib_message(),
                "crystal (symprec " + std::to_string(o.symprec) + ")", symmetry_fix);
  g.number = data->spacegroup_number;
  g.hall_number = data->hall_number;
  g.international = data->international_symbol;
  g.hall_symbol = data->hall_symbol;
  g.choice = data->choice;
  g.point_group = data->pointgroup_symbol;
  for (int a = 0; a < data->n_atoms; ++a) {
    g.wyckoffs.push_back(std::string(1, static_cast<char>('a' + data->wyckoffs[a])));
    g.equivalent_atoms.push_back(data->equivalent_atoms[a]);
  }
  for (int k = 0; k < data->n_operations; ++k) {
    Rotation r{};
    for (int i = 0; i < 3; ++i) {
      for (int j = 0; j < 3; ++j) r[i][j] = data->rotations[k][i][j];
    }
    g.operations.rotations.push_back(r);
    g.operations.translations.push_back(
        {data->translations[k][0], data->translations[k][1], data->translations[k][2]});
  }
  spg_free_dataset(data);
  return g;
}

Crystal standardize(const Crystal& crystal, const SymmetryOptions& o) {
  return standard_cell(crystal, o, Standard::conventional);
}

Crystal primitive(const Crystal& crystal, const SymmetryOptions& o) {
  return standard_cell(crystal, o, Standard::primitive);
}

Crystal refine(const Crystal& crystal, const SymmetryOptions& o) {
  return standard_cell(crystal, o, Standard::refined);
}

Lattice niggli_reduce(const Lattice& lattice, double eps) {
  double columns[3][3];
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) columns[i][j] = lattice[j][i];
  }
  {
    std::lock_guard<std::mutex> lock(spglib_mutex());
    TORUS_REQUIRE(spg_niggli_reduce(columns, eps) != 0,
                  "spglib cannot Niggli-reduce the lattice: " + spglib_message(), "lattice",
                  "give three linearly independent cell vectors");
  }
  Lattice out{};
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) out[i][j] = columns[j][i];
  }
  return out;
}

SymmetryOperations operations_of_hall(int hall_number) {
  TORUS_REQUIRE(hall_number >= 1 && hall_number <= 530,
                "Hall number " + std::to_string(hall_number) + " is outside 1 ... 530",
                "hall number", "give one of spglib's 530 Hall numbers");
  // 192 is the largest order of a space group in a conventional cell (Fm-3m).
  int rotations[192][3][3];
  double translations[192][3];
  SymmetryOperations ops;
  std::lock_guard<std::mutex> lock(spglib_mutex());
  const int n = spg_get_symmetry_from_database(rotations, translations, hall_number);
  TORUS_REQUIRE(n > 0,
                "spglib has no operations for Hall number " + std::to_string(hall_number) + ": " +
                    spglib_message(),
                "hall number", "give one of spglib's 530 Hall numbers");
  for (int k = 0; k < n; ++k) {
    Rotation r{};
    for (int i = 0; i < 3; ++i) {
      for (int j = 0; j < 3; ++j) r[i][j] = rotations[k][i][j];
    }
    ops.rotations.push_back(r);
    ops.translations.push_back({translations[k][0], translations[k][1], translations[k][2]});
  }
  return ops;
}

std::string spglib_version() {
  return std::to_string(spg_get_major_version()) + "." + std::to_string(spg_get_minor_version()) +
         "." + std::to_string(spg_get_micro_version());
}

}  // namespace torus::crystal
