#pragma once
/// \file
/// The View types of the FFT layer. Physical fields are (batch, channel, x, y[, z]); spectral
/// fields have the same axes with the last one halved by the real-to-complex transform.

#include <Kokkos_Core.hpp>

namespace torus::fft {

/// The memory space fields live in by default: where the default execution space runs.
using DefaultMemorySpace = Kokkos::DefaultExecutionSpace::memory_space;

template <class T, int Dim, class MemorySpace>
struct FieldTypes;

template <class T, class MemorySpace>
struct FieldTypes<T, 2, MemorySpace> {
  using real = Kokkos::View<T****, Kokkos::LayoutRight, MemorySpace>;
  using const_real = Kokkos::View<const T****, Kokkos::LayoutRight, MemorySpace>;
  using spectral = Kokkos::View<Kokkos::complex<T>****, Kokkos::LayoutRight, MemorySpace>;
  using const_spectral =
      Kokkos::View<const Kokkos::complex<T>****, Kokkos::LayoutRight, MemorySpace>;
};

template <class T, class MemorySpace>
struct FieldTypes<T, 3, MemorySpace> {
  using real = Kokkos::View<T*****, Kokkos::LayoutRight, MemorySpace>;
  using const_real = Kokkos::View<const T*****, Kokkos::LayoutRight, MemorySpace>;
  using spectral = Kokkos::View<Kokkos::complex<T>*****, Kokkos::LayoutRight, MemorySpace>;
  using const_spectral =
      Kokkos::View<const Kokkos::complex<T>*****, Kokkos::LayoutRight, MemorySpace>;
};

/// A batch of real fields: (batch, channel, x, y) or (batch, channel, x, y, z).
template <class T, int Dim, class MemorySpace = DefaultMemorySpace>
using RealField = typename FieldTypes<T, Dim, MemorySpace>::real;

/// A batch of spectral fields: (batch, channel, kx, ky/2+1) or (batch, channel, kx, ky, kz/2+1),
/// with the first two spatial axes swapped in a transposed distributed layout.
template <class T, int Dim, class MemorySpace = DefaultMemorySpace>
using SpectralField = typename FieldTypes<T, Dim, MemorySpace>::spectral;

}  // namespace torus::fft
