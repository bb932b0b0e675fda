// The 2/3 rule against a direct count of the modes with |f| < n/3 on every axis, mode by mode
// and in total over the ranks; dealias() against the mask; and the reason for the rule: the
// square of the highest kept mode aliases onto nothing that is kept.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <complex>
#include <vector>

#include "fft/support.hpp"
#include "torus/core/random.hpp"
#include "torus/core/runtime.hpp"
#include "torus/fft/dealias.hpp"
#include "torus/fft/plan.hpp"

namespace torus::fft {
namespace {

using testing::two_pi;
using testing::world;
using testing::world_size;

using Host = Kokkos::HostSpace;

// Sizes around multiples of 3 (where "|f| < n/3" and "|f| <= n/3" differ) and odd sizes.
template <int Dim>
std::vector<Grid<Dim>> grids() {
  const int p = world_size();
  std::vector<Grid<Dim>> result;
  if constexpr (Dim == 2) {
    result.emplace_back(std::array<int, 2>{12, 9});
    result.emplace_back(std::array<int, 2>{10, 13});
    for (bool transposed : {false, true}) {
      result.emplace_back(std::array<int, 2>{6 * p, 12}, world(), GridOptions{transposed});
      result.emplace_back(std::array<int, 2>{8 * p, 11}, world(), GridOptions{transposed});
    }
  } else {
    result.emplace_back(std::array<int, 3>{6, 7, 9});
    for (bool transposed : {false, true}) {
      result.emplace_back(std::array<int, 3>{4 * p, 9, 6}, world(), GridOptions{transposed});
    }
  }
  return result;
}

// The test's own frequency of local storage index i along storage axis s, and the rule.
template <int Dim>
int frequency(const Grid<Dim>& grid, int s, int i) {
  const int axis = grid.spectral_axis(s);
  const int n = grid.extents()[axis];
  const int g = i + (s == 0 ? grid.local_spectral_start() : 0);
  if (axis == Dim - 1) return g;
  return 2 * g < n ? g : g - n;  // fftfreq: g < n/2 is non-negative, the rest is g - n
}

bool kept(int f, int n) { return std::abs(f) < n / 3.0; }

template <int Dim>
std::array<int, 3> unflatten(const Grid<Dim>& grid, std::int64_t flat) {
  const auto& local = grid.local_spectral_extents();
  std::array<int, 3> i{0, 0, 0};
  for (int s = Dim - 1; s >= 0; --s) {
    i[s] = static_cast<int>(flat % local[s]);
    flat /= local[s];
  }
  return i;
}

template <int Dim>
bool kept_mode(const Grid<Dim>& grid, const std::array<int, 3>& i) {
  bool keep = true;
  for (int s = 0; s < Dim; ++s) {
    keep = keep && kept(frequency(grid, s, i[s]), grid.extents()[grid.spectral_axis(s)]);
  }
  return keep;
}

template <int Dim>
void check_mask() {
  for (const auto& grid : grids<Dim>()) {
    const auto mask = dealias_mask<double, Dim, Host>(grid);
    ASSERT_EQ(static_cast<std::int64_t>(mask.span()), grid.local_spectral_points());
    long count = 0;
    for (std::int64_t flat = 0; flat < grid.local_spectral_points(); ++flat) {
      const double expected = kept_mode(grid, unflatten(grid, flat)) ? 1.0 : 0.0;
      ASSERT_EQ(mask.data()[flat], expected) << "mode " << flat << " on " << grid.describe();
      count += static_cast<long>(mask.data()[flat]);
    }
    // Direct count: the kept frequencies of each axis, multiplied.
    long expected_total = 1;
    for (int a = 0; a < Dim; ++a) {
      const int n = grid.extents()[a];
      long axis_count = 0;
      const int lowest = a == Dim - 1 ? 0 : -(n / 2);
      const int highest = a == Dim - 1 ? n / 2 : (n - 1) / 2;
      for (int f = lowest; f <= highest; ++f) axis_count += kept(f, n);
      expected_total *= axis_count;
    }
    long total = 0;
    MPI_Allreduce(&count, &total, 1, MPI_LONG, MPI_SUM, grid.comm());
    EXPECT_EQ(total, expected_total) << grid.describe();
  }
}

TEST(Dealias, MaskKeepsExactlyTheModesBelowAThirdOfN2D) { check_mask<2>(); }
TEST(Dealias, MaskKeepsExactlyTheModesBelowAThirdOfN3D) { check_mask<3>(); }

TEST(Dealias, CutoffIsTheLargestFrequencyBelowAThird) {
  for (int n = 1; n < 100; ++n) {
    int largest = 0;
    for (int f = 0; f <= n / 2; ++f) {
      if (kept(f, n)) largest = f;
    }
    EXPECT_EQ(dealias_cutoff(n), largest) << "n = " << n;
  }
}

template <class T, int Dim>
void check_dealias_in_place() {
  for (const auto& grid : grids<Dim>()) {
    Plan<T, Dim, Host> plan(grid, 2, 2, {Planning::estimate});
    auto x_hat = plan.make_spectral("x_hat");
    auto* data = x_hat.data();
    for (std::size_t i = 0; i < x_hat.span(); ++i) {
      data[i] = Kokkos::complex<T>(static_cast<T>(random_uniform({3, 0}, 2 * i) + 0.5),
                                   static_cast<T>(random_uniform({3, 0}, 2 * i + 1)));
    }
    auto original = plan.make_spectral("original");
    Kokkos::deep_copy(original, x_hat);
    dealias(grid, x_hat);
    const std::int64_t block = grid.local_spectral_points();
    for (std::size_t i = 0; i < x_hat.span(); ++i) {
      const bool keep = kept_mode(grid, unflatten(grid, static_cast<std::int64_t>(i) % block));
      const auto expected = keep ? original.data()[i] : Kokkos::complex<T>(0, 0);
      ASSERT_EQ(data[i], expected) << "entry " << i << " on " << grid.describe();
    }
  }
}

TEST(Dealias, ZeroesExactlyTheMaskedModes) {
  check_dealias_in_place<float, 2>();
  check_dealias_in_place<double, 2>();
  check_dealias_in_place<float, 3>();
  check_dealias_in_place<double, 3>();
}

// Why 3|f| < n: for kept frequencies p, q <= K = dealias_cutoff(n) along one axis, the product
//   cos(2 pi p t) cos(2 pi q t) = (cos(2 pi (p + q) t) + cos(2 pi (p - q) t)) / 2
// holds |p + q| <= 2K; a frequency above n/2 shows on the grid as its alias n - (p + q) >= n - 2K,
// which the rule removes. So the dealiased transform of the product must equal the exact
// coefficients of its kept terms, on every axis, for every pair. (With "|f| <= n/3" instead, n
// a multiple of 3 fails: p = q = n/3 aliases onto the kept -n/3.)
void check_products_do_not_alias(const Grid<2>& grid, int axis) {
  const int n = grid.extents()[axis];
  const int K = dealias_cutoff(n);
  Plan<double, 2, Host> plan(grid, 1, 1, {Planning::estimate});
  auto uv = plan.make_real("uv");
  auto x_hat = plan.make_spectral("x_hat");
  for (int p = 0; p <= K; ++p) {
    for (int q = 0; q <= K; ++q) {
      for (int i = 0; i < grid.local_extents()[0]; ++i) {
        for (int j = 0; j < grid.extents()[1]; ++j) {
          const int index = axis == 0 ? grid.local_start() + i : j;
          const double t = static_cast<double>(index) / n;
          uv(0, 0, i, j) = std::cos(two_pi * p * t) * std::cos(two_pi * q * t);
        }
      }
      plan.forward(uv, x_hat, Norm::forward);  // coefficients are Fourier-series amplitudes
      dealias(grid, x_hat);
      // The amplitude of (1/2) cos(2 pi m t) at frequency f: 1/2 at f = 0 = m, 1/4 at |f| = m.
      auto term = [&](int m, int f) {
        if (std::abs(f) != m || !kept(m, n)) return 0.0;
        return m == 0 ? 0.5 : 0.25;
      };
      double worst = 0;
      for (std::int64_t flat = 0; flat < grid.local_spectral_points(); ++flat) {
        const auto i = unflatten(grid, flat);
        const int s = grid.spectral_axis(axis), other = grid.spectral_axis(1 - axis);
        const int f = frequency(grid, s, i[s]);
        const double expected =
            frequency(grid, other, i[other]) != 0 ? 0.0 : term(p + q, f) + term(std::abs(p - q), f);
        const auto got = x_hat.data()[flat];
        worst = std::max(worst, std::abs(std::complex<double>(got.real() - expected, got.imag())));
      }
      double global_worst = 0;
      MPI_Allreduce(&worst, &global_worst, 1, MPI_DOUBLE, MPI_MAX, grid.comm());
      EXPECT_LE(global_worst, 1e-14)
          << "p = " << p << ", q = " << q << " along axis " << axis << " of " << grid.describe();
    }
  }
}

TEST(Dealias, ProductsOfKeptModesDoNotAlias) {
  for (const auto& grid : grids<2>()) {
    check_products_do_not_alias(grid, 0);
    check_products_do_not_alias(grid, 1);
  }
}

TEST(Dealias, WrongExtentsAreAnError) {
  Grid<2> grid({8, 8});
  Plan<double, 2, Host>::spectral_view wrong("wrong", 1, 1, 8, 8);
  try {
    dealias(grid, wrong);
    FAIL() << "expected torus::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("(1, 1, 8, 8)"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace torus::fft
