// Steps per second of the 2-D solver, and the time of the transforms one step needs, measured
// alone on the solver's own plans.
//
// A step of fno-cn evaluates the nonlinear term once: 4 inverse transforms ((u, omega_x) and
// (v, omega_y), two 2-channel calls) and 1 forward transform (u omega_x + v omega_y) per sample, so
// the transforms bound the step from below. TS schemes (--scheme arkimex:3) use the standard
// convention, 2 + 2 transforms per evaluation and several evaluations per step. "FFTs alone" times
// exactly the solver's transform calls, on the same plans, with the inverse's input refreshed
// before every call outside the timed region (a c2r overwrites its input). Prints one JSON line per
// configuration (rank 0).
//
//   bench_ns2d [--n 256] [--batch 1] [--steps 200] [--repeats 5] [--scheme fno-cn]
#include <CLI/CLI.hpp>
#include <Kokkos_Core.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "torus/core/runtime.hpp"
#include "torus/core/timer.hpp"
#include "torus/pde/initial_fields.hpp"
#include "torus/pde/ns2d_solver.hpp"

namespace {

struct Measurement {
  double step_seconds;  // median seconds per step of the solver
  double fft_seconds;   // median seconds of the transforms of one step, alone
  double ratio;         // median over repeats of step / (evaluations per step x transforms)
  double best_ratio;    // the same from the fastest repeat of each: a shared machine's noise
                        // only ever adds time
  int transforms;       // transforms per sample and evaluation
  double evaluations;   // evaluations of the nonlinear term per step
};

Measurement measure(int n, int batch, int steps, int repeats, const std::string& scheme) {
  using namespace torus;
  const fft::Grid<2> grid({n, n}, Runtime::current().comm(), {true});
  pde::Ns2dOptions options;  // FNO protocol: nu = 1e-3, FNO forcing, dt = 1e-4
  options.scheme = scheme;
  options.petsc_prefix = "";
  pde::Ns2dSolver solver(grid, batch, options);
  auto omega = solver.plan().make_real("omega");
  pde::gaussian_random_field(grid, solver.plan(), omega, 1, 0);
  solver.set_vorticity(omega);

  // Warm-up: first touches, FFTW's first calls; and the evaluations per step.
  solver.advance_to(solver.time() + 10 * options.dt);
  const double evaluations = double(solver.evaluations()) / solver.steps();

  // The same transforms alone: per pass of samples_per_pass() samples, the inverse
  // inverse_calls_per_pass() times (2 channels: 4 fields per sample in fno-cn) then the forward
  // (1 channel).
  const int passes = batch / solver.system().samples_per_pass();
  const int inverse_calls = solver.system().inverse_calls_per_pass();
  auto& inverse = solver.system().inverse_plan();
  auto& forward = solver.system().forward_plan();
  auto pristine = inverse.make_spectral("pristine");
  auto spectral = inverse.make_spectral("spectral");
  auto fields = inverse.make_real("fields");
  auto product = forward.make_real("product");
  auto product_hat = forward.make_spectral("product_hat");
  // Realistic values: the first samples' vorticity in every channel.
  const auto first = Kokkos::subview(omega, std::make_pair(0, solver.system().samples_per_pass()),
                                     Kokkos::ALL, Kokkos::ALL, Kokkos::ALL);
  for (int c = 0; c < inverse.channels(); ++c) {
    Kokkos::deep_copy(
        Kokkos::subview(fields, Kokkos::ALL, std::make_pair(c, c + 1), Kokkos::ALL, Kokkos::ALL),
        first);
  }
  inverse.forward(fields, pristine);
  for (int c = 0; c < forward.channels(); ++c) {
    Kokkos::deep_copy(
        Kokkos::subview(product, Kokkos::ALL, std::make_pair(c, c + 1), Kokkos::ALL, Kokkos::ALL),
        first);
  }
  // Solver and transforms alone alternate, repeat by repeat, so that a slow spell of this
  // shared machine hits both; the ratio is the median of the per-repeat ratios.
  std::vector<double> step_samples, fft_samples, ratios;
  for (int r = 0; r < repeats; ++r) {
    MPI_Barrier(grid.comm());
    Timer step_timer;
    solver.advance_to(solver.time() + steps * options.dt);
    Kokkos::fence();
    step_samples.push_back(step_timer.seconds() / steps);

    double seconds = 0;
    for (int s = 0; s < steps; ++s) {
      MPI_Barrier(grid.comm());
      for (int pass = 0; pass < passes; ++pass) {  // as the solver: in cache-sized passes
        for (int call = 0; call < inverse_calls; ++call) {
          Kokkos::deep_copy(spectral, pristine);  // not timed: c2r overwrites its input
          Timer timer;
          inverse.backward_overwriting(spectral, fields, torus::fft::Norm::forward);
          Kokkos::fence();
          seconds += timer.seconds();
        }
        Timer timer;
        forward.forward(product, product_hat);
        Kokkos::fence();
        seconds += timer.seconds();
      }
    }
    fft_samples.push_back(seconds / steps);
    ratios.push_back(step_samples.back() / (evaluations * fft_samples.back()));
  }
  const double best_step = *std::min_element(step_samples.begin(), step_samples.end());
  const double best_fft = *std::min_element(fft_samples.begin(), fft_samples.end());
  return {median(step_samples),
          median(fft_samples),
          median(ratios),
          best_step / (evaluations * best_fft),
          solver.system().transforms_per_sample(),
          evaluations};
}

}  // namespace

int main(int argc, char** argv) {
  torus::Runtime runtime(argc, argv);
  CLI::App app{"2-D Navier-Stokes: steps per second and the transforms' share"};
  int n = 256, steps = 100, repeats = 9;
  std::vector<int> batches{1};
  std::string scheme = "fno-cn";
  app.add_option("--n", n, "grid points per side");
  app.add_option("--batch", batches, "samples per solver (several values: one line each)");
  app.add_option("--steps", steps, "steps per timed repeat");
  app.add_option("--repeats", repeats, "timed repeats (the median is reported)");
  app.add_option("--scheme", scheme, "fno-cn or a TS scheme (arkimex:3, rk:4, ...)");
  app.allow_extras();
  CLI11_PARSE(app, argc, argv);
  try {
    for (int batch : batches) {
      const Measurement m = measure(n, batch, steps, repeats, scheme);
      if (runtime.rank() == 0) {
        std::printf(
            "{\"impl\": \"torus\", \"scheme\": \"%s\", \"n\": %d, \"batch\": %d, \"ranks\": %d, "
            "\"steps_per_second\": %.4g, \"step_seconds\": %.6g, \"fft_seconds\": %.6g, "
            "\"step_over_fft\": %.4g, \"best_step_over_fft\": %.4g, "
            "\"transforms_per_evaluation\": %d, "
            "\"evaluations_per_step\": %.3g}\n",
            scheme.c_str(), n, batch, runtime.size(), 1.0 / m.step_seconds, m.step_seconds,
            m.fft_seconds, m.ratio, m.best_ratio, m.transforms, m.evaluations);
        std::fflush(stdout);
      }
    }
  } catch (const std::exception& error) {
    std::fprintf(stderr, "bench_ns2d: %s\n", error.what());
    return 1;
  }
  return 0;
}
