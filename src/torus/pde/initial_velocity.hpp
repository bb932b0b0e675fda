#pragma once
/// \file
/// Initial 3-D velocity fields for the Navier–Stokes solver (ns3d.hpp): the Taylor–Green vortex
/// of the classic transition benchmark and the ABC (Arnold–Beltrami–Childress) flow, an exact
/// steady-shape solution.
///
/// \code
/// fft::Grid<3> grid({64, 64, 64}, runtime.comm(), {}, {two_pi, two_pi, two_pi});
/// pde::Ns3dSystem system(grid, {.nu = 1.0 / 1600});
/// fft::Plan<double, 3> plan(grid, 1, 3);
/// auto u = plan.make_real("u");
/// pde::taylor_green_velocity(grid, u, /*amplitude=*/1.0);
/// system.to_spectral(u, u_hat);
/// \endcode
///
/// Fields fill every flow of a (batch, 3, local x, y, z) View; channel c is the component
/// along physical axis c, and grid point (i, j, l) sits at (i L0 / n0, j L1 / n1, l L2 / n2).

#include "torus/fft/fields.hpp"
#include "torus/fft/grid.hpp"

namespace torus::pde {

/// The 3-D Taylor–Green vortex (Taylor & Green 1937; Brachet et al. 1983) with m periods per
/// side, kappa_a = 2 pi m / L_a:
///   u = V0 sin(kappa_0 x) cos(kappa_1 y) cos(kappa_2 z),
///   v = -V0 cos(kappa_0 x) sin(kappa_1 y) cos(kappa_2 z),
///   w = 0.
/// It is divergence-free when kappa_0 = kappa_1, so L0 = L1 is required (L2 is free). On
/// [0, 2 pi)^3 with m = 1: E = V0^2 / 8 and <|omega|^2> = 3 V0^2 / 4.
/// Throws torus::Error when L0 != L1, m is not resolved (1 <= m < n_a / 2 on every axis), the
/// View has not 3 channels or its spatial extents are not the grid's local slab.
void taylor_green_velocity(const fft::Grid<3>& grid, const fft::RealField<double, 3>& velocity,
                           double amplitude, int m = 1);

/// The ABC flow on a cube [0, L)^3, kappa = 2 pi m / L:
///   u = A sin(kappa z) + C cos(kappa y),
///   v = B sin(kappa x) + A cos(kappa z),
///   w = C sin(kappa y) + B cos(kappa x).
/// It is a Beltrami field, curl u = kappa u, so u x omega = 0: the Navier–Stokes nonlinearity
/// vanishes and u(t) = u(0) exp(-nu kappa^2 t) exactly. Throws torus::Error when the box is not
/// a cube, m is not resolved, or the View is not (batch, 3, local slab).
void abc_velocity(const fft::Grid<3>& grid, const fft::RealField<double, 3>& velocity, double a,
                  double b, double c, int m = 1);

}  // namespace torus::pde
