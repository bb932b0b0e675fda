// Gathering and scattering the low-mode block: entries checked against their frequencies,
// gather-then-scatter against masking, the adjoint identity <gather x, b> = <x, scatter b>, and
// a distributed gather summed over the ranks against the undistributed gather; on one rank and
// split over the ranks, transposed or not, 2-D and 3-D.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <complex>
#include <vector>

#include "fft/support.hpp"
#include "torus/core/random.hpp"
#include "torus/core/runtime.hpp"
#include "torus/fft/low_modes.hpp"
#include "torus/fft/plan.hpp"

namespace torus::fft {
namespace {

using testing::world;
using testing::world_size;

using Host = Kokkos::HostSpace;

template <int Dim>
struct Case {
  Grid<Dim> grid;
  std::array<int, Dim> modes;
};

// Small and full blocks (2m = n on a non-halved axis, m = n/2 + 1 on the halved one).
template <int Dim>
std::vector<Case<Dim>> cases() {
  const int p = world_size();
  std::vector<Case<Dim>> result;
  if constexpr (Dim == 2) {
    result.push_back({Grid<2>({8, 10}), {3, 4}});
    result.push_back({Grid<2>({7, 9}), {3, 5}});
    for (bool transposed : {false, true}) {
      const GridOptions options{transposed};
      result.push_back({Grid<2>({8 * p, 10}, world(), options), {3, 4}});
      result.push_back({Grid<2>({4 * p, 6}, world(), options), {2 * p, 4}});
      result.push_back({Grid<2>({6 * p, 7}, world(), options), {2, 1}});
    }
  } else {
    result.push_back({Grid<3>({6, 8, 6}), {2, 3, 3}});
    for (bool transposed : {false, true}) {
      const GridOptions options{transposed};
      result.push_back({Grid<3>({4 * p, 6, 5}, world(), options), {2, 3, 2}});
      result.push_back({Grid<3>({2 * p, 5, 8}, world(), options), {p, 2, 5}});
    }
  }
  return result;
}

// The test's own bookkeeping: physical frequencies of a local spectral entry.
template <int Dim>
std::array<int, Dim> frequencies_of(const Grid<Dim>& grid, std::int64_t flat) {
  const auto& local = grid.local_spectral_extents();
  std::array<int, Dim> f;
  for (int s = Dim - 1; s >= 0; --s) {
    int g = static_cast<int>(flat % local[s]);
    flat /= local[s];
    if (s == 0) g += grid.local_spectral_start();
    const int axis = grid.spectral_axis(s);
    const int n = grid.extents()[axis];
    f[axis] = (axis == Dim - 1 || 2 * g < n) ? g : g - n;
  }
  return f;
}

// Frequency held at compact index j of a block with m modes along physical axis `axis`.
template <int Dim>
int compact_frequency(int axis, int j, int m) {
  return (axis == Dim - 1 || j < m) ? j : j - 2 * m;
}

template <int Dim>
bool in_block(const std::array<int, Dim>& f, const std::array<int, Dim>& m) {
  bool inside = true;
  for (int a = 0; a < Dim; ++a) {
    inside = inside && (a == Dim - 1 ? f[a] < m[a] : (f[a] >= -m[a] && f[a] < m[a]));
  }
  return inside;
}

// A value that names the field (0..5) and the frequency (|f_a| < 8) it sits at: an integer
// below 2^15, exact in float.
template <int Dim>
std::complex<double> label(int field, const std::array<int, Dim>& f) {
  int code = 0;
  for (int a = Dim - 1; a >= 0; --a) code = 16 * code + (f[a] + 8);
  code = 6 * code + field;
  return {static_cast<double>(code), -0.5 * code};
}

template <class T, int Dim>
using BlockView = typename Plan<T, Dim, Host>::spectral_view;

template <class T, int Dim>
BlockView<T, Dim> make_block(const std::array<int, Dim>& modes, int batch, int channels) {
  const auto e = low_mode_extents<Dim>(modes, batch, channels);
  if constexpr (Dim == 2) {
    return BlockView<T, Dim>("block", e[0], e[1], e[2], e[3]);
  } else {
    return BlockView<T, Dim>("block", e[0], e[1], e[2], e[3], e[4]);
  }
}

void allreduce_sum(std::complex<double>* values, int count, MPI_Comm comm) {
  MPI_Allreduce(MPI_IN_PLACE, values, 2 * count, MPI_DOUBLE, MPI_SUM, comm);
}

template <class T, int Dim>
std::vector<std::complex<double>> summed_over_ranks(const BlockView<T, Dim>& block, MPI_Comm comm) {
  std::vector<std::complex<double>> values(block.span());
  for (std::size_t i = 0; i < block.span(); ++i) {
    values[i] = {block.data()[i].real(), block.data()[i].imag()};
  }
  allreduce_sum(values.data(), static_cast<int>(values.size()), comm);
  return values;
}

template <class T>
class LowModesTest : public ::testing::Test {};
using Precisions = ::testing::Types<float, double>;
TYPED_TEST_SUITE(LowModesTest, Precisions);

template <class T, int Dim>
void check_gather_entries() {
  for (const auto& [grid, modes] : cases<Dim>()) {
    Plan<T, Dim, Host> plan(grid, 2, 3, {Planning::estimate});
    auto x_hat = plan.make_spectral("x_hat");
    const std::int64_t block_points = grid.local_spectral_points();
    for (std::size_t i = 0; i < x_hat.span(); ++i) {
      const auto value =
          label<Dim>(static_cast<int>(i / block_points),
                     frequencies_of(grid, static_cast<std::int64_t>(i) % block_points));
      x_hat.data()[i] =
          Kokkos::complex<T>(static_cast<T>(value.real()), static_cast<T>(value.imag()));
    }
    auto block = make_block<T, Dim>(modes, 2, 3);
    gather_low_modes(grid, modes, x_hat, block);
    const auto full = summed_over_ranks<T, Dim>(block, grid.comm());

    // Entry (field, j) must be the label of field and frequency f(j), every rank adding its own.
    std::size_t flat = 0;
    const auto e = low_mode_extents<Dim>(modes, 2, 3);
    std::int64_t per_field = 1;
    for (int a = 0; a < Dim; ++a) per_field *= e[a + 2];
    for (; flat < full.size(); ++flat) {
      std::int64_t rest = static_cast<std::int64_t>(flat) % per_field;
      std::array<int, Dim> f;
      for (int a = Dim - 1; a >= 0; --a) {
        f[a] = compact_frequency<Dim>(a, static_cast<int>(rest % e[a + 2]), modes[a]);
        rest /= e[a + 2];
      }
      const auto expected = label<Dim>(static_cast<int>(flat / per_field), f);
      ASSERT_EQ(full[flat], expected) << "block entry " << flat << " on " << grid.describe();
    }
  }
}

TYPED_TEST(LowModesTest, GatherPutsEachFrequencyInItsCompactSlot2D) {
  check_gather_entries<TypeParam, 2>();
}
TYPED_TEST(LowModesTest, GatherPutsEachFrequencyInItsCompactSlot3D) {
  check_gather_entries<TypeParam, 3>();
}

template <class T, class View>
void fill_random(const View& view, std::uint64_t seed, std::uint64_t offset = 0) {
  for (std::size_t i = 0; i < view.span(); ++i) {
    const auto c = offset + i;
    view.data()[i] = Kokkos::complex<T>(static_cast<T>(random_uniform({seed, 0}, 2 * c) - 0.5),
                                        static_cast<T>(random_uniform({seed, 0}, 2 * c + 1) - 0.5));
  }
}

template <class T, int Dim>
void check_scatter_of_gather_is_masking() {
  for (const auto& [grid, modes] : cases<Dim>()) {
    Plan<T, Dim, Host> plan(grid, 1, 2, {Planning::estimate});
    auto x_hat = plan.make_spectral("x_hat");
    auto y_hat = plan.make_spectral("y_hat");
    fill_random<T>(x_hat, 5, grid.rank() * x_hat.span());
    fill_random<T>(y_hat, 6);  // scatter must overwrite everything
    auto block = make_block<T, Dim>(modes, 1, 2);
    gather_low_modes(grid, modes, x_hat, block);
    const auto full = summed_over_ranks<T, Dim>(block, grid.comm());
    for (std::size_t i = 0; i < block.span(); ++i) {
      block.data()[i] =
          Kokkos::complex<T>(static_cast<T>(full[i].real()), static_cast<T>(full[i].imag()));
    }
    scatter_low_modes(grid, modes, block, y_hat);
    const std::int64_t block_points = grid.local_spectral_points();
    for (std::size_t i = 0; i < x_hat.span(); ++i) {
      const auto f = frequencies_of(grid, static_cast<std::int64_t>(i) % block_points);
      const auto expected = in_block<Dim>(f, modes) ? x_hat.data()[i] : Kokkos::complex<T>(0, 0);
      ASSERT_EQ(y_hat.data()[i], expected) << "entry " << i << " on " << grid.describe();
    }
  }
}

TYPED_TEST(LowModesTest, ScatterOfGatherIsMasking2D) {
  check_scatter_of_gather_is_masking<TypeParam, 2>();
}
TYPED_TEST(LowModesTest, ScatterOfGatherIsMasking3D) {
  check_scatter_of_gather_is_masking<TypeParam, 3>();
}

// <gather x, b> = <x, scatter b>, each side summed over the ranks; <u, v> = sum conj(u) v.
template <class T, int Dim>
void check_adjoint() {
  for (const auto& [grid, modes] : cases<Dim>()) {
    Plan<T, Dim, Host> plan(grid, 2, 1, {Planning::estimate});
    auto x_hat = plan.make_spectral("x_hat");
    auto scattered = plan.make_spectral("scattered");
    fill_random<T>(x_hat, 8, grid.rank() * x_hat.span());
    auto b = make_block<T, Dim>(modes, 2, 1);
    auto gathered = make_block<T, Dim>(modes, 2, 1);
    fill_random<T>(b, 9);  // the same full block on every rank
    gather_low_modes(grid, modes, x_hat, gathered);
    scatter_low_modes(grid, modes, b, scattered);
    std::complex<double> sums[2] = {0, 0};
    for (std::size_t i = 0; i < b.span(); ++i) {
      const auto u = gathered.data()[i], v = b.data()[i];
      sums[0] += std::conj(std::complex<double>(u.real(), u.imag())) *
                 std::complex<double>(v.real(), v.imag());
    }
    for (std::size_t i = 0; i < x_hat.span(); ++i) {
      const auto u = x_hat.data()[i], v = scattered.data()[i];
      sums[1] += std::conj(std::complex<double>(u.real(), u.imag())) *
                 std::complex<double>(v.real(), v.imag());
    }
    allreduce_sum(sums, 2, grid.comm());
    // Both sides are the same products summed in another order: only the double sums differ.
    EXPECT_LE(std::abs(sums[0] - sums[1]), 1e-12 * (1 + std::abs(sums[0]))) << grid.describe();
    EXPECT_GT(std::abs(sums[0]), 0.1);
  }
}

TYPED_TEST(LowModesTest, ScatterIsTheAdjointOfGather2D) { check_adjoint<TypeParam, 2>(); }
TYPED_TEST(LowModesTest, ScatterIsTheAdjointOfGather3D) { check_adjoint<TypeParam, 3>(); }

// The same global real field transformed split and whole: the split gather summed over the
// ranks equals the whole gather, to transform round-off (float 1e-5, double 1e-12 of the
// largest coefficient, as in test_plan).
template <class T, int Dim>
void check_distributed_equals_whole() {
  for (const auto& [split, modes] : cases<Dim>()) {
    if (!split.distributed()) continue;
    const Grid<Dim> whole(split.extents());
    Plan<T, Dim, Host> split_plan(split, 1, 2, {Planning::estimate});
    Plan<T, Dim, Host> whole_plan(whole, 1, 2, {Planning::estimate});
    auto xs = split_plan.make_real("xs");
    auto xw = whole_plan.make_real("xw");
    const std::int64_t plane = split.points() / split.extents()[0];
    for (int field = 0; field < 2; ++field) {
      for (std::int64_t i = 0; i < whole.points(); ++i) {
        xw.data()[field * whole.points() + i] =
            static_cast<T>(random_uniform({12, static_cast<std::uint64_t>(field)}, i) - 0.5);
      }
      for (std::int64_t i = 0; i < split.local_points(); ++i) {
        xs.data()[field * split.local_points() + i] =
            xw.data()[field * whole.points() + split.local_start() * plane + i];
      }
    }
    auto hs = split_plan.make_spectral("hs");
    auto hw = whole_plan.make_spectral("hw");
    split_plan.forward(xs, hs);
    whole_plan.forward(xw, hw);
    auto bs = make_block<T, Dim>(modes, 1, 2);
    auto bw = make_block<T, Dim>(modes, 1, 2);
    gather_low_modes(split, modes, hs, bs);
    gather_low_modes(whole, modes, hw, bw);
    const auto full = summed_over_ranks<T, Dim>(bs, split.comm());
    double largest = 0, worst = 0;
    for (std::size_t i = 0; i < full.size(); ++i) {
      const std::complex<double> w(bw.data()[i].real(), bw.data()[i].imag());
      largest = std::max(largest, std::abs(w));
      worst = std::max(worst, std::abs(full[i] - w));
    }
    const double tolerance = std::is_same_v<T, float> ? 1e-5 : 1e-12;
    EXPECT_LE(worst, tolerance * largest) << split.describe();
  }
}

TYPED_TEST(LowModesTest, DistributedGatherSumsToTheWholeGather2D) {
  check_distributed_equals_whole<TypeParam, 2>();
}
TYPED_TEST(LowModesTest, DistributedGatherSumsToTheWholeGather3D) {
  check_distributed_equals_whole<TypeParam, 3>();
}

TEST(LowModesErrors, ModesThatDoNotFitAndMismatchedBlocks) {
  Grid<2> grid({8, 10});
  Plan<double, 2, Host> plan(grid, 1, 1, {Planning::estimate});
  auto x_hat = plan.make_spectral("x_hat");
  auto expect_error = [&](std::array<int, 2> modes, std::size_t rows, std::size_t columns,
                          const std::string& needle) {
    BlockView<double, 2> block("block", 1, 1, rows, columns);
    try {
      gather_low_modes(grid, modes, x_hat, block);
      FAIL() << "expected torus::Error for " << needle;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
    EXPECT_THROW(scatter_low_modes(grid, modes, block, x_hat), Error);
  };
  expect_error({5, 3}, 10, 3, "retaining 5 modes along axis 0");  // 2 m0 = 10 > 8
  expect_error({2, 7}, 4, 7, "retaining 7 modes along axis 1");   // m1 = 7 > 10/2 + 1
  expect_error({0, 3}, 0, 3, "retaining 0 modes");
  expect_error({2, 3}, 2, 3, "(1, 1, 2, 3)");  // rows must be 2 m0 = 4
  BlockView<double, 2> two_channels("block", 1, 2, 4, 3);
  EXPECT_THROW(gather_low_modes(grid, {2, 3}, x_hat, two_channels), Error);
}

}  // namespace
}  // namespace torus::fft
