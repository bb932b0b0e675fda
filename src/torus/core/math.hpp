#pragma once
/// \file
/// Device-callable math functions across Kokkos versions: Kokkos 3.x has them in
/// Kokkos::Experimental, Kokkos 4 in Kokkos.

#include <Kokkos_Core.hpp>

namespace torus::math {
#if KOKKOS_VERSION >= 40000
using Kokkos::ceil;
using Kokkos::cos;
using Kokkos::exp;
using Kokkos::fabs;
using Kokkos::floor;
using Kokkos::log;
using Kokkos::nearbyint;
using Kokkos::sin;
using Kokkos::sqrt;
#else
using Kokkos::Experimental::ceil;
using Kokkos::Experimental::cos;
using Kokkos::Experimental::exp;
using Kokkos::Experimental::fabs;
using Kokkos::Experimental::floor;
using Kokkos::Experimental::log;
using Kokkos::Experimental::nearbyint;
using Kokkos::Experimental::sin;
using Kokkos::Experimental::sqrt;
#endif
}  // namespace torus::math
