// fft::Wavenumbers against numpy's fftfreq / rfftfreq written out here, on one rank and split
// over the ranks, transposed or not: every rank's tables, the Nyquist option, and that the
// ranks' blocks together hold every frequency exactly once.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <vector>

#include "fft/support.hpp"
#include "torus/core/runtime.hpp"
#include "torus/fft/wavenumbers.hpp"

namespace torus::fft {
namespace {

using testing::two_pi;
using testing::world;
using testing::world_size;

using Host = Kokkos::HostSpace;

// numpy.fft.fftfreq(n) * n: [0, 1, ..., (n-1)//2, -(n//2), ..., -1].
std::vector<int> fftfreq(int n) {
  std::vector<int> f;
  for (int i = 0; i <= (n - 1) / 2; ++i) f.push_back(i);
  for (int i = -(n / 2); i <= -1; ++i) f.push_back(i);
  return f;
}

// numpy.fft.rfftfreq(n) * n: [0, 1, ..., n//2].
std::vector<int> rfftfreq(int n) {
  std::vector<int> f;
  for (int i = 0; i <= n / 2; ++i) f.push_back(i);
  return f;
}

template <int Dim>
std::vector<Grid<Dim>> grids() {
  const int p = world_size();
  std::vector<Grid<Dim>> result;
  if constexpr (Dim == 2) {
    const std::array<double, 2> box{3.0, 0.4};
    result.emplace_back(std::array<int, 2>{8, 6}, MPI_COMM_SELF, GridOptions{}, box);
    result.emplace_back(std::array<int, 2>{7, 9}, MPI_COMM_SELF, GridOptions{}, box);
    for (bool transposed : {false, true}) {
      result.emplace_back(std::array<int, 2>{6 * p, 10}, world(), GridOptions{transposed}, box);
      result.emplace_back(std::array<int, 2>{4 * p, 7}, world(), GridOptions{transposed}, box);
    }
  } else {
    const std::array<double, 3> box{0.5, 2.0, 1.5};
    result.emplace_back(std::array<int, 3>{4, 5, 6}, MPI_COMM_SELF, GridOptions{}, box);
    for (bool transposed : {false, true}) {
      result.emplace_back(std::array<int, 3>{4 * p, 6, 5}, world(), GridOptions{transposed}, box);
      result.emplace_back(std::array<int, 3>{2 * p, 3, 8}, world(), GridOptions{transposed}, box);
    }
  }
  return result;
}

// Float tables are the double value rounded once: a relative error of eps(float) / 2.
template <class T>
double tolerance() {
  return std::is_same_v<T, float> ? 1e-7 : 1e-15;
}

template <class T>
class WavenumbersTest : public ::testing::Test {};
using Precisions = ::testing::Types<float, double>;
TYPED_TEST_SUITE(WavenumbersTest, Precisions);

template <class T, int Dim>
void check_tables(bool zero_nyquist) {
  for (const auto& grid : grids<Dim>()) {
    const Wavenumbers<T, Dim, Host> k(grid, WavenumberOptions{zero_nyquist});
    for (int s = 0; s < Dim; ++s) {
      const int axis = grid.spectral_axis(s);
      const int n = grid.extents()[axis];
      const auto f = axis == Dim - 1 ? rfftfreq(n) : fftfreq(n);
      const int start = s == 0 ? grid.local_spectral_start() : 0;
      ASSERT_EQ(k.k[s].extent(0), static_cast<std::size_t>(grid.local_spectral_extents()[s]));
      for (int i = 0; i < grid.local_spectral_extents()[s]; ++i) {
        const int frequency = f[start + i];
        const bool nyquist = n % 2 == 0 && std::abs(frequency) == n / 2;
        const double expected =
            zero_nyquist && nyquist ? 0.0 : two_pi * frequency / grid.lengths()[axis];
        EXPECT_NEAR(k(s, i), expected, tolerance<T>() * (1 + std::abs(expected)))
            << "storage axis " << s << ", local index " << i << " on " << grid.describe();
      }
    }
    // squared() is the sum of the squares of the three (two) tables.
    const auto& local = grid.local_spectral_extents();
    const int last = Dim == 3 ? local[2] - 1 : 0;
    double expected = 0;
    for (int s = 0; s < Dim; ++s) {
      const int i = s == 0 ? local[0] - 1 : s == 1 ? local[1] - 1 : last;
      expected += static_cast<double>(k(s, i)) * k(s, i);
    }
    EXPECT_NEAR(k.squared(local[0] - 1, local[1] - 1, last), expected, 1e-5 * expected);
  }
}

TYPED_TEST(WavenumbersTest, TablesAreFftfreqOverLength2D) { check_tables<TypeParam, 2>(false); }
TYPED_TEST(WavenumbersTest, TablesAreFftfreqOverLength3D) { check_tables<TypeParam, 3>(false); }
TYPED_TEST(WavenumbersTest, NyquistZeroedOnEveryEvenAxis2D) { check_tables<TypeParam, 2>(true); }
TYPED_TEST(WavenumbersTest, NyquistZeroedOnEveryEvenAxis3D) { check_tables<TypeParam, 3>(true); }

// The split storage axis: over all ranks, every global frequency appears exactly once.
template <int Dim>
void check_coverage() {
  for (const auto& grid : grids<Dim>()) {
    const Wavenumbers<double, Dim, Host> k(grid);
    const int axis = grid.spectral_axis(0);
    const int n = grid.extents()[axis];
    const double dk = two_pi / grid.lengths()[axis];
    const int count = axis == Dim - 1 ? n / 2 + 1 : n;
    std::vector<int> seen(count, 0), total(count, 0);
    for (std::size_t i = 0; i < k.k[0].extent(0); ++i) {
      const int f = static_cast<int>(std::lround(k(0, static_cast<int>(i)) / dk));
      seen.at(f >= 0 ? f : f + n) += 1;
    }
    MPI_Allreduce(seen.data(), total.data(), count, MPI_INT, MPI_SUM, grid.comm());
    for (int g = 0; g < count; ++g) EXPECT_EQ(total[g], 1) << "index " << g << grid.describe();
  }
}

TEST(WavenumbersCoverage, RanksTogetherHoldEveryFrequencyOnce2D) { check_coverage<2>(); }
TEST(WavenumbersCoverage, RanksTogetherHoldEveryFrequencyOnce3D) { check_coverage<3>(); }

}  // namespace
}  // namespace torus::fft
