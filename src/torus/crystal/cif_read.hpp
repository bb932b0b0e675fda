#pragma once
/// \file
/// Reading crystals from CIF through gemmi's CIF parser: P1 files as the data sets hold them,
/// and general files whose symmetry operations are expanded to the full cell.

#include <string>

#include "torus/crystal/crystal.hpp"

namespace torus::crystal {

/// How a CIF's sites become atoms.
struct CifReadOptions {
  /// Two images of sites closer than this (minimum-image distance, Å) are one atom. Symmetry
  /// expansion of a site on a special position lands on itself up to the rounding of the
  /// printed coordinates (4-6 digits, i.e. 1e-3 Å and below).
  double merge_distance = 0.01;
  /// Occupancies in [1 - tolerance, 1 + tolerance] count as full; anything else is an error,
  /// since torus crystals have no partial occupancy.
  double occupancy_tolerance = 0.01;
};

/// The crystal of the first data block with a cell (`_cell_length_a`) in the CIF file at
/// `path`. The lattice is built from the cell parameters (lattice_from_parameters). Symmetry
/// comes from `_symmetry_equiv_pos_as_xyz` or `_space_group_symop_operation_xyz`, else from the
/// space group's name (Hall or Hermann-Mauguin) through gemmi's tables, else P1. Every site is
/// mapped by every operation, wrapped into [0, 1), and images within `merge_distance` of an
/// atom already placed are dropped.
/// Throws torus::Error naming the file, and the line where known, when the file cannot be read,
/// is not valid CIF (a truncated loop, an unterminated string), has no cell or no atom sites,
/// names an unknown element, has a partially occupied site, or places two different elements on
/// one position.
Crystal read_cif_file(const std::string& path, const CifReadOptions& options = {});

/// As read_cif_file, for CIF text in memory (a CSV column); `name` stands for the text in
/// error messages ("row 12 of test.csv").
Crystal read_cif_string(const std::string& text, const std::string& name = "CIF text",
                        const CifReadOptions& options = {});

}  // namespace torus::crystal
