#pragma once
// What the FFT tests share: the world communicator of the test run, and band-limited fields
// written as sums of cosine waves, whose transforms and derivatives are known in closed form.

#include <array>
#include <cmath>
#include <vector>

#include "torus/core/runtime.hpp"

namespace torus::testing {

constexpr double two_pi = 6.283185307179586476925286766559;

inline MPI_Comm world() { return Runtime::current().comm(); }
inline int world_size() { return Runtime::current().size(); }

/// The largest and the sum of one value per rank of `comm`.
inline double global_max(double local, MPI_Comm comm) {
  double result = 0;
  MPI_Allreduce(&local, &result, 1, MPI_DOUBLE, MPI_MAX, comm);
  return result;
}
inline double global_sum(double local, MPI_Comm comm) {
  double result = 0;
  MPI_Allreduce(&local, &result, 1, MPI_DOUBLE, MPI_SUM, comm);
  return result;
}

/// amplitude * cos(2 pi sum_a f_a x_a / L_a + phase)
struct Wave {
  double amplitude;
  std::array<int, 3> f;
  double phase;
};

/// The sum of `waves` at point x of the box with sides `length`.
template <int Dim>
double evaluate(const std::vector<Wave>& waves, const std::array<double, Dim>& x,
                const std::array<double, Dim>& length) {
  double sum = 0;
  for (const Wave& w : waves) {
    double theta = w.phase;
    for (int a = 0; a < Dim; ++a) theta += two_pi * w.f[a] * x[a] / length[a];
    sum += w.amplitude * std::cos(theta);
  }
  return sum;
}

}  // namespace torus::testing
