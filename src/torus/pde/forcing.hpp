#pragma once
/// \file
/// Forcings of the 2-D vorticity equation
///   d omega/dt + u . grad omega = nu lap omega - mu omega + q(x, y),
/// where q is the curl of a steady body force and mu >= 0 a linear (Rayleigh) drag.
///
/// - none: q = 0 (decaying turbulence).
/// - fno: q = 0.1 (sin 2 pi (x/L0 + y/L1) + cos 2 pi (x/L0 + y/L1)), the forcing of the FNO
///   Navier–Stokes data sets (Li et al. 2021), stated on the unit square.
/// - kolmogorov: the body force F = (A sin(kappa y), 0), kappa = 2 pi m / L1, whose curl is
///   q = dF_y/dx - dF_x/dy = -A kappa cos(kappa y); usually with drag (Kochkov et al. 2021 use
///   m = 4, A = 1, mu = 0.1 on [0, 2 pi)^2).

#include <string>

#include "torus/fft/fields.hpp"
#include "torus/fft/grid.hpp"

namespace torus::pde {

/// Which steady forcing drives the flow.
enum class ForcingKind { none, fno, kolmogorov };

/// "none", "fno" or "kolmogorov".
std::string to_string(ForcingKind kind);
/// The inverse of to_string(); throws torus::Error naming the choices otherwise.
ForcingKind parse_forcing(const std::string& name);

/// A forcing and the linear drag.
struct ForcingOptions {
  ForcingKind kind = ForcingKind::none;
  /// Kolmogorov: whole periods m of sin(kappa y) per side, kappa = 2 pi m / L1 (>= 1).
  int wavenumber = 4;
  /// Kolmogorov: the body force's amplitude A.
  double amplitude = 1.0;
  /// Linear drag mu >= 0 (-mu omega), for any kind.
  double drag = 0.0;
};

/// Throws torus::Error for a drag < 0 or not finite, a Kolmogorov wavenumber < 1 or at or above
/// the grid's Nyquist frequency n1/2, or a non-finite amplitude.
void validate(const ForcingOptions& options, const fft::Grid<2>& grid);

/// Fills q(x, y) (the curl of the body force) into every field of `q` ((batch, 1, local x, y)
/// of `grid`), at the grid points x_i = i L0 / n0, y_j = j L1 / n1. Throws as validate() or when
/// the View is not the grid's local slab.
void forcing_field(const fft::Grid<2>& grid, const ForcingOptions& options,
                   const fft::RealField<double, 2>& q);

}  // namespace torus::pde
