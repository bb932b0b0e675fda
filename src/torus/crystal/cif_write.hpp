#pragma once
/// \file
/// Writing crystals as P1 CIF, in the layout of pymatgen's CifWriter, so that pymatgen's
/// CifParser, gemmi and torus read them back.

#include <string>

#include "torus/crystal/crystal.hpp"

namespace torus::crystal {

/// The CIF text of `crystal`: one data block named `data_<name>` (the reduced formula when
/// `name` is empty), space group P 1 with the single operation 'x, y, z', the cell parameters,
/// the formula, and one atom site per atom (type symbol, label, multiplicity 1, fractional
/// coordinates, occupancy 1). Lengths, angles and coordinates carry 10 decimals, so a crystal
/// read back differs by less than 1e-9 in coordinates; the lattice comes back in pymatgen's
/// orientation (lattice_from_parameters). Throws torus::Error on an invalid crystal.
std::string write_cif(const Crystal& crystal, const std::string& name = {});

/// Writes write_cif(crystal, name) to `path` atomically (a temporary file next to it, renamed
/// over it when complete). Throws torus::Error when the file cannot be written.
void write_cif_file(const Crystal& crystal, const std::string& path, const std::string& name = {});

}  // namespace torus::crystal
