#pragma once
/// \file
/// The structure and composition fingerprints behind the coverage metrics (COV-R, COV-P).
///
/// CDVAE uses matminer's CrystalNN site fingerprints averaged over sites and Magpie composition
/// statistics (132 features, standardised by fixed means and deviations). Neither is available
/// to torus, so these are its own, with the same roles (docs/crystal_metrics.md):
///  - structure: the radial distribution function g(s) in reduced distance s = r / l,
///    l = (V/N)^(1/3), so that it sees the arrangement of atoms and not the scale of the cell
///    (as CrystalNN's coordination environments do not), blind to elements like CrystalNN's
///    element-agnostic fingerprint;
///  - composition: fraction-weighted mean, minimum, maximum, range and mean absolute deviation
///    of five element properties that Magpie also uses (Z, atomic mass, Pauling
///    electronegativity, period, group), each divided by that property's standard deviation
///    over the elements 1 ... 100.
/// Distances between these fingerprints are not on CrystalNN's or Magpie's scale: coverage
/// thresholds must be calibrated for them (crystal/coverage.hpp gives the defaults and how).

#include <vector>

#include "torus/crystal/crystal.hpp"

namespace torus::crystal {

/// The grid and smearing of the radial-distribution fingerprint, in units of l = (V/N)^(1/3).
struct RdfOptions {
  double cutoff = 3.0;  ///< s_max: pairs up to r = cutoff * l (about 7 Å in a perovskite)
  int bins = 60;        ///< bins of width s_max / bins over [0, s_max]
  double sigma = 0.05;  ///< standard deviation of the Gaussian each pair is smeared with
};

/// The smeared radial distribution function on the bins of `options` (bin k centred at
/// s_k = (k + 1/2) ds, ds = s_max / bins):
///   g_k = 1 / (N rho) sum_i sum_{(j, n) != (i, 0)} P_k(s_ij) / (4 pi s_k^2 ds),
/// P_k(s) the mass of a Gaussian of width sigma centred at s that falls into bin k, rho = 1 atom
/// per l^3 (reduced units). g tends to 1 at long range for any crystal. Throws torus::Error for
/// an invalid crystal or options.
std::vector<double> structure_fingerprint(const Crystal& crystal, const RdfOptions& options = {});

/// The distance between two structure fingerprints: the root-mean-square difference of g over
/// the bins, sqrt(mean_k (g_k - h_k)^2). Throws torus::Error when the lengths differ.
double structure_fingerprint_distance(const std::vector<double>& g, const std::vector<double>& h);

/// The period (row) of element `z` of the periodic table, 1 ... 7.
int element_period(int z);

/// The group (column) of element `z`, 1 ... 18; lanthanoids and actinoids (La-Lu, Ac-Lr) count
/// as group 3, as in Magpie's column numbering.
int element_group(int z);

/// The 25 composition features of the atomic numbers `numbers` (one per atom): for each of the
/// properties Z, mass, electronegativity, period, group (in that order) the fraction-weighted
/// mean, min, max, range (max - min) and mean absolute deviation sum_e x_e |p_e - mean|, divided
/// by the property's standard deviation over the elements 1 ... 100. Elements without an
/// electronegativity (He, Ne, Ar) are left out of its statistics (fractions renormalised;
/// all five are 0 when no element has one). Throws torus::Error for an empty list or an unknown
/// atomic number.
std::vector<double> composition_fingerprint(const std::vector<int>& numbers);

/// The Euclidean distance between two fingerprints of equal length (the composition distance).
/// Throws torus::Error when the lengths differ.
double euclidean_distance(const std::vector<double>& a, const std::vector<double>& b);

}  // namespace torus::crystal
