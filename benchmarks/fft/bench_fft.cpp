// benchmarks/fft: torus's FFT round trip against bare FFTW on the same buffers, in one run.
//
// One-rank cases: forward + inverse of batches of fields through fft::Plan, against
// fftw_plan_many_dft_r2c / c2r made with the same flags and executed on the same memory.
// Distributed case (run under mpirun): the same fields on one rank (the other ranks wait)
// against the fields split over all ranks, plus bare FFTW-MPI with its interleaved "howmany"
// batch as a second rival. Medians of repeated runs; GFLOP/s counts 2.5 N log2 N per real
// transform of N points (the FFTW convention for real transforms).
#include <fftw3-mpi.h>
#include <unistd.h>

#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <functional>
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

// Median seconds of `run` over at least `min_reps` repetitions and about `budget` seconds,
// after one warm-up. All ranks repeat the same number of times.
double median_seconds(const std::function<void()>& run, MPI_Comm comm, double budget = 2.0,
                      int min_reps = 5) {
  run();
  std::vector<double> samples;
  Timer total;
  while (true) {
    MPI_Barrier(comm);
    Timer timer;
    run();
    MPI_Barrier(comm);
    samples.push_back(timer.seconds());
    int more = static_cast<int>(samples.size()) < min_reps || total.seconds() < budget;
    MPI_Bcast(&more, 1, MPI_INT, 0, comm);
    if (!more || samples.size() >= 200) break;
  }
  return torus::median(samples);
}

// Waits for every rank of `comm` without spinning, so that an idle rank does not compete for
// the cores and memory of a rank that is being timed alone.
void sleep_until_all_arrive(MPI_Comm comm) {
  MPI_Request request;
  MPI_Ibarrier(comm, &request);
  int done = 0;
  while (!done) {
    MPI_Test(&request, &done, MPI_STATUS_IGNORE);
    if (!done) usleep(1000);
  }
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

  const double bare = median_seconds(
      [&] {
        fftw_execute(forward);
        fftw_execute(backward);
      },
      MPI_COMM_SELF);
  const double ours = median_seconds(
      [&] {
        plan.forward(x, x_hat);
        plan.backward_overwriting(x_hat, x);
      },
      MPI_COMM_SELF);
  fftw_destroy_plan(forward);
  fftw_destroy_plan(backward);

  char row[256];
  std::snprintf(row, sizeof row, "| %s | %.3f | %.3f | %.3f | %.2f | %.2f |", label(c).c_str(),
                1e3 * bare, 1e3 * ours, ours / bare, gflops(c, bare), gflops(c, ours));
  return row;
}

// The same fields on rank 0 alone, split over every rank by torus, and by bare FFTW-MPI with
// one interleaved howmany transform.
std::string distributed_rows(const Case& c, unsigned flags, torus::fft::Planning planning) {
  auto& runtime = torus::Runtime::current();
  const int fields = c.batch * c.channels;
  char row[512];
  std::string rows;

  double one_rank = 0;
  if (runtime.rank() == 0) {
    torus::fft::Grid<2> grid({c.n, c.n});
    Plan2 plan(grid, c.batch, c.channels, {planning});
    auto x = plan.make_real("x");
    auto x_hat = plan.make_spectral("x_hat");
    torus::fill_normal(x, torus::RandomKey{1, 0});
    one_rank = median_seconds(
        [&] {
          plan.forward(x, x_hat);
          plan.backward_overwriting(x_hat, x);
        },
        MPI_COMM_SELF);
  }
  sleep_until_all_arrive(runtime.comm());
  MPI_Bcast(&one_rank, 1, MPI_DOUBLE, 0, runtime.comm());

  auto time_split = [&](bool transposed, torus::fft::Distribution distribution) {
    torus::fft::Grid<2> grid({c.n, c.n}, runtime.comm(), torus::fft::GridOptions{transposed});
    Plan2 plan(grid, c.batch, c.channels, {planning, distribution});
    auto x = plan.make_real("x");
    auto x_hat = plan.make_spectral("x_hat");
    torus::fill_normal(x, torus::rank_stream(1, runtime.rank()));
    return median_seconds(
        [&] {
          plan.forward(x, x_hat);
          plan.backward_overwriting(x_hat, x);
        },
        runtime.comm());
  };
  using torus::fft::Distribution;
  const double split = time_split(false, Distribution::split_fields);
  const bool many = runtime.size() > 1;
  const double split_transposed = many ? time_split(true, Distribution::split_fields) : 0.0;
  const double whole = many ? time_split(false, Distribution::whole_fields) : 0.0;

  double bare_mpi = 0;
  if (runtime.size() > 1) {
    // FFTW-MPI's own batch: fields interleaved point by point in padded rows.
    const ptrdiff_t n[2] = {c.n, c.n};
    const ptrdiff_t complex_n[2] = {c.n, c.n / 2 + 1};
    ptrdiff_t local_n0, local_0_start;
    const ptrdiff_t alloc = fftw_mpi_local_size_many(2, complex_n, fields, FFTW_MPI_DEFAULT_BLOCK,
                                                     runtime.comm(), &local_n0, &local_0_start);
    double* real = fftw_alloc_real(2 * alloc);
    fftw_complex* complex = fftw_alloc_complex(alloc);
    fftw_plan forward =
        fftw_mpi_plan_many_dft_r2c(2, n, fields, FFTW_MPI_DEFAULT_BLOCK, FFTW_MPI_DEFAULT_BLOCK,
                                   real, complex, runtime.comm(), flags);
    fftw_plan backward =
        fftw_mpi_plan_many_dft_c2r(2, n, fields, FFTW_MPI_DEFAULT_BLOCK, FFTW_MPI_DEFAULT_BLOCK,
                                   complex, real, runtime.comm(), flags);
    for (ptrdiff_t i = 0; i < 2 * alloc; ++i) real[i] = std::sin(0.001 * i);
    bare_mpi = median_seconds(
        [&] {
          fftw_execute(forward);
          fftw_execute(backward);
        },
        runtime.comm());
    fftw_destroy_plan(forward);
    fftw_destroy_plan(backward);
    fftw_free(real);
    fftw_free(complex);
  }

  std::snprintf(row, sizeof row,
                "| %s | torus, 1 rank | %.2f | 1.00 | %.2f |\n| %s | torus, %d ranks | %.2f | "
                "%.2f | %.2f |",
                label(c).c_str(), 1e3 * one_rank, gflops(c, one_rank), label(c).c_str(),
                runtime.size(), 1e3 * split, one_rank / split, gflops(c, split));
  rows += row;
  if (split_transposed > 0) {
    std::snprintf(row, sizeof row,
                  "\n| %s | torus, %d ranks, transposed spectral | %.2f | %.2f | %.2f |",
                  label(c).c_str(), runtime.size(), 1e3 * split_transposed,
                  one_rank / split_transposed, gflops(c, split_transposed));
    rows += row;
  }
  if (whole > 0) {
    std::snprintf(
        row, sizeof row, "\n| %s | torus, %d ranks, whole fields per rank | %.2f | %.2f | %.2f |",
        label(c).c_str(), runtime.size(), 1e3 * whole, one_rank / whole, gflops(c, whole));
    rows += row;
  }
  if (bare_mpi > 0) {
    std::snprintf(
        row, sizeof row, "\n| %s | bare FFTW-MPI howmany, %d ranks | %.2f | %.2f | %.2f |",
        label(c).c_str(), runtime.size(), 1e3 * bare_mpi, one_rank / bare_mpi, gflops(c, bare_mpi));
    rows += row;
  }
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
        << " rank(s); medians; double precision; norm=backward, so torus also applies the 1/N "
           "that bare FFTW leaves out)\n\n";
  if (runtime.rank() == 0) {
    table << "| fields | bare FFTW ms | torus ms | torus / FFTW | FFTW GFLOP/s | torus GFLOP/s |\n"
          << "|---|---|---|---|---|---|\n";
    for (const auto& c : local_cases) {
      if (distributed_only) break;
      const std::string row = local_row(c, flags, planning);
      std::printf("%s\n", row.c_str());
      std::fflush(stdout);
      table << row << "\n";
    }
  }
  sleep_until_all_arrive(runtime.comm());
  const std::string rows = distributed_rows(distributed_case, flags, planning);
  if (runtime.rank() == 0) {
    table << "\n| fields | run | ms | speed-up over 1 rank | GFLOP/s |\n|---|---|---|---|---|\n"
          << rows << "\n";
    std::printf("%s\n", rows.c_str());
    if (!out.empty()) {
      const std::string temporary = out + ".tmp";
      std::ofstream(temporary) << table.str();
      std::rename(temporary.c_str(), out.c_str());
    }
  }
  return 0;
}
