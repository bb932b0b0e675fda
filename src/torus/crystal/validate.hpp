#pragma once
/// \file
/// Checks that a Crystal is one torus can compute with, and the checked way to make one.

#include <string>
#include <vector>

#include "torus/crystal/crystal.hpp"

namespace torus::crystal {

/// Throws torus::Error naming `input` (a file, a row id, an argument) when `crystal` is not
/// usable: no atoms, frac_coords and numbers of different lengths, a non-finite lattice entry
/// or coordinate, a singular lattice, or an atomic number outside 1 ... 100.
void validate(const Crystal& crystal, const std::string& input = "crystal");

/// A validated Crystal with its fractional coordinates wrapped into [0, 1). Throws as validate().
Crystal make_crystal(const Lattice& lattice, std::vector<Vec3> frac_coords,
                     std::vector<int> numbers, const std::string& input = "crystal");

}  // namespace torus::crystal
