// The data set generator: a tiny run of 3 samples at 32², resumed from a kept part after the
// output is removed (as after a kill), gives the very same file; parts made with other options
// stop a run; a stored sample equals a direct Ns2dSolver run subsampled by hand; stride
// subsampling copies values exactly.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "fft/support.hpp"
#include "torus/io/attributes.hpp"
#include "torus/io/views.hpp"
#include "torus/pde/ns2d_dataset.hpp"

namespace torus::pde {
namespace {

namespace fs = std::filesystem;
using testing::world;
using Stored = Kokkos::View<double****, Kokkos::LayoutRight>;

// A folder of this test and rank count, emptied on rank 0.
fs::path folder(const std::string& name) {
  int ranks = 1, rank = 0;
  MPI_Comm_size(world(), &ranks);
  MPI_Comm_rank(world(), &rank);
  const fs::path dir = fs::path("test_ns2d_dataset-np" + std::to_string(ranks)) / name;
  if (rank == 0) {
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  MPI_Barrier(world());
  return dir;
}

Ns2dDatasetOptions tiny(const fs::path& output) {
  Ns2dDatasetOptions options;
  options.preset = ns2d_preset("small");
  options.preset.n = 32;
  options.preset.stored = {16, 32};
  options.preset.times = {0.0, 0.05, 0.1};
  options.samples = 3;
  options.batch = 1;
  options.seed = 17;
  options.output = output.string();
  return options;
}

Stored read_all(const fs::path& path, const std::string& name = "vorticity") {
  auto file = io::File::open(path.string());
  return io::read<Stored>(file, name);
}

double max_difference(const Stored& a, const Stored& b) {
  EXPECT_EQ(a.size(), b.size());
  double worst = 0;
  for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
    worst = std::max(worst, std::abs(a.data()[i] - b.data()[i]));
  }
  return worst;
}

TEST(Ns2dDataset, ResumedRunEqualsUninterruptedRun) {
  const fs::path dir = folder("resume");
  const auto whole = tiny(dir / "whole.h5");
  const auto report = generate_ns2d_dataset(world(), whole);
  EXPECT_EQ(report.samples_simulated, 3);
  EXPECT_FALSE(fs::exists(dir / "whole.h5.parts"));

  auto killed = tiny(dir / "killed.h5");
  killed.keep_parts = true;
  generate_ns2d_dataset(world(), killed);
  int rank = 0;
  MPI_Comm_rank(world(), &rank);
  if (rank == 0) {  // as after a kill: no output, one finished part
    fs::remove(dir / "killed.h5");
    fs::remove(dir / "killed.h5.parts" / "part-000000000-1.h5");
    fs::remove(dir / "killed.h5.parts" / "part-000000002-1.h5");
  }
  MPI_Barrier(world());
  killed.keep_parts = false;
  const auto resumed = generate_ns2d_dataset(world(), killed);
  EXPECT_EQ(resumed.samples_resumed, 1);
  EXPECT_EQ(resumed.samples_simulated, 2);
  EXPECT_FALSE(fs::exists(dir / "killed.h5.parts"));

  for (const std::string name : {"vorticity", "vorticity_32"}) {
    const auto a = read_all(dir / "whole.h5", name), b = read_all(dir / "killed.h5", name);
    EXPECT_EQ(a.extent(0), 3u);
    EXPECT_EQ(a.extent(1), 3u);
    EXPECT_EQ(max_difference(a, b), 0.0) << name;
  }
  auto file = io::File::open((dir / "whole.h5").string());
  EXPECT_EQ(io::read_attribute<std::string>(file, "/", "options"), ns2d_dataset_fingerprint(whole));
  EXPECT_EQ(io::read_attribute<std::int64_t>(file, "/", "seed"), 17);

  // The same command once more finds the output complete.
  EXPECT_TRUE(generate_ns2d_dataset(world(), whole).already_complete);
}

TEST(Ns2dDataset, PartsOfOtherOptionsStopTheRun) {
  const fs::path dir = folder("mismatch");
  auto options = tiny(dir / "data.h5");
  options.keep_parts = true;
  generate_ns2d_dataset(world(), options);
  int rank = 0;
  MPI_Comm_rank(world(), &rank);
  if (rank == 0) fs::remove(dir / "data.h5");
  MPI_Barrier(world());
  options.seed = 18;
  try {
    generate_ns2d_dataset(world(), options);
    ADD_FAILURE() << "parts of seed 17 were accepted by a run of seed 18";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("other options"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("data.h5.parts"), std::string::npos) << e.what();
  }
}

TEST(Ns2dDataset, StoredSampleEqualsADirectRun) {
  const fs::path dir = folder("direct");
  const auto options = tiny(dir / "data.h5");
  generate_ns2d_dataset(world(), options);
  const auto stored = read_all(dir / "data.h5");
  const auto full = read_all(dir / "data.h5", "vorticity_32");

  // Sample 2 alone, on one rank, subsampled by hand.
  const fft::Grid<2> grid({32, 32});
  Ns2dSolver solver(grid, 1, options.preset.solver);
  auto omega = solver.plan().make_real("omega");
  gaussian_random_field(grid, solver.plan(), omega, 17, 2);
  solver.set_vorticity(omega);
  double worst = 0, worst_full = 0, largest = 0;
  for (int t = 0; t < 3; ++t) {
    if (t > 0) solver.advance_to(options.preset.times[t]);
    solver.vorticity(omega);
    for (int i = 0; i < 32; ++i) {
      for (int j = 0; j < 32; ++j) {
        largest = std::max(largest, std::abs(omega(0, 0, i, j)));
        worst_full = std::max(worst_full, std::abs(full(2, t, i, j) - omega(0, 0, i, j)));
        if (i % 2 == 0 && j % 2 == 0) {
          worst = std::max(worst, std::abs(stored(2, t, i / 2, j / 2) - omega(0, 0, i, j)));
        }
      }
    }
  }
  // The same operations on the same batch of one: equal up to nothing but the FFTW plan.
  EXPECT_LE(worst, 1e-13 * largest);
  EXPECT_LE(worst_full, 1e-13 * largest);
}

TEST(Ns2dDataset, StrideSubsamplingIsExact) {
  fft::RealField<double, 2> in("in", 2, 1, 12, 8);
  Kokkos::parallel_for(
      "fill", Kokkos::MDRangePolicy<Kokkos::Rank<3>>({0, 0, 0}, {2, 12, 8}),
      KOKKOS_LAMBDA(int b, int i, int j) { in(b, 0, i, j) = 1000.0 * b + 10.0 * i + 0.1 * j; });
  Stored out("out", 2, 3, 3, 4);
  subsample_stride(in, out, 1);
  for (int b = 0; b < 2; ++b) {
    for (int i = 0; i < 3; ++i) {
      for (int j = 0; j < 4; ++j) EXPECT_EQ(out(b, 1, i, j), in(b, 0, 4 * i, 2 * j));
    }
  }
  Stored wrong("wrong", 2, 3, 5, 4);
  EXPECT_THROW(subsample_stride(in, wrong, 0), Error);
}

TEST(Ns2dDataset, PresetsFollowTheProtocols) {
  const auto fno3 = ns2d_preset("fno-1e-3");
  EXPECT_EQ(fno3.n, 256);
  EXPECT_EQ(fno3.stored, std::vector<int>{64});
  EXPECT_EQ(fno3.times.size(), 51u);
  EXPECT_DOUBLE_EQ(fno3.times.back(), 50.0);
  EXPECT_DOUBLE_EQ(fno3.solver.parameters.nu, 1e-3);
  const auto fno4 = ns2d_preset("fno-1e-4");
  EXPECT_DOUBLE_EQ(fno4.solver.parameters.nu, 1e-4);
  EXPECT_DOUBLE_EQ(fno4.times.back(), 30.0);
  const auto refiner = ns2d_preset("spectral-refiner");
  EXPECT_EQ(refiner.times.size(), 100u);
  EXPECT_NEAR(refiner.times.front(), 30.2, 1e-12);
  EXPECT_NEAR(refiner.times.back(), 50.0, 1e-12);
  EXPECT_EQ(refiner.stored, (std::vector<int>{64, 256}));
  for (const auto& name : ns2d_preset_names()) EXPECT_NO_THROW(validate(ns2d_preset(name)));
  EXPECT_THROW(ns2d_preset("fno"), Error);
}

}  // namespace
}  // namespace torus::pde
