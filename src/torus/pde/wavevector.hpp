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
  Kokkos::Array<int, 3> storage_of;  // the storage axis of each physical axis (an involution)

  /// Tabulates the wavenumbers of `grid`. Throws nothing beyond allocation failures.
  explicit Wavevector(const fft::Grid<3>& grid) : k(grid) {
    for (int a = 0; a < 3; ++a) storage_of[a] = grid.spectral_axis(a);
  }

  /// k_out[a] = the wavenumber along physical axis a at local storage indices (i0, i1, i2).
  KOKKOS_INLINE_FUNCTION void operator()(int i0, int i1, int i2, double (&k_out)[3]) const {
    const int i[3] = {i0, i1, i2};
    for (int a = 0; a < 3; ++a) k_out[a] = k(storage_of[a], i[storage_of[a]]);
  }
};

}  // namespace torus::pde::detail
