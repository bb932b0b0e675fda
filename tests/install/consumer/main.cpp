// Transforms one field through the installed library: proves headers, library and
// dependencies all arrive through find_package(torus).
#include <torus/core/runtime.hpp>
#include <torus/fft/plan.hpp>
#include <torus/version.hpp>

#include <cmath>
#include <cstdio>

int main(int argc, char** argv) {
  torus::Runtime runtime(argc, argv);
  torus::fft::Grid<2> grid({8, 8});
  torus::fft::Plan<double, 2, Kokkos::HostSpace> plan(grid, 1, 1, {torus::fft::Planning::estimate});
  auto x = plan.make_real("x");
  auto x_hat = plan.make_spectral("x_hat");
  Kokkos::deep_copy(x, 1.0);
  plan.forward(x, x_hat);
  const bool ok = std::abs(x_hat(0, 0, 0, 0).real() - 64.0) < 1e-12;
  std::printf("torus %s consumer: mean mode %s\n", TORUS_VERSION_STRING, ok ? "ok" : "WRONG");
  return ok ? 0 : 1;
}
