// Data parallelism: the gradients all-reduced over the ranks of MPI_COMM_WORLD equal the
// gradient of one rank on the whole batch, computed here on MPI_COMM_SELF.
#include <gtest/gtest.h>
#include <mpi.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "torus/core/error.hpp"
#include "torus/core/random.hpp"
#include "torus/nn/data_parallel.hpp"
#include "torus/nn/linear.hpp"

namespace torus::nn {
namespace {

constexpr int kIn = 3, kOut = 2;

template <class T>
std::vector<double> get(const Tensor<T>& t) {
  auto h = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), t.values());
  return std::vector<double>(h.data(), h.data() + t.size());
}

/// Rows [first, last) of a (G, features) host array as a tensor.
template <class T>
Tensor<T> rows(const std::vector<double>& all, int features, int first, int last) {
  Tensor<T> t({last - first, features});
  auto h = Kokkos::create_mirror_view(t.values());
  for (int n = first; n < last; ++n) {
    for (int f = 0; f < features; ++f) h((n - first) * features + f) = all[n * features + f];
  }
  Kokkos::deep_copy(t.values(), h);
  return t;
}

/// Accumulates into the model's gradients the gradient of
///   L = (1/scale) sum_{n in [first, last)} sum_o (y_no - target_no)^2 / 2,
/// i.e. dL/dy = (y - target) / scale, for the rows [first, last) of the batch.
template <class T>
void accumulate_gradient(Linear<T>& model, const std::vector<double>& x,
                         const std::vector<double>& target, int first, int last, double scale) {
  const auto y = model.forward(rows<T>(x, kIn, first, last));
  const auto t = rows<T>(target, kOut, first, last);
  auto dy = Tensor<T>(y.shape());
  auto hy = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), y.values());
  auto ht = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), t.values());
  auto hd = Kokkos::create_mirror_view(dy.values());
  for (std::int64_t i = 0; i < y.size(); ++i) hd(i) = static_cast<T>((hy(i) - ht(i)) / scale);
  Kokkos::deep_copy(dy.values(), hd);
  model.backward(dy);
}

struct World {
  int rank = 0, size = 1;
  World() {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
  }
  // Rank r's rows of a batch of G: [r G / P, (r + 1) G / P), uneven when P does not divide G.
  int first(int G) const { return rank * G / size; }
  int last(int G) const { return (rank + 1) * G / size; }
};

std::vector<double> normals(int n, std::uint64_t stream) {
  std::vector<double> v(n);
  RandomStream random(RandomKey{99, stream});
  for (auto& e : v) e = random.normal();
  return v;
}

template <class T>
std::vector<double> gradients(Linear<T>& model) {
  auto w = get(model.weight().grad), b = get(model.bias().grad);
  w.insert(w.end(), b.begin(), b.end());
  return w;
}

// The single-rank truth: the full batch on this rank, the loss its mean over G samples.
template <class T>
std::vector<double> full_batch_gradient(int G) {
  Linear<T> model(kIn, kOut, RandomKey{7, 0});
  accumulate_gradient(model, normals(G * kIn, 1), normals(G * kOut, 2), 0, G, G);
  const auto before = gradients(model);
  allreduce_gradients(model.parameters(), MPI_COMM_SELF);  // one rank: nothing happens
  EXPECT_EQ(gradients(model), before);
  return before;
}

TEST(DataParallel, SumOfGlobalMeanSharesIsTheFullBatchGradientForAnySplit) {
  const World world;
  for (int G : {6, 7}) {  // 7 splits 3 + 4 over two ranks
    const auto expected = full_batch_gradient<double>(G);
    Linear<double> model(kIn, kOut, RandomKey{7, 0});
    // Each rank's loss is its share of the global mean: (1/G) sum over its rows.
    accumulate_gradient(model, normals(G * kIn, 1), normals(G * kOut, 2), world.first(G),
                        world.last(G), G);
    if (world.size > 1) {
      // The local gradient alone is not the answer: the test can fail.
      const auto local = gradients(model);
      double difference = 0;
      for (std::size_t i = 0; i < local.size(); ++i) {
        difference = std::max(difference, std::abs(local[i] - expected[i]));
      }
      EXPECT_GT(difference, 1e-3);
    }
    allreduce_gradients(model.parameters(), MPI_COMM_WORLD, /*average=*/false);
    const auto ours = gradients(model);
    ASSERT_EQ(ours.size(), expected.size());
    for (std::size_t i = 0; i < ours.size(); ++i) EXPECT_NEAR(ours[i], expected[i], 1e-12) << G;
  }
}

TEST(DataParallel, AverageOfLocalMeansIsTheFullBatchGradientForEqualSplits) {
  const World world;
  const int G = 6;  // equal halves at 2 ranks
  const auto expected = full_batch_gradient<double>(G);
  Linear<double> model(kIn, kOut, RandomKey{7, 0});
  const int first = world.first(G), last = world.last(G);
  accumulate_gradient(model, normals(G * kIn, 1), normals(G * kOut, 2), first, last, last - first);
  allreduce_gradients(model.parameters(), MPI_COMM_WORLD, /*average=*/true);
  const auto ours = gradients(model);
  for (std::size_t i = 0; i < ours.size(); ++i) EXPECT_NEAR(ours[i], expected[i], 1e-12);
}

TEST(DataParallel, FloatGradientsReduceToo) {
  const World world;
  const int G = 8;
  const auto expected = full_batch_gradient<double>(G);
  Linear<float> model(kIn, kOut, RandomKey{7, 0});
  accumulate_gradient(model, normals(G * kIn, 1), normals(G * kOut, 2), world.first(G),
                      world.last(G), G);
  allreduce_gradients(model.parameters(), MPI_COMM_WORLD, false);
  const auto ours = gradients(model);
  for (std::size_t i = 0; i < ours.size(); ++i) EXPECT_NEAR(ours[i], expected[i], 1e-5);
}

TEST(DataParallel, BroadcastMakesEveryRankHoldTheRootsWeights) {
  const World world;
  const int root = world.size - 1;
  Linear<double> model(kIn, kOut, rank_stream(5, world.rank));  // different on every rank
  Linear<double> roots(kIn, kOut, rank_stream(5, root));        // what the root holds
  if (world.rank != root) EXPECT_NE(get(model.weight().value), get(roots.weight().value));
  broadcast_parameters(model.parameters(), MPI_COMM_WORLD, root);
  EXPECT_EQ(get(model.weight().value), get(roots.weight().value));
  EXPECT_EQ(get(model.bias().value), get(roots.bias().value));
  EXPECT_THROW(broadcast_parameters(model.parameters(), MPI_COMM_WORLD, world.size), Error);
}

TEST(DataParallel, BroadcastRefusesModelsOfDifferentSizes) {
  const World world;
  if (world.size == 1) GTEST_SKIP() << "needs two ranks";
  Linear<double> model(kIn, kOut + world.rank, RandomKey{1, 0});
  EXPECT_THROW(broadcast_parameters(model.parameters(), MPI_COMM_WORLD), Error);
}

}  // namespace
}  // namespace torus::nn
