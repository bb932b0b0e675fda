#pragma once
/// \file
/// The Wasserstein-1 (earth mover's) distance between two one-dimensional empirical
/// distributions, as scipy.stats.wasserstein_distance computes it for unweighted samples: the
/// generation benchmarks compare densities and numbers of elements this way.

#include <vector>

namespace torus::crystal {

/// W1(u, v) = integral over x of |F_u(x) - F_v(x)| dx, F the empirical CDFs of the samples
/// (each sample weighing 1/size). Throws torus::Error when a sample is empty or holds a
/// non-finite value.
double wasserstein_distance(std::vector<double> u, std::vector<double> v);

}  // namespace torus::crystal
