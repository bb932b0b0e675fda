#pragma once
// An independent reference for the FFT layer: the multi-dimensional DFT summed term by term,
//   X[k] = sum_x f[x] exp(-2 pi i sum_a k_a x_a / n_a),
// in long double, on one field stored row-major on the host.

#include <array>
#include <cmath>
#include <complex>
#include <vector>

namespace torus::testing {

template <int Dim>
std::complex<double> naive_dft(const std::vector<double>& field, const std::array<int, Dim>& n,
                               const std::array<int, Dim>& k) {
  const long double two_pi = 6.283185307179586476925286766559L;
  long double re = 0, im = 0;
  std::array<int, Dim> x{};
  const std::size_t total = field.size();
  for (std::size_t flat = 0; flat < total; ++flat) {
    std::size_t rest = flat;
    for (int a = Dim - 1; a >= 0; --a) {
      x[a] = static_cast<int>(rest % n[a]);
      rest /= n[a];
    }
    long double phase = 0;
    for (int a = 0; a < Dim; ++a) {
      // Reduce k x mod n first so the angle stays small and accurate.
      phase += static_cast<long double>((static_cast<long long>(k[a]) * x[a]) % n[a]) / n[a];
    }
    phase *= -two_pi;
    re += field[flat] * std::cos(phase);
    im += field[flat] * std::sin(phase);
  }
  return {static_cast<double>(re), static_cast<double>(im)};
}

}  // namespace torus::testing
