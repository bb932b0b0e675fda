#pragma once
// What the crystal tests share: where the data sets are, a per-rank scratch path, and the
// rock-salt crystal written out by hand.

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

#include "torus/core/runtime.hpp"
#include "torus/crystal/crystal.hpp"
#include "torus/crystal/lattice.hpp"

namespace torus::crystal::testing {

/// The shared data folder ($TORUS_DATA, else ../shared/data next to the sources); empty when
/// it does not exist.
inline std::string data_dir() {
  const char* env = std::getenv("TORUS_DATA");
  std::string dir = env && *env ? env : TORUS_SHARED_DATA_DIR;
  return std::filesystem::is_directory(dir) ? dir : std::string();
}

/// A file name in the test's working directory that no other rank uses ("set-rank1.h5").
inline std::string scratch(const std::string& stem, const std::string& extension) {
  return stem + "-rank" + std::to_string(Runtime::current().rank()) + extension;
}

/// Conventional rock salt NaCl, a = 5.64 Å: Na on the F-centred lattice, Cl shifted by a/2.
inline Crystal rock_salt() {
  Crystal c;
  c.lattice = lattice_from_parameters({5.64, 5.64, 5.64, 90, 90, 90});
  const Vec3 fcc[4] = {{0, 0, 0}, {0, 0.5, 0.5}, {0.5, 0, 0.5}, {0.5, 0.5, 0}};
  for (const auto& f : fcc) {
    c.frac_coords.push_back(f);
    c.numbers.push_back(11);
  }
  for (const auto& f : fcc) {
    c.frac_coords.push_back(wrap_fractional(Vec3{f[0] + 0.5, f[1], f[2]}));
    c.numbers.push_back(17);
  }
  return c;
}

}  // namespace torus::crystal::testing
