#pragma once
/// \file
/// The metrics of crystal generation (CDVAE's GenEval, reused by DiffCSP and later work):
/// structural, compositional and overall validity of the generated crystals, coverage of the
/// reference set (COV-R, COV-P) and the Wasserstein-1 distances between the generated and
/// reference distributions of density and of the number of distinct elements.

#include <cstdint>
#include <vector>

#include "torus/crystal/compositional_validity.hpp"
#include "torus/crystal/coverage.hpp"
#include "torus/crystal/crystal.hpp"
#include "torus/crystal/structural_validity.hpp"

namespace torus::crystal {

/// What metrics_gen measures with.
struct GenerationOptions {
  StructuralValidityOptions validity;
  CompositionalValidityOptions composition;  ///< default: all known oxidation states
  RdfOptions rdf;
  CoverageCutoffs cutoffs;
  bool progress = false;  ///< report the fingerprinting on rank 0 (torus::Progress)
};

/// The generation metrics. Fractions are in [0, 1]; the distances are NaN when no generated
/// crystal is valid.
struct GenerationMetrics {
  std::int64_t generated = 0;
  std::int64_t reference = 0;
  std::int64_t struct_valid = 0;
  std::int64_t comp_valid = 0;
  std::int64_t valid = 0;  ///< structurally and compositionally valid
  double struct_validity = 0.0;
  double comp_validity = 0.0;
  double validity = 0.0;
  double cov_recall = 0.0;
  double cov_precision = 0.0;
  double emd_density = 0.0;   ///< W1 of densities in g/cm³, valid generated vs all reference
  double emd_elements = 0.0;  ///< W1 of numbers of distinct elements, same sets
};

/// The metrics of `generated` against `reference`. Validity fractions are over all generated
/// crystals; coverage and the distances use the valid ones and every reference crystal.
/// CDVAE draws 1000 valid crystals at random for the distances and coverage; torus uses all of
/// them (no sampling noise). Throws torus::Error when either set is empty or a reference
/// crystal is unusable (crystal/validate.hpp).
GenerationMetrics metrics_gen(const std::vector<Crystal>& generated,
                              const std::vector<Crystal>& reference,
                              const GenerationOptions& options = {});

}  // namespace torus::crystal
