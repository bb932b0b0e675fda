// benchmarks/fft: torus's FFT round trip against bare FFTW on the same buffers, in one run.
//
// One-rank cases: forward + inverse of batches of fields through fft::Plan, against
// fftw_plan_many_dft_r2c / c2r made with the same flags and executed on the same memory.
// Distributed case (run under mpirun): the same fields on rank 0 alone (the other ranks sleep)
// against the fields split over all ranks in each layout torus offers, and bare FFTW-MPI with
// its interleaved "howmany" batch as a second rival.
//
// This machine is noisy, so contenders are timed in alternation, round after round, and each
// reports the median of its rounds: a slow patch of the machine hits all of them alike.
// GFLOP/s counts 2.5 N log2 N per real transform of N points (FFTW's convention).
#include <fftw3-mpi.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "torus/core/random.hpp"
#include "torus/core/runtime.hpp"
#include "torus/core/timer.hpp"
#include "torus/fft/plan.hpp"

namespace {

using torus::Timer;
using Host = Kokkos::HostSpace;
using Plan2 = torus::fft::Plan<double, 2, Host>;

struct Case {
  int batch, channels, n;
};

// Something to time: `run` is executed by rank 0 alone or by every rank together.
struct Contender {
  std::string name;
  std::function<void()> run;
  bool rank_zero_alone = false;
};

// Waits for every rank of `comm` without spinning, so that an idle rank does not compete for
// the cores and memory of a rank that is being timed alone.
void sleep_until_all_arrive(MPI_Comm comm) {
  MPI_Request request;
  MPI_Ibarrier(comm, &request);
  int done = 0;
  while (!done) {
    MPI_Test(&request, &done, MPI_STATUS_IGNORE);
    if (!done) usleep(200);
  }
}

// Median seconds of each contender over alternating rounds: at least `min_rounds`, then until
// `budget` seconds have passed. Every rank returns the same numbers (rank 0's clock).
std::vector<double> alternating_medians(const std::vector<Contender>& contenders, MPI_Comm comm,
                                        double budget = 6.0, int min_rounds = 5) {
  int rank = 0;
  MPI_Comm_rank(comm, &rank);
  std::vector<std::vector<double>> samples(contenders.size());
  Timer total;
  for (int round = 0;; ++round) {
    for (std::size_t c = 0; c < contenders.size(); ++c) {
      const bool runs = !contenders[c].rank_zero_alone || rank == 0;
      sleep_until_all_arrive(comm);
      Timer timer;
      if (runs) contenders[c].run();
      sleep_until_all_arrive(comm);
      if (round > 0) samples[c].push_back(timer.seconds());  // round 0 warms up
    }
    int more = round < min_rounds || total.seconds() < budget;
    MPI_Bcast(&more, 1, MPI_INT, 0, comm);
    if (!more || round >= 200) break;
  }
  std::vector<double> medians;
  for (auto& s : samples) medians.push_back(torus::median(s));
  MPI_Bcast(medians.data(), static_cast<int>(medians.size()), MPI_DOUBLE, 0, comm);
  return medians;
}

double gflops(const Case& c, double seconds) {
  const double points = static_cast<double>(c.n) * c.n;
  return 2.0 * c.batch * c.channels * 2.5 * points * std::log2(points) / seconds / 1e9;
}

std::string label(const Case& c) {
  return std::to_string(c.batch) + "x" + std::to_string(c.channels) + " at " + std::to_string(c.n) +
         "²";
}

// torus Plan round trip against bare FFTW plan_many, on one rank and the same buffers.
std::string local_row(const Case& c, unsigned flags, torus::fft::Planning planning) {
  torus::fft::Grid<2> grid({c.n, c.n});
  Plan2 plan(grid, c.batch, c.channels, {planning});
  auto x = plan.make_real("x");
  auto x_hat = plan.make_spectral("x_hat");
  const int fields = c.batch * c.channels;
  const int n[2] = {c.n, c.n};
  const int spectral = c.n * (c.n / 2 + 1);
  auto* complex = reinterpret_cast<fftw_complex*>(x_hat.data());
  fftw_plan forward = fftw_plan_many_dft_r2c(2, n, fields, x.data(), nullptr, 1, c.n * c.n, complex,
                                             nullptr, 1, spectral, flags);
  fftw_plan backward = fftw_plan_many_dft_c2r(2, n, fields, complex, nullptr, 1, spectral, x.data(),
                                              nullptr, 1, c.n * c.n, flags);
  torus::fill_normal(x, torus::RandomKey{1, 0});

  const auto medians = alternating_medians({{"bare FFTW",
                                             [&] {
                                               fftw_execute(forward);
                                               fftw_execute(backward);
                                             }},
                                            {"torus",
                                             [&] {
                                               plan.forward(x, x_hat);
                                               plan.backward_overwriting(x_hat, x);
                                             }}},
                                           MPI_COMM_SELF);
  fftw_destroy_plan(forward);
  fftw_destroy_plan(backward);
  const double bare = medians[0], ours = medians[1];
  char row[256];
  std::snprintf(row, sizeof row, "| %s | %.3f | %.3f | %.3f | %.2f | %.2f |", label(c).c_str(),
                1e3 * bare, 1e3 * ours, ours / bare, gflops(c, bare), gflops(c, ours));
  return row;
}

// A plan with its fields, ready to time.
struct Prepared {
  std::unique_ptr<Plan2> plan;
  Plan2::real_view x;
  Plan2::spectral_view x_hat;
  std::function<void()> round_trip() {
    return [this] {
      plan->forward(x, x_hat);
      plan->backward_overwriting(x_hat, x);
    };
  }
};

Prepared prepare(const torus::fft::Grid<2>& grid, const Case& c, torus::fft::PlanOptions options) {
  Prepared p;
  p.plan = std::make_unique<Plan2>(grid, c.batch, c.channels, options);
  p.x = p.plan->make_real("x");
  p.x_hat = p.plan->make_spectral("x_hat");
  torus::fill_normal(p.x, torus::rank_stream(1, grid.rank()));
  return p;
}

// Bare FFTW-MPI with its own batch: fields interleaved point by point, padded rows.
struct BareFftwMpi {
  double* real = nullptr;
  fftw_complex* complex = nullptr;
  fftw_plan forward = nullptr, backward = nullptr;
  BareFftwMpi(const Case& c, MPI_Comm comm, unsigned flags) {
    const ptrdiff_t n[2] = {c.n, c.n};
    const ptrdiff_t complex_n[2] = {c.n, c.n / 2 + 1};
    ptrdiff_t local_n0, local_0_start;
    const ptrdiff_t alloc =
        fftw_mpi_local_size_many(2, complex_n, c.batch * c.channels, FFTW_MPI_DEFAULT_BLOCK, comm,
                                 &local_n0, &local_0_start);
    real = fftw_alloc_real(2 * alloc);
    complex = fftw_alloc_complex(alloc);
    forward = fftw_mpi_plan_many_dft_r2c(2, n, c.batch * c.channels, FFTW_MPI_DEFAULT_BLOCK,
                                         FFTW_MPI_DEFAULT_BLOCK, real, complex, comm, flags);
    backward = fftw_mpi_plan_many_dft_c2r(2, n, c.batch * c.channels, FFTW_MPI_DEFAULT_BLOCK,
                                          FFTW_MPI_DEFAULT_BLOCK, complex, real, comm, flags);
    for (ptrdiff_t i = 0; i < 2 * alloc; ++i) real[i] = std::sin(0.001 * i);
  }
  ~BareFftwMpi() {
    fftw_destroy_plan(forward);
    fftw_destroy_plan(backward);
    fftw_free(real);
    fftw_free(complex);
  }
};

std::string distributed_rows(const Case& c, unsigned flags, torus::fft::Planning planning) {
  using torus::fft::Distribution;
  using torus::fft::GridOptions;
  auto& runtime = torus::Runtime::current();
  const int p = runtime.size();
  std::vector<Contender> contenders;
  std::vector<Prepared> prepared;
  prepared.reserve(4);

  if (runtime.rank() == 0) {
    prepared.push_back(prepare(torus::fft::Grid<2>({c.n, c.n}), c, {planning}));
  }
  contenders.push_back(
      {"torus, 1 rank",
       runtime.rank() == 0 ? prepared.back().round_trip() : std::function<void()>(), true});
  std::unique_ptr<BareFftwMpi> bare;
  if (p > 1) {
    const torus::fft::Grid<2> split({c.n, c.n}, runtime.comm());
    const torus::fft::Grid<2> transposed({c.n, c.n}, runtime.comm(), GridOptions{true});
    prepared.push_back(prepare(split, c, {planning, Distribution::split_fields}));
    contenders.push_back({"torus, " + std::to_string(p) + " ranks", prepared.back().round_trip()});
    prepared.push_back(prepare(transposed, c, {planning, Distribution::split_fields}));
    contenders.push_back({"torus, " + std::to_string(p) + " ranks, transposed spectral",
                          prepared.back().round_trip()});
    prepared.push_back(prepare(split, c, {planning, Distribution::whole_fields}));
    contenders.push_back({"torus, " + std::to_string(p) + " ranks, whole fields per rank",
                          prepared.back().round_trip()});
    bare = std::make_unique<BareFftwMpi>(c, runtime.comm(), flags);
    contenders.push_back({"bare FFTW-MPI howmany, " + std::to_string(p) + " ranks", [&] {
                            fftw_execute(bare->forward);
                            fftw_execute(bare->backward);
                          }});
  }
  const auto medians = alternating_medians(contenders, runtime.comm());
  std::string rows;
  char row[512];
  for (std::size_t i = 0; i < contenders.size(); ++i) {
    std::snprintf(row, sizeof row, "%s| %s | %s | %.2f | %.2f | %.2f |", i ? "\n" : "",
                  label(c).c_str(), contenders[i].name.c_str(), 1e3 * medians[i],
                  medians[0] / medians[i], gflops(c, medians[i]));
    rows += row;
  }
  return rows;
}

// The machine's limit for memory-bound work: copy bandwidth of rank 0 alone and of all ranks
// at once, measured the same way as the transforms.
std::string bandwidth_rows(MPI_Comm comm) {
  const std::size_t count = std::size_t(32) << 20;  // 256 MiB of doubles per rank
  std::vector<double> from(count, 1.0), to(count, 0.0);
  auto copy = [&] { std::copy(from.begin(), from.end(), to.begin()); };
  int ranks = 1;
  MPI_Comm_size(comm, &ranks);
  const auto medians = alternating_medians({{"alone", copy, true}, {"all", copy}}, comm, 3.0);
  const double bytes = 2.0 * count * sizeof(double);  // read + write
  char rows[512];
  std::snprintf(rows, sizeof rows,
                "| copy 256 MiB, 1 rank | %.1f GB/s |\n| copy 256 MiB on each of %d ranks | %.1f "
                "GB/s in all (%.2fx one rank) |",
                bytes / medians[0] / 1e9, ranks, ranks * bytes / medians[1] / 1e9,
                ranks * medians[0] / medians[1]);
  return rows;
}

}  // namespace

int main(int argc, char** argv) {
  torus::Runtime runtime(argc, argv);
  CLI::App app{"FFT round trip: torus against bare FFTW in the same run"};
  std::string out;
  std::string command = "mpirun -n <ranks> build/benchmarks/bench_fft";
  bool quick = false;
  bool distributed_only = false;
  app.add_option("--out", out, "write the markdown table to this file (rank 0)");
  app.add_option("--command", command, "the command line to record with the table");
  app.add_flag("--quick", quick, "small sizes and FFTW_ESTIMATE, for a smoke test");
  app.add_flag("--distributed-only", distributed_only, "only the distributed case");
  CLI11_PARSE(app, argc, argv);

  const unsigned flags = quick ? FFTW_ESTIMATE : FFTW_MEASURE;
  const auto planning = quick ? torus::fft::Planning::estimate : torus::fft::Planning::measure;
  std::vector<Case> local_cases = {{20, 32, 64}, {20, 32, 128}, {4, 32, 256}, {1, 1, 1024}};
  Case distributed_case{4, 32, 512};
  if (quick) {
    local_cases = {{2, 2, 32}};
    distributed_case = {1, 2, 64};
  }

  std::ostringstream table;
  table << "Command: `" << command << "` (" << runtime.size()
        << " rank(s); double precision; medians of alternating rounds; norm=backward, so torus "
           "also applies the 1/N that bare FFTW leaves out)\n\n";
  if (runtime.rank() == 0 && !distributed_only) {
    table << "| fields | bare FFTW ms | torus ms | torus / FFTW | FFTW GFLOP/s | torus GFLOP/s |\n"
          << "|---|---|---|---|---|---|\n";
    for (const auto& c : local_cases) {
      const std::string row = local_row(c, flags, planning);
      std::printf("%s\n", row.c_str());
      std::fflush(stdout);
      table << row << "\n";
    }
  }
  sleep_until_all_arrive(runtime.comm());
  const std::string rows = distributed_rows(distributed_case, flags, planning);
  const std::string bandwidth = bandwidth_rows(runtime.comm());
  if (runtime.rank() == 0) {
    table << "\n| fields | run | ms | speed-up over 1 rank | GFLOP/s |\n|---|---|---|---|---|\n"
          << rows << "\n\n| memory copy (context for the rows above) | bandwidth |\n|---|---|\n"
          << bandwidth << "\n";
    std::printf("%s\n", rows.c_str());
    if (!out.empty()) {
      const std::string temporary = out + ".tmp";
      std::ofstream(temporary) << table.str();
      std::rename(temporary.c_str(), out.c_str());
    }
  }
  return 0;
}
