#pragma once
/// \file
/// The linear assignment problem (a minimum-cost perfect matching of n rows to n columns) by the
/// shortest augmenting path method of Jonker and Volgenant (LAPJV; Computing 38, 325-340, 1987):
/// column reduction, reduction transfer, two rounds of augmenting row reduction, then one
/// Dijkstra-like augmentation per row left free. The structure matcher solves one small problem
/// per lattice mapping and translation, so the solver keeps its work arrays between calls.

#include <vector>

namespace torus::crystal::detail {

class LinearAssignment {
 public:
  /// Solves min_sigma sum_i cost[i n + sigma(i)] over permutations sigma for the row-major
  /// n x n matrix `cost` and returns the minimum; row_to_column()[i] is then sigma(i).
  /// Costs are compared with tolerance `eps` (ties within eps are broken by index order).
  double solve(const double* cost, int n, double eps = 1e-13);

  const std::vector<int>& row_to_column() const { return x_; }

 private:
  std::vector<int> x_, y_, free_, col_, pred_;
  std::vector<double> v_, d_;
};

}  // namespace torus::crystal::detail
