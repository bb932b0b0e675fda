#pragma once
/// \file
/// Diagnostics of the 2-D vorticity solver, computed from the spectral vorticity omega_hat (the
/// r2c coefficients of a Plan's spectral View, any layout): kinetic energy, enstrophy,
/// palinstrophy, the isotropic energy spectrum, the velocity and the CFL number.
///
/// \code
/// plan.forward(omega, omega_hat);                         // Norm::backward
/// auto E = pde::kinetic_energy(grid, omega_hat);          // one value per sample
/// auto spectrum = pde::energy_spectrum(grid, omega_hat);  // spectrum[b][shell]
/// pde::velocity_from_vorticity(grid, omega_hat, u_hat);   // u_hat: (batch, 2, ...)
/// velocity_plan.backward(u_hat, u);
/// auto courant = pde::cfl(grid, u, dt);
/// \endcode
///
/// **Conventions.** On a box [0, L0) x [0, L1) of N = n0 n1 points the field is the Fourier
/// series omega(x) = sum_f c_f exp(i k.x), k = 2 pi (f0 / L0, f1 / L1), whose coefficients are
/// c_f = backward_scale(norm, N) omega_hat_f for coefficients made with normalisation `norm`
/// (1/N for Norm::backward, 1/sqrt(N) for ortho, 1 for forward). The stream function solves
/// -lap psi = omega, so psi_hat = omega_hat / |k|^2 (k != 0; the mean of psi is dropped), and the
/// velocity is u = (d psi/dy, -d psi/dx), so |u_hat|^2 = |omega_hat|^2 / |k|^2.
///
/// Every scalar is a DOMAIN MEAN <.> = (1 / (L0 L1)) integral over the box, so it does not
/// depend on the box area (Parseval: <|g|^2> = sum_f |c_f|^2 over the full spectrum):
///   E = 1/2 <|u|^2>        = 1/2 sum_{f != 0} |c_f|^2 / |k|^2,
///   Z = 1/2 <omega^2>      = 1/2 sum_f |c_f|^2,
///   P = 1/2 <|grad omega|^2> = 1/2 sum_f |k|^2 |c_f|^2.
/// The r2c block holds only f1 >= 0; each of its modes stands for itself and its conjugate -f,
/// so it counts twice, except on the columns f1 = 0 and (even n1) f1 = n1/2, which hold both f
/// and -f already and count once.
///
/// Every result is one value per sample of the batch, summed (or maximised) over the grid's
/// communicator, and identical on every rank. Fields are double, in the default memory space.

#include <Kokkos_Core.hpp>

#include <vector>

#include "torus/fft/fields.hpp"
#include "torus/fft/grid.hpp"
#include "torus/fft/norm.hpp"

namespace torus::pde {

/// Spectral vorticity (or velocity) coefficients as the diagnostics read them.
using ConstSpectral2 = fft::FieldTypes<double, 2, fft::DefaultMemorySpace>::const_spectral;
/// Physical fields as the diagnostics read them.
using ConstReal2 = fft::FieldTypes<double, 2, fft::DefaultMemorySpace>::const_real;

/// Kinetic energy per unit area E = 1/2 <|u|^2> = 1/2 sum_{k != 0} |c_k|^2 / |k|^2 of every
/// sample of `omega_hat` ((batch, 1, local spectral block of `grid`), made with `norm`).
/// Returns `batch` values, the same on every rank. Throws torus::Error when omega_hat has not
/// exactly one channel or its extents are not the grid's local spectral block.
std::vector<double> kinetic_energy(const fft::Grid<2>& grid, const ConstSpectral2& omega_hat,
                                   fft::Norm norm = fft::Norm::backward);

/// Enstrophy per unit area Z = 1/2 <omega^2> = 1/2 sum_k |c_k|^2 of every sample. Arguments,
/// result and errors as kinetic_energy().
std::vector<double> enstrophy(const fft::Grid<2>& grid, const ConstSpectral2& omega_hat,
                              fft::Norm norm = fft::Norm::backward);

/// Palinstrophy per unit area P = 1/2 <|grad omega|^2> = 1/2 sum_k |k|^2 |c_k|^2 of every
/// sample (full |k|, Nyquist modes included). Arguments, result and errors as kinetic_energy().
std::vector<double> palinstrophy(const fft::Grid<2>& grid, const ConstSpectral2& omega_hat,
                                 fft::Norm norm = fft::Norm::backward);

/// The width of the energy spectrum's shells, dk = 2 pi / max(L0, L1): the smallest nonzero
/// wavenumber of the box, so that every mode k != 0 lies in a shell >= 1 (on the unit square
/// dk = 2 pi and the shell of k is round(|f|)).
double spectrum_shell_width(const fft::Grid<2>& grid);

/// The number of shells of energy_spectrum(): 1 + the shell of the largest |k| of the grid,
/// the corner (n0/2, n1/2) (integer division).
int spectrum_shells(const fft::Grid<2>& grid);

/// The isotropic energy spectrum of every sample: spectrum[b][j] = sum over the modes k with
/// round(|k| / dk) = j (dk = spectrum_shell_width()) of 1/2 |u_hat_k|^2 = 1/2 |c_k|^2 / |k|^2,
/// so that sum_j spectrum[b][j] = kinetic_energy()[b] (Parseval). Shell 0 holds only k = 0
/// and is 0. Returns batch x spectrum_shells(grid) values, the same on every rank. Throws as
/// kinetic_energy().
std::vector<std::vector<double>> energy_spectrum(const fft::Grid<2>& grid,
                                                 const ConstSpectral2& omega_hat,
                                                 fft::Norm norm = fft::Norm::backward);

/// u_hat = the coefficients of the velocity of the vorticity omega_hat: for every sample b,
/// channel 0 is u = d psi/dy (i k_y psi_hat) and channel 1 is v = -d psi/dx (-i k_x psi_hat),
/// with psi_hat = omega_hat / |k|^2 (0 at k = 0). Linear, so u_hat has omega_hat's
/// normalisation. The Nyquist modes of each derivative's axis become 0 (as in
/// fft::derivative: their i k has no real counterpart), so a backward transform is real.
/// Throws torus::Error when omega_hat has not one channel, u_hat has not two channels or
/// another batch, either's extents are not the grid's local spectral block, or they overlap.
void velocity_from_vorticity(const fft::Grid<2>& grid, const ConstSpectral2& omega_hat,
                             const fft::SpectralField<double, 2>& u_hat);

/// The CFL number of every sample of the physical velocity `u` ((batch, 2, local x, y):
/// channel 0 is u, 1 is v): max over the grid points of |u| dt / dx + |v| dt / dy, with
/// dx = L0 / n0, dy = L1 / n1, maximised over the grid's ranks. Throws torus::Error for
/// dt <= 0 (or not finite), a channel count other than 2, or extents that are not the grid's
/// local slab.
std::vector<double> cfl(const fft::Grid<2>& grid, const ConstReal2& u, double dt);

}  // namespace torus::pde
