#include "torus/crystal/linear_assignment.hpp"

#include <cmath>

namespace torus::crystal::detail {

double LinearAssignment::solve(const double* c, int n, double eps) {
  x_.assign(n, -1);  // x[i]: column of row i
  y_.assign(n, -1);  // y[j]: row of column j
  free_.assign(n, 0);
  col_.assign(n, 0);
  pred_.assign(n, 0);
  v_.assign(n, 0.0);  // column dual variables
  d_.assign(n, 0.0);
  int* x = x_.data();
  int* y = y_.data();
  int* fre = free_.data();
  int* col = col_.data();
  int* pred = pred_.data();
  double* v = v_.data();
  double* d = d_.data();
  auto cost = [&](int i, int j) { return c[i * n + j]; };

  // Column reduction, last column first: v_j = min_i c_ij, and column j goes to its minimising
  // row if that row is still free. A row that wins several columns is marked (-2 - column).
  for (int j = n - 1; j >= 0; --j) {
    col[j] = j;
    int i1 = 0;
    double h = cost(0, j);
    for (int i = 1; i < n; ++i) {
      if (cost(i, j) < h) {
        h = cost(i, j);
        i1 = i;
      }
    }
    v[j] = h;
    if (x[i1] == -1) {
      x[i1] = j;
      y[j] = i1;
    } else {
      if (x[i1] > -1) x[i1] = -2 - x[i1];
      y[j] = -1;
    }
  }

  // Reduction transfer: a row holding one column passes its slack to that column's dual,
  // v_j1 -= min_{j != j1} (c_ij - v_j).
  int nfree = -1;
  for (int i = 0; i < n; ++i) {
    if (x[i] == -1) {
      fre[++nfree] = i;
    } else if (x[i] < -1) {
      x[i] = -2 - x[i];
    } else {
      const int j1 = x[i];
      double m = 1e300;
      for (int j = 0; j < n; ++j)
        if (j != j1 && cost(i, j) - v[j] < m) m = cost(i, j) - v[j];
      v[j1] -= m;
    }
  }

  // Augmenting row reduction (twice): a free row takes its cheapest column (reduced cost u1),
  // lowering that column's dual by the gap to the second cheapest (u2); the displaced row is
  // processed next. The step count is capped at n k so near-ties cannot make it cycle long.
  for (int round = 0; round < 2; ++round) {
    int k = 0;
    const int last_free = nfree;
    nfree = -1;
    int steps = 0;
    while (k <= last_free) {
      ++steps;
      const int i = fre[k++];
      double u1 = cost(i, 0) - v[0];
      int j1 = 0, j2 = 0;
      double u2 = 1e300;
      for (int j = 1; j < n; ++j) {
        const double h = cost(i, j) - v[j];
        if (h < u2) {
          if (h >= u1) {
            u2 = h;
            j2 = j;
          } else {
            u2 = u1;
            u1 = h;
            j2 = j1;
            j1 = j;
          }
        }
      }
      int i1 = y[j1];
      const bool strict = u1 + eps < u2 && steps < n * k;
      if (strict) {
        v[j1] = v[j1] - u2 + u1;
      } else if (i1 > -1 && steps < n * k) {
        j1 = j2;
        i1 = y[j1];
      }
      if (i1 > -1) {
        if (strict) {
          fre[--k] = i1;
        } else {
          fre[++nfree] = i1;
        }
      }
      x[i] = j1;
      y[j1] = i;
    }
  }

  // Augmentation: for each remaining free row, grow shortest paths in reduced costs (d) until a
  // free column is reached; columns col[0..low) are scanned, col[low..up) are at the current
  // minimum distance m, col[up..n) are unscanned. Then update the duals of scanned columns and
  // flip the path.
  const int last_free = nfree;
  for (int f = 0; f <= last_free; ++f) {
    const int start = fre[f];
    int low = 0, up = 0, last = 0;
    double m = 0.0;
    for (int j = 0; j < n; ++j) {
      d[j] = cost(start, j) - v[j];
      pred[j] = start;
    }
    int end_column = -1;
    while (end_column < 0) {
      if (up == low) {
        last = low - 1;
        m = d[col[up++]];
        for (int k = up; k < n; ++k) {
          const int j = col[k];
          const double h = d[j];
          if (h <= m + eps) {
            if (h + eps < m) {
              up = low;
              m = h;
            }
            col[k] = col[up];
            col[up++] = j;
          }
        }
        for (int z = low; z < up; ++z) {
          if (y[col[z]] == -1) {
            end_column = col[z];
            break;
          }
        }
        if (end_column >= 0) break;
      }
      const int j1 = col[low++];
      const int i = y[j1];
      const double u1 = cost(i, j1) - v[j1] - m;
      for (int k = up; k < n; ++k) {
        const int j = col[k];
        const double h = cost(i, j) - v[j] - u1;
        if (h + eps < d[j]) {
          d[j] = h;
          pred[j] = i;
          if (std::abs(h - m) < eps) {
            if (y[j] == -1) {
              end_column = j;
              break;
            }
            col[k] = col[up];
            col[up++] = j;
          }
        }
      }
    }
    for (int k = 0; k <= last; ++k) {
      const int j = col[k];
      v[j] += d[j] - m;
    }
    int j = end_column;
    while (true) {
      const int i = pred[j];
      y[j] = i;
      const int previous = x[i];
      x[i] = j;
      if (i == start) break;
      j = previous;
    }
  }

  double total = 0.0;
  for (int i = 0; i < n; ++i) total += cost(i, x[i]);
  return total;
}

}  // namespace torus::crystal::detail
