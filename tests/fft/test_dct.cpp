// fft::DctPlan against the DCT-II and DCT-III summed term by term in long double, with the
// per-axis matrices written from their definitions (scipy.fft's conventions):
//   DCT-II   backward  M_kn = 2 cos(pi k (2n + 1) / (2N))
//            forward   M_kn = 2 cos(...) / (2N)
//            ortho     M_kn = sqrt(2/N) c_k cos(...),  c_0 = 1/sqrt(2), c_k = 1 otherwise
//                      (the orthonormal DCT matrix)
//   DCT-III  x_n = sum_k W_nk y_k with W the inverse of M: backward (1 or 2) cos / (2N) with 1
//            at k = 0, forward (1 or 2) cos, ortho the transpose of the orthonormal M.
// Plus round trips, Parseval for ortho, in-place and unaligned Views, and the errors.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <vector>

#include "torus/core/random.hpp"
#include "torus/fft/dct.hpp"

namespace torus::fft {
namespace {

using Host = Kokkos::HostSpace;
using Long = long double;
const Long pi = 3.141592653589793238462643383279502884L;

// Relative to the largest expected value: FFTW computes the DCT through an FFT of length ~2N
// whose round-off is a few eps * log2(N); measured worst cases are 4e-7 (float) and 8e-16
// (double) at these sizes, and the tolerances allow ~20x that.
template <class T>
double tolerance() {
  return std::is_same_v<T, float> ? 6e-6 : 2e-14;
}

// Entry (k, n) of the per-axis DCT-II matrix, and (n, k) of the DCT-III matrix, for `norm`.
Long dct2_entry(Norm norm, int N, int k, int n) {
  const Long c = std::cos(pi * k * (2 * n + 1) / (2.0L * N));
  switch (norm) {
    case Norm::backward:
      return 2 * c;
    case Norm::forward:
      return 2 * c / (2.0L * N);
    case Norm::ortho:
      return std::sqrt(2.0L / N) * (k == 0 ? 1 / std::sqrt(2.0L) : 1.0L) * c;
  }
  return 0;
}

Long dct3_entry(Norm norm, int N, int n, int k) {
  const Long c = std::cos(pi * k * (2 * n + 1) / (2.0L * N));
  const Long weight = k == 0 ? 1 : 2;
  switch (norm) {
    case Norm::backward:
      return weight * c / (2.0L * N);
    case Norm::forward:
      return weight * c;
    case Norm::ortho:
      return std::sqrt(2.0L / N) * (k == 0 ? 1 / std::sqrt(2.0L) : 1.0L) * c;
  }
  return 0;
}

// out(i) = sum_j in(j) prod_a entry(N_a, i_a, j_a) on one row-major field.
template <int Dim, class Entry>
std::vector<double> naive(const std::vector<double>& in, const std::array<int, Dim>& n,
                          Entry entry) {
  const std::size_t total = in.size();
  std::vector<double> out(total);
  auto unflatten = [&](std::size_t flat) {
    std::array<int, Dim> index;
    for (int a = Dim - 1; a >= 0; --a) {
      index[a] = static_cast<int>(flat % n[a]);
      flat /= n[a];
    }
    return index;
  };
  for (std::size_t i = 0; i < total; ++i) {
    const auto out_index = unflatten(i);
    Long sum = 0;
    for (std::size_t j = 0; j < total; ++j) {
      const auto in_index = unflatten(j);
      Long product = in[j];
      for (int a = 0; a < Dim; ++a) product *= entry(n[a], out_index[a], in_index[a]);
      sum += product;
    }
    out[i] = static_cast<double>(sum);
  }
  return out;
}

template <class T, int Dim>
void fill_random(const typename DctPlan<T, Dim, Host>::real_view& x, std::uint64_t seed) {
  for (std::size_t i = 0; i < x.span(); ++i) {
    x.data()[i] = static_cast<T>(2 * random_uniform({seed, 0}, i) - 1);
  }
}

// The fields of a View as double vectors (the values the plan saw, rounded to T).
template <class T, int Dim>
std::vector<std::vector<double>> fields_of(const typename DctPlan<T, Dim, Host>::real_view& x,
                                           std::size_t points) {
  std::vector<std::vector<double>> fields(x.span() / points);
  for (std::size_t f = 0; f < fields.size(); ++f) {
    fields[f].assign(x.data() + f * points, x.data() + (f + 1) * points);
  }
  return fields;
}

template <class T, int Dim>
void expect_close(const typename DctPlan<T, Dim, Host>::real_view& got,
                  const std::vector<std::vector<double>>& expected, const std::string& what) {
  const std::size_t points = expected[0].size();
  for (std::size_t f = 0; f < expected.size(); ++f) {
    double largest = 0, worst = 0;
    for (std::size_t i = 0; i < points; ++i) {
      largest = std::max(largest, std::abs(expected[f][i]));
      worst = std::max(worst, std::abs(expected[f][i] - got.data()[f * points + i]));
    }
    EXPECT_LE(worst, tolerance<T>() * largest) << what << ", field " << f;
  }
}

template <int Dim>
std::vector<std::array<int, Dim>> sizes() {
  if constexpr (Dim == 2) {
    return {{8, 8}, {7, 5}, {6, 9}, {1, 4}};
  } else {
    return {{4, 6, 5}, {3, 5, 7}};
  }
}

template <class T>
class DctTest : public ::testing::Test {};
using Precisions = ::testing::Types<float, double>;
TYPED_TEST_SUITE(DctTest, Precisions);

template <class T, int Dim>
void check_against_naive() {
  for (const auto& n : sizes<Dim>()) {
    DctPlan<T, Dim, Host> plan(n, 2, 2, {Planning::estimate});
    auto x = plan.make_real("x");
    auto y = plan.make_real("y");
    auto z = plan.make_real("z");
    fill_random<T, Dim>(x, 21);
    std::size_t points = 1;
    for (int a = 0; a < Dim; ++a) points *= n[a];
    const auto inputs = fields_of<T, Dim>(x, points);
    const std::string shape = format_extents<Dim>(n);
    for (Norm norm : {Norm::backward, Norm::ortho, Norm::forward}) {
      plan.forward(x, y, norm);
      std::vector<std::vector<double>> expected;
      for (const auto& field : inputs) {
        expected.push_back(naive<Dim>(
            field, n, [norm](int N, int k, int j) { return dct2_entry(norm, N, k, j); }));
      }
      expect_close<T, Dim>(y, expected, "DCT-II of " + shape + ", norm " + to_string(norm));

      // The inverse on the same random input, against the DCT-III sum.
      plan.inverse(x, z, norm);
      expected.clear();
      for (const auto& field : inputs) {
        expected.push_back(naive<Dim>(
            field, n, [norm](int N, int i, int k) { return dct3_entry(norm, N, i, k); }));
      }
      expect_close<T, Dim>(z, expected, "DCT-III of " + shape + ", norm " + to_string(norm));
    }
    // The input was never modified.
    expect_close<T, Dim>(x, inputs, "the preserved input");
  }
}

TYPED_TEST(DctTest, MatchesTermByTermSums2D) { check_against_naive<TypeParam, 2>(); }
TYPED_TEST(DctTest, MatchesTermByTermSums3D) { check_against_naive<TypeParam, 3>(); }

template <class T, int Dim>
void check_round_trip_and_parseval() {
  for (const auto& n : sizes<Dim>()) {
    DctPlan<T, Dim, Host> plan(n, 3, 1, {Planning::estimate});
    auto x = plan.make_real("x");
    auto y = plan.make_real("y");
    auto back = plan.make_real("back");
    fill_random<T, Dim>(x, 22);
    std::size_t points = 1;
    for (int a = 0; a < Dim; ++a) points *= n[a];
    const auto inputs = fields_of<T, Dim>(x, points);
    for (Norm norm : {Norm::backward, Norm::ortho, Norm::forward}) {
      plan.forward(x, y, norm);
      plan.inverse(y, back, norm);
      expect_close<T, Dim>(back, inputs, "round trip, norm " + to_string(norm));
    }
    // Orthonormal: the sum of squares of every field is kept.
    plan.forward(x, y, Norm::ortho);
    for (std::size_t f = 0; f < inputs.size(); ++f) {
      double before = 0, after = 0;
      for (std::size_t i = 0; i < points; ++i) {
        before += inputs[f][i] * inputs[f][i];
        after += static_cast<double>(y.data()[f * points + i]) * y.data()[f * points + i];
      }
      EXPECT_NEAR(after, before, tolerance<T>() * before) << "Parseval, field " << f;
    }
  }
}

TYPED_TEST(DctTest, RoundTripsAndParseval2D) { check_round_trip_and_parseval<TypeParam, 2>(); }
TYPED_TEST(DctTest, RoundTripsAndParseval3D) { check_round_trip_and_parseval<TypeParam, 3>(); }

TEST(Dct, InPlaceAndUnalignedViews) {
  const std::array<int, 2> n{6, 5};
  DctPlan<double, 2, Host> plan(n, 1, 1, {Planning::estimate});
  auto x = plan.make_real("x");
  auto expected = plan.make_real("expected");
  fill_random<double, 2>(x, 23);
  plan.forward(x, expected);

  auto in_place = plan.make_real("in_place");
  Kokkos::deep_copy(in_place, x);
  plan.forward(in_place, in_place);
  const auto truth = fields_of<double, 2>(expected, 30);
  expect_close<double, 2>(in_place, truth, "in place");

  // One element into an allocation: FFTW's SIMD alignment is lost.
  Kokkos::View<double*, Host> storage("storage", 31);
  DctPlan<double, 2, Host>::real_view shifted(storage.data() + 1, 1, 1, 6, 5);
  Kokkos::deep_copy(shifted, x);
  plan.forward(shifted, shifted);
  expect_close<double, 2>(shifted, truth, "unaligned");
  plan.inverse(shifted, shifted);
  expect_close<double, 2>(shifted, fields_of<double, 2>(x, 30), "unaligned inverse");
}

TEST(Dct, ErrorsNameTheProblem) {
  DctPlan<double, 2, Host> plan({6, 5}, 2, 1, {Planning::estimate});
  auto x = plan.make_real("x");
  DctPlan<double, 2, Host>::real_view wrong("wrong", 2, 1, 5, 6);
  try {
    plan.forward(x, wrong);
    FAIL() << "expected torus::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("(2, 1, 5, 6)"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("(2, 1, 6, 5)"), std::string::npos) << e.what();
  }
  EXPECT_THROW(plan.inverse(wrong, x), Error);
  EXPECT_THROW((DctPlan<double, 2, Host>({0, 5}, 1, 1)), Error);
  EXPECT_THROW((DctPlan<float, 3, Host>({4, 4, 4}, 1, 0)), Error);

  // Partly overlapping input and output.
  Kokkos::View<double*, Host> storage("storage", 2 * 30 + 1);
  DctPlan<double, 2, Host>::real_view a(storage.data(), 2, 1, 6, 5);
  DctPlan<double, 2, Host>::real_view b(storage.data() + 1, 2, 1, 6, 5);
  EXPECT_THROW(plan.forward(a, b), Error);
}

}  // namespace
}  // namespace torus::fft
