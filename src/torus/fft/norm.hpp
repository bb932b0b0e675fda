#pragma once
/// \file
/// Normalisation conventions of the discrete Fourier transform, as NumPy names them.

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

namespace torus::fft {

/// Where the 1/N of a forward-inverse pair goes (N = number of grid points of one field):
/// - backward: forward unscaled, inverse scaled by 1/N (NumPy's default);
/// - ortho: both scaled by 1/sqrt(N), so the transform is unitary (Parseval holds exactly);
/// - forward: forward scaled by 1/N (coefficients are Fourier-series amplitudes), inverse unscaled.
enum class Norm { backward, ortho, forward };

/// Parses "backward", "ortho" or "forward" (and "" as backward, like NumPy's None);
/// throws torus::Error on anything else.
Norm parse_norm(std::string_view name);

/// The name NumPy uses for `norm`.
std::string to_string(Norm norm);

/// The factor the forward transform applies for `norm` on a grid of `points` points.
inline double forward_scale(Norm norm, std::int64_t points) {
  switch (norm) {
    case Norm::backward:
      return 1.0;
    case Norm::ortho:
      return 1.0 / std::sqrt(static_cast<double>(points));
    case Norm::forward:
      return 1.0 / static_cast<double>(points);
  }
  return 1.0;
}

/// The factor the inverse transform applies for `norm` on a grid of `points` points.
inline double backward_scale(Norm norm, std::int64_t points) {
  switch (norm) {
    case Norm::backward:
      return 1.0 / static_cast<double>(points);
    case Norm::ortho:
      return 1.0 / std::sqrt(static_cast<double>(points));
    case Norm::forward:
      return 1.0;
  }
  return 1.0;
}

}  // namespace torus::fft
