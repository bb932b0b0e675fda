#pragma once
/// \file
/// The wave vector (k_x, k_y, k_z) by physical axis at a local spectral index, whichever
/// storage order the grid uses: what the 3-D velocity kernels (curl, projection, dissipation)
/// share.

#include <Kokkos_Core.hpp>

#include "torus/fft/grid.hpp"
#include "torus/fft/wavenumbers.hpp"

namespace torus::pde::detail {

/// k = 2 pi (f_x / L0, f_y / L1, f_z / L2) at local storage indices (i0, i1, i2) of a Grid<3>'s
/// spectral block (fft/wavenumbers.hpp), by PHYSICAL axis. Trivially copyable into kernels.
struct Wavevector {
  fft::Wavenumbers<double, 3> k;
  bool swapped;  // storage axes 0 and 1 hold y and x (the transposed layout)

  /// Tabulates the wavenumbers of `grid`. Throws nothing beyond allocation failures.
  explicit Wavevector(const fft::Grid<3>& grid) : k(grid), swapped(grid.spectral_axis(0) == 1) {}

  /// k_out[a] = the wavenumber along physical axis a at local storage indices (i0, i1, i2).
  /// The storage order is the identity or swaps the first two axes (fft/grid.hpp).
  KOKKOS_INLINE_FUNCTION void operator()(int i0, int i1, int i2, double (&k_out)[3]) const {
    const double k0 = k.k[0](i0), k1 = k.k[1](i1);
    k_out[0] = swapped ? k1 : k0;
    k_out[1] = swapped ? k0 : k1;
    k_out[2] = k.k[2](i2);
  }
};

}  // namespace torus::pde::detail
