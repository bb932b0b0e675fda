// fft::Plan against a term-by-term DFT, on one rank and split over the ranks, float and double,
// odd and even sizes, every normalisation; round trips; and the errors a user can provoke.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "fft/naive_dft.hpp"
#include "fft/support.hpp"
#include "torus/core/random.hpp"
#include "torus/core/runtime.hpp"
#include "torus/fft/plan.hpp"

namespace torus::fft {
namespace {

using testing::world;
using testing::world_size;

using Host = Kokkos::HostSpace;

// Tolerance relative to the largest coefficient: a few hundred ulps of the precision covers the
// O(log N) growth of FFT round-off at these sizes.
template <class T>
double tolerance() {
  return std::is_same_v<T, float> ? 2e-5 : 1e-12;
}

// The global field number `field` of a test: uniform on [-1, 1), the same on every rank.
inline double value_at(int field, std::int64_t flat_index) {
  return 2.0 * random_uniform(RandomKey{1234, static_cast<std::uint64_t>(field)},
                              static_cast<std::uint64_t>(flat_index)) -
         1.0;
}

template <int Dim>
std::vector<double> global_field(int field, const std::array<int, Dim>& n) {
  std::int64_t total = 1;
  for (int a = 0; a < Dim; ++a) total *= n[a];
  std::vector<double> values(total);
  for (std::int64_t i = 0; i < total; ++i) values[i] = value_at(field, i);
  return values;
}

// Fills this rank's slab of every field from the global definition.
template <class T, int Dim>
void fill_local(const Grid<Dim>& grid, const typename Plan<T, Dim, Host>::real_view& x) {
  const auto& n = grid.extents();
  const std::int64_t plane = grid.points() / n[0];
  const int fields = static_cast<int>(x.extent(0) * x.extent(1));
  T* data = x.data();
  for (int f = 0; f < fields; ++f) {
    for (std::int64_t i = 0; i < grid.local_points(); ++i) {
      const std::int64_t global = grid.local_start() * plane + i;
      data[f * grid.local_points() + i] = static_cast<T>(value_at(f, global));
    }
  }
}

// Compares this rank's spectral block of every field with the naive DFT of the global field.
template <class T, int Dim>
void expect_matches_dft(const Grid<Dim>& grid,
                        const typename Plan<T, Dim, Host>::spectral_view& x_hat, Norm norm) {
  const auto& n = grid.extents();
  const auto& local = grid.local_spectral_extents();
  const int fields = static_cast<int>(x_hat.extent(0) * x_hat.extent(1));
  const double scale = forward_scale(norm, grid.points());
  const Kokkos::complex<T>* data = x_hat.data();
  for (int f = 0; f < fields; ++f) {
    // The field's values were drawn in double; the float plan saw them rounded to float.
    std::vector<double> values = global_field<Dim>(f, n);
    for (auto& v : values) v = static_cast<double>(static_cast<T>(v));
    double largest = 0, worst = 0;
    std::array<int, Dim> storage{};
    for (std::int64_t i = 0; i < grid.local_spectral_points(); ++i) {
      std::int64_t rest = i;
      for (int s = Dim - 1; s >= 0; --s) {
        storage[s] = static_cast<int>(rest % local[s]);
        rest /= local[s];
      }
      storage[0] += grid.local_spectral_start();
      std::array<int, Dim> k{};
      for (int s = 0; s < Dim; ++s) k[grid.spectral_axis(s)] = storage[s];
      const std::complex<double> expected = scale * testing::naive_dft<Dim>(values, n, k);
      const auto got = data[f * grid.local_spectral_points() + i];
      largest = std::max(largest, std::abs(expected));
      worst = std::max(worst, std::abs(expected - std::complex<double>(got.real(), got.imag())));
    }
    double global_largest = 0, global_worst = 0;
    MPI_Allreduce(&largest, &global_largest, 1, MPI_DOUBLE, MPI_MAX, grid.comm());
    MPI_Allreduce(&worst, &global_worst, 1, MPI_DOUBLE, MPI_MAX, grid.comm());
    EXPECT_LE(global_worst, tolerance<T>() * global_largest)
        << "field " << f << " on " << grid.describe() << ", norm " << to_string(norm);
  }
}

template <class T, int Dim>
void check_against_dft(const Grid<Dim>& grid, int batch, int channels,
                       Distribution distribution = Distribution::split_fields) {
  Plan<T, Dim, Host> plan(grid, batch, channels, PlanOptions{Planning::estimate, distribution});
  auto x = plan.make_real("x");
  auto x_hat = plan.make_spectral("x_hat");
  auto y = plan.make_real("y");
  fill_local<T, Dim>(grid, x);
  for (Norm norm : {Norm::backward, Norm::ortho, Norm::forward}) {
    plan.forward(x, x_hat, norm);
    expect_matches_dft<T, Dim>(grid, x_hat, norm);
    // The round trip with the same norm is the identity, and backward() keeps its input.
    auto kept = plan.make_spectral("kept");
    Kokkos::deep_copy(kept, x_hat);
    plan.backward(x_hat, y, norm);
    for (std::size_t i = 0; i < x_hat.span(); ++i) ASSERT_EQ(kept.data()[i], x_hat.data()[i]);
    double worst = 0;
    for (std::size_t i = 0; i < x.span(); ++i) {
      worst = std::max(worst, static_cast<double>(std::abs(x.data()[i] - y.data()[i])));
    }
    EXPECT_LE(worst, 10 * tolerance<T>()) << grid.describe() << " round trip, " << to_string(norm);
  }
}

template <class T>
class PlanTest : public ::testing::Test {};
using Precisions = ::testing::Types<float, double>;
TYPED_TEST_SUITE(PlanTest, Precisions);

TYPED_TEST(PlanTest, Local2DMatchesNaiveDftOddAndEven) {
  for (auto n : {std::array<int, 2>{8, 8}, {7, 5}, {6, 9}, {5, 12}}) {
    check_against_dft<TypeParam, 2>(Grid<2>(n), 2, 3);
  }
}

TYPED_TEST(PlanTest, Local3DMatchesNaiveDftOddAndEven) {
  for (auto n : {std::array<int, 3>{4, 6, 8}, {5, 3, 7}, {6, 5, 4}}) {
    check_against_dft<TypeParam, 3>(Grid<3>(n), 2, 2);
  }
}

TYPED_TEST(PlanTest, Distributed2DMatchesNaiveDft) {
  const int p = world_size();
  for (bool transposed : {false, true}) {
    for (auto n : {std::array<int, 2>{4 * p, 8}, {2 * p, 7}, {6 * p, 10}}) {
      check_against_dft<TypeParam, 2>(Grid<2>(n, world(), GridOptions{transposed}), 2, 2);
    }
  }
}

TYPED_TEST(PlanTest, Distributed3DMatchesNaiveDft) {
  const int p = world_size();
  for (bool transposed : {false, true}) {
    for (auto n : {std::array<int, 3>{2 * p, 4, 6}, {4 * p, 6, 5}, {2 * p, 2 * p + 1, 4}}) {
      check_against_dft<TypeParam, 3>(Grid<3>(n, world(), GridOptions{transposed}), 1, 2);
    }
  }
}

// Whole fields moved to ranks: field counts below, equal to, and not a multiple of the ranks
// (uneven ownership), which also exercises the fall-back to split fields.
TYPED_TEST(PlanTest, WholeFieldDistributionMatchesNaiveDft) {
  const int p = world_size();
  for (int fields : {1, p, 2 * p + 1}) {
    check_against_dft<TypeParam, 2>(Grid<2>({2 * p, 9}, world()), fields, 1,
                                    Distribution::whole_fields);
    check_against_dft<TypeParam, 3>(Grid<3>({2 * p, 5, 6}, world()), 1, fields,
                                    Distribution::whole_fields);
  }
}

TEST(PlanDistribution, EngineFollowsTheGridAndTheOption) {
  const int p = world_size();
  Grid<2> whole({8, 8});
  EXPECT_STREQ((Plan<double, 2, Host>(whole, 2, 1, {Planning::estimate}).backend()), "fftw");
  Grid<2> split({2 * p, 8}, world());
  const PlanOptions whole_fields{Planning::estimate, Distribution::whole_fields};
  const char* expected = p > 1 ? "fftw-redistribute" : "fftw";
  EXPECT_STREQ((Plan<double, 2, Host>(split, p, 1, whole_fields).backend()), expected);
  EXPECT_STREQ((Plan<double, 2, Host>(split, p, 1, {Planning::estimate}).backend()),
               p > 1 ? "fftw-mpi" : "fftw");
  Grid<2> transposed({2 * p, 8}, world(), GridOptions{true});
  EXPECT_STREQ((Plan<double, 2, Host>(transposed, p, 1, whole_fields).backend()),
               p > 1 ? "fftw-mpi" : "fftw");
}

// The distributed transform equals, block for block, the same fields transformed whole on one
// rank: the "2 ranks equal 1 rank" property, to round-off.
TEST(PlanDistribution, SlabsEqualTheUndistributedTransform) {
  const std::array<int, 3> n{8 * world_size(), 12, 10};
  Grid<3> split(n, world());
  Grid<3> whole(n);
  Plan<double, 3, Host> split_plan(split, 2, 1, {Planning::estimate});
  Plan<double, 3, Host> whole_plan(whole, 2, 1, {Planning::estimate});
  auto xs = split_plan.make_real("xs");
  auto xw = whole_plan.make_real("xw");
  fill_local<double, 3>(split, xs);
  fill_local<double, 3>(whole, xw);
  auto hs = split_plan.make_spectral("hs");
  auto hw = whole_plan.make_spectral("hw");
  split_plan.forward(xs, hs);
  whole_plan.forward(xw, hw);
  const int x0 = split.local_spectral_start();
  for (int b = 0; b < 2; ++b)
    for (std::size_t i = 0; i < hs.extent(2); ++i)
      for (std::size_t j = 0; j < hs.extent(3); ++j)
        for (std::size_t k = 0; k < hs.extent(4); ++k) {
          const auto d = hs(b, 0, i, j, k) - hw(b, 0, x0 + i, j, k);
          ASSERT_LE(Kokkos::abs(d), 1e-12 * n[0] * n[1] * n[2]);
        }
}

TEST(PlanErrors, GridThatDoesNotSplitOverTheRanks) {
  if (world_size() < 2) GTEST_SKIP() << "needs at least 2 ranks to make an uneven split";
  try {
    Grid<2> grid({world_size() * 4 + 1, 8}, world());
    FAIL() << "expected torus::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("cannot be split"), std::string::npos) << e.what();
  }
}

TEST(PlanErrors, ExtentsThatDoNotMatchThePlan) {
  Plan<double, 2, Host> plan(Grid<2>({8, 8}), 2, 1, {Planning::estimate});
  Plan<double, 2, Host>::real_view wrong("wrong", 2, 1, 8, 6);
  auto x_hat = plan.make_spectral("x_hat");
  try {
    plan.forward(wrong, x_hat);
    FAIL() << "expected torus::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("(2, 1, 8, 6)"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("(2, 1, 8, 8)"), std::string::npos) << e.what();
  }
}

TEST(PlanErrors, BadGridAndFieldCounts) {
  EXPECT_THROW(Grid<2>({0, 8}), Error);
  EXPECT_THROW((Plan<double, 2, Host>(Grid<2>({8, 8}), 0, 1)), Error);
  EXPECT_THROW(parse_norm("unitary"), Error);
}

TEST(PlanAlignment, UnalignedSubviewsTransformCorrectly) {
  // A View that starts one element into an allocation defeats FFTW's SIMD alignment; the plan
  // must notice and use its unaligned variant.
  Grid<2> grid({6, 8});
  Plan<double, 2, Host> plan(grid, 1, 1, {Planning::estimate});
  Kokkos::View<double*, Host> storage("storage", 6 * 8 + 1);
  Kokkos::View<Kokkos::complex<double>*, Host> spectral("spectral", 6 * 5 + 1);
  Plan<double, 2, Host>::real_view x(storage.data() + 1, 1, 1, 6, 8);
  Plan<double, 2, Host>::spectral_view x_hat(spectral.data() + 1, 1, 1, 6, 5);
  fill_local<double, 2>(grid, x);
  plan.forward(x, x_hat);
  expect_matches_dft<double, 2>(grid, x_hat, Norm::backward);
}

}  // namespace
}  // namespace torus::fft
