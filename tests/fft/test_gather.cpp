// Gathering slabs on rank 0 and scattering them back, for physical and (transposed) spectral
// layouts, against the global array each rank can compute on its own.
#include <gtest/gtest.h>

#include "torus/core/runtime.hpp"
#include "torus/fft/gather.hpp"
#include "torus/fft/plan.hpp"

namespace torus::fft {
namespace {

using Host = Kokkos::HostSpace;

double global_value(int b, int c, int x, int y, int z) {
  return b * 1e4 + c * 1e3 + x * 100 + y * 10 + z + 0.5;
}

TEST(Gather, PhysicalSlabsRoundTripThroughRankZero) {
  auto& runtime = Runtime::current();
  Grid<3> grid({4 * runtime.size(), 3, 5}, runtime.comm());
  Plan<double, 3, Host> plan(grid, 2, 2, {Planning::estimate});
  auto local = plan.make_real("local");
  for (int b = 0; b < 2; ++b)
    for (int c = 0; c < 2; ++c)
      for (int x = 0; x < grid.local_extents()[0]; ++x)
        for (int y = 0; y < 3; ++y)
          for (int z = 0; z < 5; ++z)
            local(b, c, x, y, z) = global_value(b, c, grid.local_start() + x, y, z);

  auto global = gather_to_root(local, runtime.comm());
  if (runtime.rank() == 0) {
    ASSERT_EQ(global.extent(2), static_cast<std::size_t>(grid.extents()[0]));
    for (int b = 0; b < 2; ++b)
      for (int c = 0; c < 2; ++c)
        for (int x = 0; x < grid.extents()[0]; ++x)
          for (int y = 0; y < 3; ++y)
            for (int z = 0; z < 5; ++z)
              ASSERT_EQ(global(b, c, x, y, z), global_value(b, c, x, y, z));
  } else {
    EXPECT_EQ(global.span(), 0u);
  }

  auto back = plan.make_real("back");
  scatter_from_root(global, back, runtime.comm());
  for (std::size_t i = 0; i < back.span(); ++i) ASSERT_EQ(back.data()[i], local.data()[i]);
}

TEST(Gather, TransposedSpectralBlocksGatherToTheUndistributedTransform) {
  auto& runtime = Runtime::current();
  // 2-D transposed blocks split ny/2+1 = 6 rows unevenly over 4 ranks, evenly over 1 or 2.
  const std::array<int, 2> n{2 * runtime.size(), 10};
  Grid<2> split(n, runtime.comm(), GridOptions{true});
  Grid<2> whole(n);
  Plan<double, 2, Host> split_plan(split, 1, 1, {Planning::estimate});
  Plan<double, 2, Host> whole_plan(whole, 1, 1, {Planning::estimate});
  auto xs = split_plan.make_real("xs");
  auto xw = whole_plan.make_real("xw");
  for (int x = 0; x < n[0]; ++x)
    for (int y = 0; y < n[1]; ++y) {
      const double v = std::sin(0.3 * x + 0.7 * y * y);
      xw(0, 0, x, y) = v;
      const int lx = x - split.local_start();
      if (lx >= 0 && lx < split.local_extents()[0]) xs(0, 0, lx, y) = v;
    }
  auto hs = split_plan.make_spectral("hs");
  auto hw = whole_plan.make_spectral("hw");
  split_plan.forward(xs, hs);
  whole_plan.forward(xw, hw);
  auto gathered = gather_to_root(hs, runtime.comm());
  if (runtime.rank() == 0) {
    // Gathered storage order is (ky, kx) when transposed, (kx, ky) otherwise.
    for (int kx = 0; kx < n[0]; ++kx)
      for (int ky = 0; ky < n[1] / 2 + 1; ++ky) {
        const auto expected = hw(0, 0, kx, ky);
        const auto got = split.transposed() ? gathered(0, 0, ky, kx) : gathered(0, 0, kx, ky);
        ASSERT_LE(Kokkos::abs(got - expected), 1e-12 * n[0] * n[1]);
      }
  }
}

TEST(Gather, ScatterOfTheWrongShapeIsAnError) {
  auto& runtime = Runtime::current();
  Kokkos::View<double****, Host> local("local", 1, 1, 2, 3);
  Kokkos::View<double****, Host> global("global", 1, 1, runtime.rank() == 0 ? 5 : 0, 3);
  EXPECT_THROW(scatter_from_root(global, local, runtime.comm()), Error);
}

}  // namespace
}  // namespace torus::fft
