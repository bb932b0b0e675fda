#pragma once
/// \file
/// Diagnostics of 3-D velocity fields, computed from the spectral velocity u_hat ((batch, 3,
/// local spectral block) of a Plan, any layout): kinetic energy, enstrophy, the viscous
/// dissipation and the size of the divergence.
///
/// \code
/// auto E = pde::kinetic_energy(grid, u_hat);            // one value per flow
/// auto eps = pde::dissipation(grid, u_hat, nu);         // nu <|omega|^2>
/// \endcode
///
/// **Conventions.** As in diagnostics.hpp: on a box of sides (L0, L1, L2) and N points, channel
/// c is the Fourier series u_c(x) = sum_f c_f exp(i k.x), k = 2 pi (f0/L0, f1/L1, f2/L2), with
/// c_f = backward_scale(norm, N) u_hat_f. Every scalar is a DOMAIN MEAN (Parseval:
/// <|g|^2> = sum_f |c_f|^2), and omega = curl u has the coefficients i k x c_f:
///   E   = 1/2 <|u|^2>     = 1/2 sum_f |c_f|^2,
///   Z   = 1/2 <|omega|^2> = 1/2 sum_f |k x c_f|^2,
///   eps = nu <|omega|^2>  = 2 nu Z.
/// For a divergence-free field |k x c|^2 = |k|^2 |c|^2, so eps = nu sum_f |k|^2 |c_f|^2 =
/// nu <|grad u|^2>, the rate at which viscosity removes energy: dE/dt = -eps in a periodic box.
/// The r2c block holds f2 >= 0 only; its modes count twice (themselves and their conjugates)
/// except the planes f2 = 0 and, for even n2, f2 = n2/2, which count once.
///
/// Every result is one value per flow, reduced over the grid's communicator, identical on every
/// rank. Fields are double, in the default memory space.

#include <Kokkos_Core.hpp>

#include <vector>

#include "torus/fft/fields.hpp"
#include "torus/fft/grid.hpp"
#include "torus/fft/norm.hpp"

namespace torus::pde {

/// Spectral 3-D velocity coefficients as the diagnostics read them: (batch, 3, local block).
using ConstSpectral3 = fft::FieldTypes<double, 3, fft::DefaultMemorySpace>::const_spectral;

/// Kinetic energy per unit volume E = 1/2 <|u|^2> = 1/2 sum_f |c_f|^2 of every flow of
/// `u_hat` ((batch, 3, local spectral block of `grid`), made with `norm`). Returns `batch`
/// values, the same on every rank. Throws torus::Error when u_hat has not 3 channels or its
/// extents are not the grid's local spectral block.
std::vector<double> kinetic_energy(const fft::Grid<3>& grid, const ConstSpectral3& u_hat,
                                   fft::Norm norm = fft::Norm::backward);

/// Enstrophy per unit volume Z = 1/2 <|omega|^2> = 1/2 sum_f |k x c_f|^2 of every flow (the
/// Nyquist modes count with their full k). Arguments, result and errors as kinetic_energy().
std::vector<double> enstrophy(const fft::Grid<3>& grid, const ConstSpectral3& u_hat,
                              fft::Norm norm = fft::Norm::backward);

/// The dissipation rate eps = nu <|omega|^2> = 2 nu Z of every flow, which equals -dE/dt for a
/// divergence-free flow of viscosity nu. Throws torus::Error for nu < 0 and as
/// kinetic_energy().
std::vector<double> dissipation(const fft::Grid<3>& grid, const ConstSpectral3& u_hat, double nu,
                                fft::Norm norm = fft::Norm::backward);

/// The largest Fourier coefficient of the divergence of every flow, max_f |k . c_f| (0 for a
/// divergence-free field, up to round-off; compare it with the largest |k| |c_f| for a relative
/// size). Arguments, result and errors as kinetic_energy().
std::vector<double> divergence_max(const fft::Grid<3>& grid, const ConstSpectral3& u_hat,
                                   fft::Norm norm = fft::Norm::backward);

}  // namespace torus::pde
