// The trainer behind `torus train` (operators/ns2d_training.hpp), on tiny data sets of heat
// trajectories written by the test: N ranks give the parameters of one rank, a run stopped and
// resumed ends where the uninterrupted run ends, and bad data or options fail with a clear
// torus::Error on every rank (never a hang of the ranks that did not see the problem).
#include <gtest/gtest.h>

#include <mpi.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include "fft/support.hpp"
#include "torus/core/error.hpp"
#include "torus/core/random.hpp"
#include "torus/io/hdf5_file.hpp"
#include "torus/io/views.hpp"
#include "torus/operators/ns2d_training.hpp"
#include "torus/operators/operator_factory.hpp"

namespace torus::operators {
namespace {

namespace fs = std::filesystem;
using testing::world;

constexpr double pi = 3.14159265358979323846;

int rank_of_world() {
  int rank = 0;
  MPI_Comm_rank(world(), &rank);
  return rank;
}

// A folder for this test and rank count, emptied by rank 0.
fs::path folder(const std::string& name) {
  const fs::path dir =
      fs::path("test_ns2d_training-np" + std::to_string(testing::world_size())) / name;
  if (rank_of_world() == 0) {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  MPI_Barrier(world());
  return dir;
}

// `samples` heat trajectories on an n x n grid, `times` snapshots dt apart: w(t) is a random
// band-limited field (modes |f| <= 3) decayed by exp(-4 pi^2 nu t |f|^2), nu dt = 2e-3. Written
// by rank 0 as `dataset` (samples, times, n, n) float64 with `t`; `nan_sample` >= 0 puts a NaN
// into that sample's third snapshot. Collective (a barrier) so every rank sees the file.
void write_heat_data(const fs::path& path, int samples, int times, int n, std::uint64_t seed,
                     int nan_sample = -1, const std::string& dataset = "vorticity") {
  if (rank_of_world() == 0) {
    Kokkos::View<double****, Kokkos::LayoutRight, Kokkos::HostSpace> w("heat", samples, times, n,
                                                                       n);
    Kokkos::View<double*, Kokkos::HostSpace> t("t", times);
    RandomStream random(RandomKey{seed, 3});
    for (int s = 0; s < samples; ++s) {
      for (int f0 = -3; f0 <= 3; ++f0) {
        for (int f1 = 0; f1 <= 3; ++f1) {
          const double amplitude = random.normal() / (1.0 + f0 * f0 + f1 * f1);
          const double phase = 2.0 * pi * random.uniform();
          for (int k = 0; k < times; ++k) {
            const double decay = std::exp(-4.0 * pi * pi * 2e-3 * k * (f0 * f0 + f1 * f1));
            for (int i = 0; i < n; ++i) {
              for (int j = 0; j < n; ++j) {
                w(s, k, i, j) +=
                    decay * amplitude * std::cos(2.0 * pi * (f0 * i + f1 * j) / n + phase);
              }
            }
          }
        }
      }
    }
    for (int k = 0; k < times; ++k) t(k) = 0.1 * k;
    if (nan_sample >= 0) w(nan_sample, 2, 1, 2) = std::numeric_limits<double>::quiet_NaN();
    auto file = io::File::create(path.string());
    io::write(file, dataset, w);
    io::write(file, "t", t);
    file.commit();
  }
  MPI_Barrier(world());
}

struct Data {
  fs::path train, test;
};

// 12 training and 5 test trajectories of 6 snapshots at 16^2, shared by the tests below.
Data heat_data() {
  static const Data data = [] {
    const auto dir = folder("data");
    Data d{dir / "train.h5", dir / "test.h5"};
    write_heat_data(d.train, 12, 6, 16, 1);
    write_heat_data(d.test, 5, 6, 16, 2);
    return d;
  }();
  return data;
}

// A tiny run: 2 input steps rolled out 3 times, global batch 4 (3 batches an epoch).
Ns2dTrainingOptions tiny(const std::string& model, const fs::path& output) {
  const auto data = heat_data();
  Ns2dTrainingOptions o;
  o.model = model;
  o.model_options =
      model == "fno" ? nlohmann::json{{"width", 6}, {"modes", 3}, {"layers", 2}, {"projection", 8}}
                     : nlohmann::json{{"width", 6}, {"modes", 4}, {"layers", 2}, {"hidden", 8}};
  o.window.input_steps = 2;
  o.window.output_steps = 3;
  o.train_data = data.train.string();
  o.test_data = data.test.string();
  o.epochs = 3;
  o.batch = 4;
  o.learning_rate = 3e-3;
  o.seed = 11;
  o.output = output.string();
  o.progress = false;
  return o;
}

// Every parameter of a checkpoint of `torus train`, in order, in double.
std::vector<double> parameters_of(const fs::path& checkpoint) {
  auto op = load_trainable_operator(checkpoint.string());
  std::vector<double> all;
  for (auto& [name, p] : op.model->named_parameters()) {
    auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), p->value.values());
    all.insert(all.end(), host.data(), host.data() + host.size());
  }
  return all;
}

double max_difference(const std::vector<double>& a, const std::vector<double>& b) {
  EXPECT_EQ(a.size(), b.size());
  double worst = a.size() == b.size() ? 0.0 : INFINITY;
  for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
    worst = std::max(worst, std::abs(a[i] - b[i]));
  }
  return worst;
}

// Runs `action` and returns the torus::Error's message it must throw ("" and a test failure
// when it throws nothing).
template <class Action>
std::string error_of(Action&& action) {
  try {
    action();
  } catch (const Error& e) {
    return e.what();
  }
  ADD_FAILURE() << "no torus::Error";
  return "";
}

class Ns2dTraining : public ::testing::TestWithParam<std::string> {};

TEST_P(Ns2dTraining, AllRanksGiveTheParametersOfOneRank) {
  const auto dir = folder(GetParam() + "-ranks");
  const auto together = train_ns2d_operator(tiny(GetParam(), dir / "world"), world());
  ASSERT_EQ(together.epochs.size(), 3u);
  EXPECT_LT(together.epochs.back().train_loss, together.epochs.front().train_loss);
  if (rank_of_world() == 0) {
    const auto alone = train_ns2d_operator(tiny(GetParam(), dir / "self"), MPI_COMM_SELF);
    // float32 parameters; the ranks sum the gradient in another order, Adam normalises it.
    EXPECT_LT(max_difference(parameters_of(dir / "world" / "checkpoint.h5"),
                             parameters_of(dir / "self" / "checkpoint.h5")),
              2e-5);
    for (std::size_t e = 0; e < alone.epochs.size(); ++e) {
      EXPECT_NEAR(together.epochs[e].test_error, alone.epochs[e].test_error,
                  1e-5 * alone.epochs[e].test_error);
      EXPECT_NEAR(together.epochs[e].train_loss, alone.epochs[e].train_loss,
                  1e-5 * alone.epochs[e].train_loss);
    }
  }
  MPI_Barrier(world());
}

TEST_P(Ns2dTraining, ResumedRunEndsWhereTheUninterruptedRunEnds) {
  const auto dir = folder(GetParam() + "-resume");
  auto straight = tiny(GetParam(), dir / "straight");
  const auto full = train_ns2d_operator(straight, world());
  auto interrupted = tiny(GetParam(), dir / "resumed");
  interrupted.epochs = 1;
  train_ns2d_operator(interrupted, world());
  interrupted.epochs = 3;
  interrupted.resume = true;
  const auto resumed = train_ns2d_operator(interrupted, world());
  EXPECT_EQ(resumed.first_epoch_run, 2);
  ASSERT_EQ(resumed.epochs.size(), full.epochs.size());
  for (std::size_t e = 0; e < full.epochs.size(); ++e) {
    EXPECT_EQ(resumed.epochs[e].train_loss, full.epochs[e].train_loss) << "epoch " << e + 1;
    EXPECT_EQ(resumed.epochs[e].test_error, full.epochs[e].test_error) << "epoch " << e + 1;
  }
  EXPECT_EQ(max_difference(parameters_of(dir / "straight" / "checkpoint.h5"),
                           parameters_of(dir / "resumed" / "checkpoint.h5")),
            0.0);

  // The log holds every epoch once, resumed ones included.
  std::ifstream log((dir / "resumed" / "log.csv").string());
  std::string line;
  int lines = 0;
  while (std::getline(log, line)) ++lines;
  EXPECT_EQ(lines, 4);  // header and 3 epochs

  // Resuming with other options is refused.
  interrupted.batch = 2;
  EXPECT_NE(error_of([&] { train_ns2d_operator(interrupted, world()); }).find("batch"),
            std::string::npos);
}

TEST_P(Ns2dTraining, EvaluationOfTheBestCheckpointIsItsRecordedTestError) {
  const auto dir = folder(GetParam() + "-eval");
  const auto report = train_ns2d_operator(tiny(GetParam(), dir / "run"), world());
  Ns2dEvaluationOptions e;
  e.checkpoint = (dir / "run" / "best.h5").string();
  e.data = heat_data().test.string();
  e.batch = 2;  // uneven shares over 2 ranks (5 samples), more rounds on one rank
  const auto evaluation = evaluate_ns2d_operator(e, world());
  EXPECT_EQ(evaluation.samples, 5);
  EXPECT_NEAR(evaluation.relative_l2, report.best_test_error, 1e-6 * report.best_test_error);
}

TEST_P(Ns2dTraining, BadDataFailsClearlyOnEveryRank) {
  const auto dir = folder(GetParam() + "-bad");
  auto options = tiny(GetParam(), dir / "run");

  auto missing = options;
  missing.train_data = (dir / "absent.h5").string();
  EXPECT_NE(error_of([&] { train_ns2d_operator(missing, world()); }).find("absent.h5"),
            std::string::npos);

  auto wrong_name = options;
  wrong_name.dataset = "velocity";
  EXPECT_NE(error_of([&] { train_ns2d_operator(wrong_name, world()); }).find("velocity"),
            std::string::npos);

  // A window longer than the 6 stored snapshots.
  auto too_long = options;
  too_long.window.output_steps = 5;
  EXPECT_NE(error_of([&] { train_ns2d_operator(too_long, world()); }), "");

  // (samples, x, y): no time axis.
  if (rank_of_world() == 0) {
    Kokkos::View<double***, Kokkos::LayoutRight, Kokkos::HostSpace> flat("flat", 4, 16, 16);
    auto file = io::File::create((dir / "flat.h5").string());
    io::write(file, "vorticity", flat);
    file.commit();
  }
  MPI_Barrier(world());
  auto flat = options;
  flat.train_data = (dir / "flat.h5").string();
  EXPECT_NE(error_of([&] { train_ns2d_operator(flat, world()); }), "");

  // A test set on another grid.
  write_heat_data(dir / "coarse.h5", 5, 6, 8, 4);
  auto coarse = options;
  coarse.test_data = (dir / "coarse.h5").string();
  const auto grids = error_of([&] { train_ns2d_operator(coarse, world()); });
  EXPECT_NE(grids.find("resolution"), std::string::npos) << grids;

  // A NaN in the last sample: on 2 ranks only one of them reads it in a batch (FNO reads on
  // demand), and both must throw the same error rather than leave the other waiting.
  write_heat_data(dir / "nan.h5", 12, 6, 16, 1, /*nan_sample=*/11);
  auto with_nan = options;
  with_nan.train_data = (dir / "nan.h5").string();
  const auto message = error_of([&] { train_ns2d_operator(with_nan, world()); });
  EXPECT_NE(message.find("NaN"), std::string::npos) << message;
  EXPECT_NE(message.find("sample 11"), std::string::npos) << message;
}

INSTANTIATE_TEST_SUITE_P(Models, Ns2dTraining, ::testing::Values("fno", "t1"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace torus::operators
