#pragma once
/// \file
/// The electron density of a crystal on a grid of its cell, from its structure factors through
/// the FFT layer:
///
///   rho(x) = (1/V) sum_h F(h) exp(-2 pi i h . x),   x fractional, V the cell volume in Å^3,
///
/// summed over every Miller index triple h with |h_a| < n_a / 2 on each axis (the modes the grid
/// resolves on both signs; the Nyquist modes of even extents are left out so that the sum stays
/// real). F(h) comes from structure_factor.hpp with s = |h . B| / 2. Each Gaussian of a
/// Cromer-Mann form factor, a exp(-b s^2), is the Fourier transform of the atomic density
/// a (4 pi / b)^(3/2) exp(-4 pi^2 r^2 / b); the constant c is a point charge, which a finite
/// grid can only show as a truncated, ringing spike.

#include <string>
#include <vector>

#include "torus/crystal/crystal.hpp"
#include "torus/crystal/structure_factor.hpp"
#include "torus/fft/grid.hpp"

namespace torus::crystal {

/// rho on this rank's slab of `grid` (the grid's lengths are ignored: point (i, j, k) is the
/// fractional position (i/n0, j/n1, k/n2)), in electrons per Å^3, C order
/// (local x, y, z). `options` chooses the form factors, B factors and whether the Cromer-Mann
/// constant is left out. Collective over the grid's ranks. Throws torus::Error when an extent is
/// below 2, the crystal has no atoms, or an element lacks a form factor.
std::vector<double> electron_density(const Crystal& crystal, const fft::Grid<3>& grid,
                                     const StructureFactorOptions& options = {});

/// Writes the projection of a whole density (n0 * n1 * n2 values, C order) along c, summed over
/// the third index, as a PNG of its square root with the sequential colour map: a along x, b
/// upwards. Throws
/// torus::Error when the sizes disagree or the file cannot be written.
void write_density_png(const std::string& path, const std::vector<double>& density, int n0, int n1,
                       int n2);

}  // namespace torus::crystal
