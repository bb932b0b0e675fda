#include "torus/crystal/cif_read.hpp"

#include <gemmi/cif.hpp>
#include <gemmi/numb.hpp>
#include <gemmi/symmetry.hpp>

#include <cctype>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "torus/core/error.hpp"
#include "torus/core/log.hpp"
#include "torus/crystal/elements.hpp"
#include "torus/crystal/lattice.hpp"
#include "torus/crystal/validate.hpp"

namespace torus::crystal {
namespace {

namespace cif = gemmi::cif;

constexpr const char* cif_fix =
    "repair the CIF or regenerate it (pymatgen's CifWriter writes "
    "files torus reads)";

std::string at_line(const std::string& name, int line) {
  return line > 0 ? name + " line " + std::to_string(line) : name;
}

// One cell parameter: a number, possibly with a standard uncertainty in parentheses ("3.905(2)").
double cell_value(cif::Block& block, const std::string& tag, const std::string& name) {
  const std::string* value = block.find_value(tag);
  TORUS_REQUIRE(value != nullptr, "the CIF has no " + tag + " (missing cell)", name, cif_fix);
  const double x = cif::as_number(*value);
  const cif::Item* item = block.find_pair_item(tag);
  TORUS_REQUIRE(std::isfinite(x), tag + " is '" + *value + "', not a number",
                at_line(name, item ? item->line_number : -1), cif_fix);
  return x;
}

// The element of a site from its type symbol ("Fe2+", "O2-", "Ca") or label ("Fe1", "CA2"): the
// leading letters, read as a two-letter symbol when that is an element, else as one letter.
int site_element(const std::string& text, const std::string& where) {
  std::size_t n = 0;
  while (n < text.size() && n < 2 && std::isalpha(static_cast<unsigned char>(text[n]))) ++n;
  if (n == 2) {
    if (const auto z = find_atomic_number(text.substr(0, 2))) return *z;
  }
  if (n >= 1) {
    if (const auto z = find_atomic_number(text.substr(0, 1))) return *z;
  }
  TORUS_THROW("site '" + text + "' names no chemical element", where,
              "use element symbols H ... Fm in _atom_site_type_symbol");
}

// Every operation of a group: each point operation combined with each centring translation.
std::vector<gemmi::Op> all_operations(const gemmi::GroupOps& group) {
  std::vector<gemmi::Op> ops;
  for (gemmi::Op op : group) ops.push_back(op);
  return ops;
}

// The symmetry operations of the block: listed triplets, else the named space group, else P1.
std::vector<gemmi::Op> symmetry_operations(cif::Block& block, const std::string& name) {
  for (const char* tag : {"_symmetry_equiv_pos_as_xyz", "_space_group_symop_operation_xyz",
                          "_space_group_symop.operation_xyz"}) {
    cif::Column column = block.find_values(tag);
    if (column.item() == nullptr) continue;
    const int line = column.item()->line_number;
    std::vector<gemmi::Op> ops;
    for (const std::string& raw : column) {
      const std::string triplet = cif::as_string(raw);
      try {
        ops.push_back(gemmi::parse_triplet(triplet));
      } catch (const std::exception& e) {
        TORUS_THROW("symmetry operation '" + triplet + "' is not valid: " + e.what(),
                    at_line(name, line), cif_fix);
      }
    }
    TORUS_REQUIRE(!ops.empty(), std::string(tag) + " lists no operation", at_line(name, line),
                  cif_fix);
    return ops;
  }
  for (const char* tag : {"_symmetry_space_group_name_Hall", "_space_group_name_Hall"}) {
    if (const std::string* value = block.find_value(tag)) {
      if (cif::is_null(*value)) continue;
      const std::string hall = cif::as_string(*value);
      try {
        return all_operations(gemmi::symops_from_hall(hall.c_str()));
      } catch (const std::exception& e) {
        TORUS_THROW("unknown Hall symbol '" + hall + "': " + e.what(), name, cif_fix);
      }
    }
  }
  for (const char* tag : {"_symmetry_space_group_name_H-M", "_space_group_name_H-M_alt"}) {
    if (const std::string* value = block.find_value(tag)) {
      if (cif::is_null(*value)) continue;
      const std::string hm = cif::as_string(*value);
      const gemmi::SpaceGroup* group = gemmi::find_spacegroup_by_name(hm);
      TORUS_REQUIRE(group != nullptr, "unknown space group '" + hm + "'", name,
                    "list the symmetry operations in _symmetry_equiv_pos_as_xyz");
      return all_operations(group->operations());
    }
  }
  log::debug("{}: no symmetry operations or space group; reading it as P1", name);
  return {gemmi::Op::identity()};
}

Vec3 image_of(const gemmi::Op& op, const Vec3& f) {
  Vec3 out{};
  for (int i = 0; i < 3; ++i) {
    out[i] = (op.rot[i][0] * f[0] + op.rot[i][1] * f[1] + op.rot[i][2] * f[2] + op.tran[i]) /
             static_cast<double>(gemmi::Op::DEN);
  }
  return wrap_fractional(out);
}

Crystal crystal_from_block(cif::Block& block, const std::string& name,
                           const CifReadOptions& options) {
  LatticeParameters p;
  p.a = cell_value(block, "_cell_length_a", name);
  p.b = cell_value(block, "_cell_length_b", name);
  p.c = cell_value(block, "_cell_length_c", name);
  p.alpha = cell_value(block, "_cell_angle_alpha", name);
  p.beta = cell_value(block, "_cell_angle_beta", name);
  p.gamma = cell_value(block, "_cell_angle_gamma", name);
  Crystal crystal;
  try {
    crystal.lattice = lattice_from_parameters(p);
  } catch (const Error& e) {
    TORUS_THROW("the cell is not valid: " + e.problem(), name, cif_fix);
  }

  const std::vector<gemmi::Op> ops = symmetry_operations(block, name);

  cif::Table sites = block.find(
      "_atom_site_", {"fract_x", "fract_y", "fract_z", "?type_symbol", "?label", "?occupancy"});
  TORUS_REQUIRE(
      sites.ok() && sites.length() > 0,
      "the CIF has no atom sites with fractional coordinates (_atom_site_fract_x, _y, _z)", name,
      cif_fix);
  const cif::Item* loop = block.find_loop_item("_atom_site_fract_x");
  const std::string where = at_line(name, loop ? loop->line_number : -1);

  int index = 0;
  for (auto row : sites) {
    ++index;
    const std::string label = row.has2(4) ? row.str(4) : "site " + std::to_string(index);
    TORUS_REQUIRE(row.has2(3) || row.has2(4),
                  "site " + std::to_string(index) + " has neither a type symbol nor a label", where,
                  cif_fix);
    const int z = site_element(row.has2(3) ? row.str(3) : row.str(4), where);

    Vec3 f{};
    for (int k = 0; k < 3; ++k) {
      f[k] = cif::as_number(row[k]);
      TORUS_REQUIRE(std::isfinite(f[k]),
                    "site '" + label + "' has coordinate '" + row[k] + "', not a number", where,
                    cif_fix);
    }
    if (row.has2(5)) {
      const double occupancy = cif::as_number(row[5]);
      TORUS_REQUIRE(
          std::isfinite(occupancy) && std::abs(occupancy - 1.0) <= options.occupancy_tolerance,
          "site '" + label + "' has occupancy " + row[5] + " (partial occupancy or disorder)",
          where,
          "torus crystals hold fully occupied sites only; order the structure first "
          "(e.g. pymatgen's OrderDisorderedStructureTransformation)");
    }

    // Every image of the site under the operations, unless an atom is already there.
    for (const gemmi::Op& op : ops) {
      const Vec3 image = image_of(op, f);
      bool placed = false;
      for (int j = 0; j < crystal.size() && !placed; ++j) {
        const Vec3& g = crystal.frac_coords[j];
        const Vec3 d{image[0] - g[0], image[1] - g[1], image[2] - g[2]};
        if (minimum_image_distance(crystal.lattice, d) >= options.merge_distance) continue;
        TORUS_REQUIRE(crystal.numbers[j] == z,
                      "site '" + label + "' (" + element(z).symbol + ") and an atom of " +
                          element(crystal.numbers[j]).symbol + " share one position",
                      where, "torus crystals hold one element per site; order the structure first");
        placed = true;
      }
      if (!placed) {
        crystal.frac_coords.push_back(image);
        crystal.numbers.push_back(z);
      }
    }
  }
  validate(crystal, name);
  return crystal;
}

Crystal crystal_from_document(cif::Document& document, const std::string& name,
                              const CifReadOptions& options) {
  for (cif::Block& block : document.blocks) {
    if (block.find_value("_cell_length_a") != nullptr) {
      return crystal_from_block(block, name, options);
    }
  }
  TORUS_THROW(document.blocks.empty()
                  ? "the CIF has no data block"
                  : "no data block of the CIF has _cell_length_a (missing cell)",
              name, cif_fix);
}

}  // namespace

Crystal read_cif_string(const std::string& text, const std::string& name,
                        const CifReadOptions& options) {
  cif::Document document;
  try {
    document = cif::read_memory(text.data(), text.size(), name.c_str());
  } catch (const std::exception& e) {
    // gemmi's parse errors read "<name>:<line>:<column>: <problem>".
    TORUS_THROW(std::string("malformed CIF: ") + e.what(), name, cif_fix);
  }
  return crystal_from_document(document, name, options);
}

Crystal read_cif_file(const std::string& path, const CifReadOptions& options) {
  std::ifstream in(path, std::ios::binary);
  TORUS_REQUIRE(in.good(), "cannot open the CIF file", path, "check the path and its permissions");
  std::ostringstream text;
  text << in.rdbuf();
  return read_cif_string(text.str(), path, options);
}

}  // namespace torus::crystal
