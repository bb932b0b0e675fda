#pragma once
/// \file
/// torus's main job until the Navier-Stokes solver lands: a short check, on the ranks of the
/// Runtime, that the FFT layer transforms, differentiates and writes fields correctly, each
/// against an independent truth (analytic derivatives, Parseval's identity, the values put in).

#include <string>
#include <vector>

#include "torus/core/runtime.hpp"

namespace torus {

struct SelfcheckOptions {
  /// Points per side of the 2-D grid (split in x slabs over the ranks); the 3-D check uses n/2.
  int n = 64;
  /// Fields transformed at once.
  int batch = 4;
  /// The HDF5 file written (atomically) and read back.
  std::string output = "torus-selfcheck.h5";
};

/// One verified property: what was measured, the largest error, the tolerance it must meet.
struct SelfcheckResult {
  std::string check;
  double error = 0;
  double tolerance = 0;
  bool passed() const { return error <= tolerance; }
};

/// Runs every check on all ranks of `runtime` (collective) and returns the results, the same on
/// every rank. Throws torus::Error for a grid that does not split over the ranks or an output
/// file that cannot be written.
std::vector<SelfcheckResult> run_selfcheck(Runtime& runtime, const SelfcheckOptions& options);

}  // namespace torus
