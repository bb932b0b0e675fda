// Spectral derivatives against analytic ones: fields that are sums of plane waves
//   u(x) = sum_w A_w cos(2 pi sum_a f_a x_a / L_a + phi_w)
// on non-square boxes, whose derivatives, Laplacian and inverse Laplacian are known in closed
// form. Forward transform, spectral operator, inverse transform, compare at the grid points; on
// one rank and split over the ranks, transposed or not, float and double.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <vector>

#include "fft/support.hpp"
#include "torus/core/random.hpp"
#include "torus/core/runtime.hpp"
#include "torus/fft/derivatives.hpp"
#include "torus/fft/plan.hpp"

namespace torus::fft {
namespace {

using testing::two_pi;
using testing::Wave;
using testing::world;
using testing::world_size;

using Host = Kokkos::HostSpace;

// The spectral operators are exact on these band-limited fields, so what remains is the
// round-off of the two transforms: a few eps * log2(N) of the largest coefficient, which a
// derivative can amplify by k_max / k_signal (the noise sits in every mode, the signal in
// |f| <= 3). Measured worst cases relative to the largest analytic value are 4e-7 in float
// (eps = 6e-8) and 2e-15 in double (eps = 1.1e-16); the tolerances allow 10x that, for other
// FFTW algorithms and machines.
template <class T>
double tolerance() {
  return std::is_same_v<T, float> ? 4e-6 : 2e-14;
}

// A few waves per channel: several wavenumbers on every axis, none at a Nyquist frequency of
// the grids below (whose smallest even extent is 8, so |f| <= 3 stays clear of it).
std::vector<Wave> waves(int channel) {
  if (channel == 0) {
    return {{1.0, {1, 2, 1}, 0.3},
            {0.5, {-3, 1, 2}, -1.1},
            {0.25, {2, -3, 0}, 2.0},
            {0.7, {0, 0, 0}, 0.0}};
  }
  return {{0.8, {2, 0, 3}, 1.3}, {0.6, {1, -1, -1}, 0.4}, {0.3, {-2, 3, 1}, -0.2}};
}

enum class Quantity {
  value,
  derivative_0,
  derivative_1,
  derivative_2,
  laplacian,
  inverse_laplacian
};

// The closed form of `quantity` of channel `channel`'s field at point x.
template <int Dim>
double analytic(Quantity quantity, int channel, const std::array<double, Dim>& x,
                const std::array<double, Dim>& length) {
  double sum = 0;
  for (const Wave& w : waves(channel)) {
    std::array<double, Dim> k;
    double theta = w.phase, k2 = 0;
    for (int a = 0; a < Dim; ++a) {
      k[a] = two_pi * w.f[a] / length[a];
      theta += k[a] * x[a];
      k2 += k[a] * k[a];
    }
    switch (quantity) {
      case Quantity::value:
        sum += w.amplitude * std::cos(theta);
        break;
      case Quantity::derivative_0:
      case Quantity::derivative_1:
      case Quantity::derivative_2: {
        const int a = static_cast<int>(quantity) - static_cast<int>(Quantity::derivative_0);
        sum += -w.amplitude * k[a] * std::sin(theta);
        break;
      }
      case Quantity::laplacian:
        sum += -k2 * w.amplitude * std::cos(theta);
        break;
      case Quantity::inverse_laplacian:
        if (k2 > 0) sum += -w.amplitude / k2 * std::cos(theta);
        break;
    }
  }
  return sum;
}

// Calls f(field index, channel, global point index, coordinates) for this rank's slab.
template <int Dim, class View, class F>
void for_each_local_point(const Grid<Dim>& grid, const View& x, F f) {
  const auto& local = grid.local_extents();
  const int fields = static_cast<int>(x.extent(0) * x.extent(1));
  for (int field = 0; field < fields; ++field) {
    for (std::int64_t i = 0; i < grid.local_points(); ++i) {
      std::int64_t rest = i;
      std::array<double, Dim> coordinate;
      for (int a = Dim - 1; a >= 0; --a) {
        int index = static_cast<int>(rest % local[a]);
        rest /= local[a];
        if (a == 0) index += grid.local_start();
        coordinate[a] = grid.lengths()[a] * index / grid.extents()[a];
      }
      f(field, field % static_cast<int>(x.extent(1)), field * grid.local_points() + i, coordinate);
    }
  }
}

template <class T, int Dim>
void fill_analytic(const Grid<Dim>& grid, const typename Plan<T, Dim, Host>::real_view& x) {
  for_each_local_point(grid, x, [&](int, int channel, std::int64_t flat, const auto& coordinate) {
    x.data()[flat] =
        static_cast<T>(analytic<Dim>(Quantity::value, channel, coordinate, grid.lengths()));
  });
}

// max |got - expected| <= tolerance * max |expected| over every rank's points.
template <class T, int Dim>
void expect_analytic(const Grid<Dim>& grid, const typename Plan<T, Dim, Host>::real_view& got,
                     Quantity quantity, const std::string& what) {
  double largest = 0, worst = 0;
  for_each_local_point(grid, got, [&](int, int channel, std::int64_t flat, const auto& coord) {
    const double expected = analytic<Dim>(quantity, channel, coord, grid.lengths());
    largest = std::max(largest, std::abs(expected));
    worst = std::max(worst, std::abs(expected - static_cast<double>(got.data()[flat])));
  });
  double global[2] = {largest, worst}, reduced[2];
  MPI_Allreduce(global, reduced, 2, MPI_DOUBLE, MPI_MAX, grid.comm());
  EXPECT_LE(reduced[1], tolerance<T>() * reduced[0]) << what << " on " << grid.describe();
}

// Every grid shape the tests run on: local odd and even sizes, and split over the world
// communicator (sizes divisible by the ranks), transposed and not.
template <int Dim>
std::vector<Grid<Dim>> grids() {
  const int p = world_size();
  std::vector<Grid<Dim>> result;
  if constexpr (Dim == 2) {
    const std::array<double, 2> box{1.5, 0.75};
    result.emplace_back(std::array<int, 2>{16, 12}, MPI_COMM_SELF, GridOptions{}, box);
    result.emplace_back(std::array<int, 2>{9, 11}, MPI_COMM_SELF, GridOptions{}, box);
    for (bool transposed : {false, true}) {
      result.emplace_back(std::array<int, 2>{8 * p, 10}, world(), GridOptions{transposed}, box);
      result.emplace_back(std::array<int, 2>{10 * p, 9}, world(), GridOptions{transposed}, box);
    }
  } else {
    const std::array<double, 3> box{2.0, 0.5, 1.25};
    result.emplace_back(std::array<int, 3>{8, 10, 8}, MPI_COMM_SELF, GridOptions{}, box);
    result.emplace_back(std::array<int, 3>{9, 7, 9}, MPI_COMM_SELF, GridOptions{}, box);
    for (bool transposed : {false, true}) {
      result.emplace_back(std::array<int, 3>{8 * p, 9, 10}, world(), GridOptions{transposed}, box);
    }
  }
  return result;
}

template <class T>
class DerivativesTest : public ::testing::Test {};
using Precisions = ::testing::Types<float, double>;
TYPED_TEST_SUITE(DerivativesTest, Precisions);

template <class T, int Dim>
void check_derivatives() {
  for (const auto& grid : grids<Dim>()) {
    Plan<T, Dim, Host> plan(grid, 2, 2, {Planning::estimate});
    auto u = plan.make_real("u");
    auto result = plan.make_real("result");
    auto u_hat = plan.make_spectral("u_hat");
    auto out_hat = plan.make_spectral("out_hat");
    fill_analytic<T, Dim>(grid, u);
    for (Norm norm : {Norm::backward, Norm::ortho}) {
      plan.forward(u, u_hat, norm);
      for (int axis = 0; axis < Dim; ++axis) {
        derivative(grid, axis, u_hat, out_hat);
        plan.backward(out_hat, result, norm);
        const auto quantity =
            static_cast<Quantity>(static_cast<int>(Quantity::derivative_0) + axis);
        expect_analytic<T, Dim>(grid, result, quantity, "d/dx_" + std::to_string(axis));
      }
      // In place, on a copy.
      Kokkos::deep_copy(out_hat, u_hat);
      derivative(grid, Dim - 1, out_hat);
      plan.backward(out_hat, result, norm);
      expect_analytic<T, Dim>(
          grid, result, static_cast<Quantity>(static_cast<int>(Quantity::derivative_0) + Dim - 1),
          "in-place derivative");

      laplacian(grid, u_hat, out_hat);
      plan.backward(out_hat, result, norm);
      expect_analytic<T, Dim>(grid, result, Quantity::laplacian, "laplacian");

      Kokkos::deep_copy(out_hat, u_hat);
      inverse_laplacian(grid, out_hat);
      plan.backward(out_hat, result, norm);
      expect_analytic<T, Dim>(grid, result, Quantity::inverse_laplacian, "inverse laplacian");
    }
  }
}

TYPED_TEST(DerivativesTest, AnalyticFields2D) { check_derivatives<TypeParam, 2>(); }
TYPED_TEST(DerivativesTest, AnalyticFields3D) { check_derivatives<TypeParam, 3>(); }

template <class T, int Dim>
void check_gradient() {
  for (const auto& grid : grids<Dim>()) {
    Plan<T, Dim, Host> plan(grid, 2, 2, {Planning::estimate});
    Plan<T, Dim, Host> vector_plan(grid, 2, 2 * Dim, {Planning::estimate});
    auto u = plan.make_real("u");
    auto u_hat = plan.make_spectral("u_hat");
    auto grad_hat = vector_plan.make_spectral("grad_hat");
    auto grad = vector_plan.make_real("grad");
    fill_analytic<T, Dim>(grid, u);
    plan.forward(u, u_hat);
    gradient(grid, u_hat, grad_hat);
    vector_plan.backward(grad_hat, grad);
    // Output channel c * Dim + a is du_c/dx_a.
    double largest = 0, worst = 0;
    for_each_local_point(grid, grad, [&](int, int channel, std::int64_t flat, const auto& x) {
      const int c = channel / Dim, a = channel % Dim;
      const auto quantity = static_cast<Quantity>(static_cast<int>(Quantity::derivative_0) + a);
      const double expected = analytic<Dim>(quantity, c, x, grid.lengths());
      largest = std::max(largest, std::abs(expected));
      worst = std::max(worst, std::abs(expected - static_cast<double>(grad.data()[flat])));
    });
    double local[2] = {largest, worst}, reduced[2];
    MPI_Allreduce(local, reduced, 2, MPI_DOUBLE, MPI_MAX, grid.comm());
    EXPECT_LE(reduced[1], tolerance<T>() * reduced[0]) << "gradient on " << grid.describe();
  }
}

TYPED_TEST(DerivativesTest, Gradient2D) { check_gradient<TypeParam, 2>(); }
TYPED_TEST(DerivativesTest, Gradient3D) { check_gradient<TypeParam, 3>(); }

// A random field has Nyquist modes on every even axis. The derivative must still be the
// coefficients of a real field: transforming it back and forth must leave it unchanged (this
// fails if the Nyquist mode of the differentiated axis, halved or not, keeps i k_N).
template <class T, int Dim>
void check_real_consistency() {
  for (const auto& grid : grids<Dim>()) {
    Plan<T, Dim, Host> plan(grid, 1, 2, {Planning::estimate});
    auto u = plan.make_real("u");
    auto u_hat = plan.make_spectral("u_hat");
    auto d_hat = plan.make_spectral("d_hat");
    auto again = plan.make_spectral("again");
    auto d = plan.make_real("d");
    for_each_local_point(grid, u, [&](int field, int, std::int64_t flat, const auto&) {
      const std::int64_t global = flat - field * grid.local_points() +
                                  grid.local_start() * (grid.points() / grid.extents()[0]);
      u.data()[flat] = static_cast<T>(
          random_uniform(RandomKey{7, static_cast<std::uint64_t>(field)}, global) - 0.5);
    });
    plan.forward(u, u_hat, Norm::ortho);
    for (int axis = 0; axis < Dim; ++axis) {
      derivative(grid, axis, u_hat, d_hat);
      plan.backward(d_hat, d, Norm::ortho);
      plan.forward(d, again, Norm::ortho);
      double largest = 0, worst = 0;
      for (std::size_t i = 0; i < d_hat.span(); ++i) {
        largest = std::max(largest, static_cast<double>(Kokkos::abs(d_hat.data()[i])));
        worst =
            std::max(worst, static_cast<double>(Kokkos::abs(d_hat.data()[i] - again.data()[i])));
      }
      double local[2] = {largest, worst}, reduced[2];
      MPI_Allreduce(local, reduced, 2, MPI_DOUBLE, MPI_MAX, grid.comm());
      EXPECT_LE(reduced[1], tolerance<T>() * reduced[0])
          << "d/dx_" << axis << " is not real-consistent on " << grid.describe();
    }
  }
}

TYPED_TEST(DerivativesTest, DerivativeOfRandomFieldIsRealConsistent2D) {
  check_real_consistency<TypeParam, 2>();
}
TYPED_TEST(DerivativesTest, DerivativeOfRandomFieldIsRealConsistent3D) {
  check_real_consistency<TypeParam, 3>();
}

// Laplacian then inverse Laplacian of a random field (mean included, Nyquist modes included)
// is the field minus its mean.
template <class T, int Dim>
void check_inverse_of_laplacian() {
  for (const auto& grid : grids<Dim>()) {
    Plan<T, Dim, Host> plan(grid, 1, 1, {Planning::estimate});
    auto u = plan.make_real("u");
    auto back = plan.make_real("back");
    auto u_hat = plan.make_spectral("u_hat");
    for_each_local_point(grid, u, [&](int, int, std::int64_t flat, const auto&) {
      const std::int64_t global = flat + grid.local_start() * (grid.points() / grid.extents()[0]);
      u.data()[flat] = static_cast<T>(random_uniform(RandomKey{11, 0}, global) + 0.25);
    });
    double sum = 0;
    for (std::size_t i = 0; i < u.span(); ++i) sum += u.data()[i];
    double total = 0;
    MPI_Allreduce(&sum, &total, 1, MPI_DOUBLE, MPI_SUM, grid.comm());
    const double mean = total / static_cast<double>(grid.points());

    plan.forward(u, u_hat);
    laplacian(grid, u_hat);
    inverse_laplacian(grid, u_hat);
    plan.backward(u_hat, back);
    double worst = 0;
    for (std::size_t i = 0; i < u.span(); ++i) {
      worst = std::max(worst, std::abs(u.data()[i] - mean - static_cast<double>(back.data()[i])));
    }
    double global_worst = 0;
    MPI_Allreduce(&worst, &global_worst, 1, MPI_DOUBLE, MPI_MAX, grid.comm());
    // |u| <= 1.25, and -|k|^2 then -1/|k|^2 is exact up to two roundings per mode.
    EXPECT_LE(global_worst, 2 * tolerance<T>()) << grid.describe();
    EXPECT_GT(std::abs(mean), 0.5);  // the mean really was removed
  }
}

TYPED_TEST(DerivativesTest, InverseLaplacianUndoesLaplacianUpToTheMean2D) {
  check_inverse_of_laplacian<TypeParam, 2>();
}
TYPED_TEST(DerivativesTest, InverseLaplacianUndoesLaplacianUpToTheMean3D) {
  check_inverse_of_laplacian<TypeParam, 3>();
}

TEST(DerivativesErrors, BadAxisExtentsAndChannels) {
  Grid<2> grid({8, 6});
  Plan<double, 2, Host> plan(grid, 1, 2, {Planning::estimate});
  auto x_hat = plan.make_spectral("x_hat");
  auto y_hat = plan.make_spectral("y_hat");
  try {
    derivative(grid, 2, x_hat, y_hat);
    FAIL() << "expected torus::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("axis 2"), std::string::npos) << e.what();
  }
  Plan<double, 2, Host>::spectral_view wrong("wrong", 1, 2, 8, 3);
  try {
    laplacian(grid, wrong, y_hat);
    FAIL() << "expected torus::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("(1, 2, 8, 3)"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("8, 4)"), std::string::npos) << e.what();
  }
  EXPECT_THROW(gradient(grid, x_hat, y_hat), Error);  // needs 2 x 2 output channels
  Plan<double, 2, Host>::spectral_view one_field("one", 1, 1, 8, 4);
  EXPECT_THROW(inverse_laplacian(grid, x_hat, one_field), Error);
}

}  // namespace
}  // namespace torus::fft
