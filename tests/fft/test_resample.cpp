// Resampling against analytic fields: a band-limited field zero-padded to a finer grid equals
// the field at the fine points; truncating back recovers the coarse samples; truncating a field
// with modes above the coarse band gives its low part exactly; the Nyquist mode is dropped.
// Every normalisation, float and double, 2-D and 3-D, odd and even sizes, non-square boxes.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <vector>

#include "fft/support.hpp"
#include "torus/core/runtime.hpp"
#include "torus/fft/plan.hpp"
#include "torus/fft/resample.hpp"

namespace torus::fft {
namespace {

using testing::Wave;

using Host = Kokkos::HostSpace;

// Round-off of two transforms (a few eps * log2 N relative to the field's largest value):
// measured worst cases are 3e-7 in float and 2.3e-15 in double; the tolerances allow >10x that.
template <class T>
double tolerance() {
  return std::is_same_v<T, float> ? 1e-5 : 3e-14;
}

// Frequencies with 2|f_a| < n_a on the coarse grids below (n >= 7): the field is band-limited.
const std::vector<Wave> low_waves = {
    {1.0, {1, 2, 1}, 0.3}, {0.5, {-3, 1, 2}, -1.1}, {0.25, {2, -3, 0}, 2.0}, {0.6, {0, 0, 0}, 0}};
// One wave per axis a just beyond the coarse band on that axis (f_a = n_a/2 + 1, which the
// fine grids below still hold), with a small frequency on the next axis.
template <int Dim>
std::vector<Wave> high_waves(const std::array<int, Dim>& coarse) {
  std::vector<Wave> waves;
  for (int a = 0; a < Dim; ++a) {
    Wave w{0.4 - 0.1 * a, {0, 0, 0}, 0.7 * a - 0.3};
    w.f[a] = a % 2 ? -(coarse[a] / 2 + 1) : coarse[a] / 2 + 1;
    w.f[(a + 1) % Dim] = 1;
    waves.push_back(w);
  }
  return waves;
}

// Fills every field of x (undistributed) with the waves, scaled by 1 + field.
template <class T, int Dim>
void fill(const Grid<Dim>& grid, const typename Plan<T, Dim, Host>::real_view& x,
          const std::vector<Wave>& waves) {
  const int fields = static_cast<int>(x.extent(0) * x.extent(1));
  for (int field = 0; field < fields; ++field) {
    for (std::int64_t i = 0; i < grid.points(); ++i) {
      std::int64_t rest = i;
      std::array<double, Dim> coordinate;
      for (int a = Dim - 1; a >= 0; --a) {
        coordinate[a] =
            grid.lengths()[a] * static_cast<double>(rest % grid.extents()[a]) / grid.extents()[a];
        rest /= grid.extents()[a];
      }
      x.data()[field * grid.points() + i] =
          static_cast<T>((1 + field) * testing::evaluate<Dim>(waves, coordinate, grid.lengths()));
    }
  }
}

template <class T, int Dim>
double relative_difference(const typename Plan<T, Dim, Host>::real_view& got,
                           const typename Plan<T, Dim, Host>::real_view& expected) {
  double largest = 0, worst = 0;
  for (std::size_t i = 0; i < got.span(); ++i) {
    largest = std::max(largest, std::abs(static_cast<double>(expected.data()[i])));
    worst = std::max(worst, std::abs(static_cast<double>(got.data()[i] - expected.data()[i])));
  }
  return worst / largest;
}

template <int Dim>
struct Pair {
  std::array<int, Dim> coarse, fine;
};

template <int Dim>
std::vector<Pair<Dim>> pairs() {
  if constexpr (Dim == 2) {
    return {{{12, 10}, {20, 18}}, {{9, 7}, {16, 15}}, {{8, 11}, {13, 24}}};
  } else {
    return {{{8, 7, 10}, {12, 16, 13}}, {{9, 8, 9}, {12, 11, 16}}};
  }
}

template <int Dim>
std::array<double, Dim> box() {
  if constexpr (Dim == 2) {
    return {1.5, 0.75};
  } else {
    return {2.0, 0.5, 1.25};
  }
}

template <class T>
class ResampleTest : public ::testing::Test {};
using Precisions = ::testing::Types<float, double>;
TYPED_TEST_SUITE(ResampleTest, Precisions);

template <class T, int Dim>
void check_up_and_down() {
  for (const auto& [n_coarse, n_fine] : pairs<Dim>()) {
    const Grid<Dim> coarse(n_coarse, MPI_COMM_SELF, {}, box<Dim>());
    const Grid<Dim> fine(n_fine, MPI_COMM_SELF, {}, box<Dim>());
    Plan<T, Dim, Host> coarse_plan(coarse, 2, 1, {Planning::estimate});
    Plan<T, Dim, Host> fine_plan(fine, 2, 1, {Planning::estimate});
    auto u = coarse_plan.make_real("u");
    auto u_hat = coarse_plan.make_spectral("u_hat");
    auto v_hat = fine_plan.make_spectral("v_hat");
    auto v = fine_plan.make_real("v");
    auto v_exact = fine_plan.make_real("v_exact");
    auto back_hat = coarse_plan.make_spectral("back_hat");
    auto back = coarse_plan.make_real("back");
    fill<T, Dim>(coarse, u, low_waves);
    fill<T, Dim>(fine, v_exact, low_waves);
    for (Norm norm : {Norm::backward, Norm::ortho, Norm::forward}) {
      coarse_plan.forward(u, u_hat, norm);
      resample(coarse, u_hat, fine, v_hat, norm);
      fine_plan.backward(v_hat, v, norm);
      EXPECT_LE((relative_difference<T, Dim>(v, v_exact)), tolerance<T>())
          << "upsampled " << coarse.describe() << " -> " << fine.describe() << ", "
          << to_string(norm);

      resample(fine, v_hat, coarse, back_hat, norm);
      coarse_plan.backward(back_hat, back, norm);
      EXPECT_LE((relative_difference<T, Dim>(back, u)), tolerance<T>())
          << "downsampled back to " << coarse.describe() << ", " << to_string(norm);
    }
  }
}

TYPED_TEST(ResampleTest, UpsampledBandLimitedFieldIsTheFieldAtFinePoints2D) {
  check_up_and_down<TypeParam, 2>();
}
TYPED_TEST(ResampleTest, UpsampledBandLimitedFieldIsTheFieldAtFinePoints3D) {
  check_up_and_down<TypeParam, 3>();
}

// Truncation is the projection onto the coarse band: a fine field with modes above it comes
// back as its low part at the coarse points.
template <class T, int Dim>
void check_truncation() {
  for (const auto& [n_coarse, n_fine] : pairs<Dim>()) {
    const Grid<Dim> coarse(n_coarse, MPI_COMM_SELF, {}, box<Dim>());
    const Grid<Dim> fine(n_fine, MPI_COMM_SELF, {}, box<Dim>());
    Plan<T, Dim, Host> coarse_plan(coarse, 1, 2, {Planning::estimate});
    Plan<T, Dim, Host> fine_plan(fine, 1, 2, {Planning::estimate});
    const auto high = high_waves<Dim>(n_coarse);
    std::vector<Wave> all = low_waves;
    all.insert(all.end(), high.begin(), high.end());
    // The high waves must really be outside the coarse band and inside the fine one.
    for (const Wave& w : high) {
      bool outside = false;
      for (int a = 0; a < Dim; ++a) {
        outside = outside || 2 * std::abs(w.f[a]) >= n_coarse[a];
        ASSERT_LT(2 * std::abs(w.f[a]), n_fine[a]);
      }
      ASSERT_TRUE(outside);
    }
    auto v = fine_plan.make_real("v");
    auto v_hat = fine_plan.make_spectral("v_hat");
    auto u_hat = coarse_plan.make_spectral("u_hat");
    auto u = coarse_plan.make_real("u");
    auto u_exact = coarse_plan.make_real("u_exact");
    fill<T, Dim>(fine, v, all);
    fill<T, Dim>(coarse, u_exact, low_waves);
    fine_plan.forward(v, v_hat, Norm::ortho);
    resample(fine, v_hat, coarse, u_hat, Norm::ortho);
    coarse_plan.backward(u_hat, u, Norm::ortho);
    EXPECT_LE((relative_difference<T, Dim>(u, u_exact)), tolerance<T>()) << coarse.describe();
  }
}

TYPED_TEST(ResampleTest, TruncationKeepsExactlyTheCoarseBand2D) {
  check_truncation<TypeParam, 2>();
}
TYPED_TEST(ResampleTest, TruncationKeepsExactlyTheCoarseBand3D) {
  check_truncation<TypeParam, 3>();
}

// The coarse Nyquist modes cos(pi i) (along x) and cos(pi j) (along the halved y) are dropped.
TEST(Resample, NyquistModesAreDropped) {
  const Grid<2> coarse({8, 6}), fine({16, 12});
  Plan<double, 2, Host> coarse_plan(coarse, 1, 2, {Planning::estimate});
  Plan<double, 2, Host> fine_plan(fine, 1, 2, {Planning::estimate});
  auto u = coarse_plan.make_real("u");
  for (int i = 0; i < 8; ++i) {
    for (int j = 0; j < 6; ++j) {
      u(0, 0, i, j) = i % 2 ? -1.0 : 1.0;
      u(0, 1, i, j) = j % 2 ? -1.0 : 1.0;
    }
  }
  auto u_hat = coarse_plan.make_spectral("u_hat");
  auto v_hat = fine_plan.make_spectral("v_hat");
  coarse_plan.forward(u, u_hat);
  resample(coarse, u_hat, fine, v_hat);
  for (std::size_t i = 0; i < v_hat.span(); ++i) {
    ASSERT_EQ(v_hat.data()[i], Kokkos::complex<double>(0, 0)) << "entry " << i;
  }
}

TEST(Resample, ErrorsNameTheProblem) {
  const Grid<2> coarse({8, 6}), fine({16, 12});
  Plan<double, 2, Host> coarse_plan(coarse, 1, 2, {Planning::estimate});
  Plan<double, 2, Host> fine_plan(fine, 1, 2, {Planning::estimate});
  auto u_hat = coarse_plan.make_spectral("u_hat");
  auto v_hat = fine_plan.make_spectral("v_hat");
  // Output allocated for the wrong grid.
  try {
    resample(coarse, u_hat, fine, u_hat);
    FAIL() << "expected torus::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("spectral output"), std::string::npos) << e.what();
  }
  // A different box.
  const Grid<2> other_box({16, 12}, MPI_COMM_SELF, {}, {2.0, 1.0});
  EXPECT_THROW(resample(coarse, u_hat, other_box, v_hat), Error);
  // Different field counts.
  Plan<double, 2, Host>::spectral_view one_field("one", 1, 1, 16, 7);
  EXPECT_THROW(resample(coarse, u_hat, fine, one_field), Error);
}

TEST(Resample, SplitGridsAreAnError) {
  const int p = Runtime::current().size();
  if (p < 2) GTEST_SKIP() << "needs 2 ranks to split a grid";
  const Grid<2> split({8 * p, 6}, Runtime::current().comm());
  const Grid<2> fine({16 * p, 12});
  Plan<double, 2, Host> split_plan(split, 1, 1, {Planning::estimate});
  Plan<double, 2, Host> fine_plan(fine, 1, 1, {Planning::estimate});
  auto u_hat = split_plan.make_spectral("u_hat");
  auto v_hat = fine_plan.make_spectral("v_hat");
  try {
    resample(split, u_hat, fine, v_hat);
    FAIL() << "expected torus::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("undistributed"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("MPI_COMM_SELF"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace torus::fft
