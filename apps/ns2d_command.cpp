// `torus ns2d`: one 2-D Navier-Stokes run, and `torus ns2d generate`: a data set. Parses,
// calls torus::pde (ns2d_run.hpp, ns2d_dataset.hpp), reports.
//
// PETSc options (-ns2d_ts_arkimex_type 4, -ts_monitor ...) may be given anywhere on the line:
// the Runtime hands argv to PETSc, and the parser lets arguments it does not know pass
// (main.cpp: allow_extras); an unknown argument with two dashes is refused here as a typo.
// PETSc options can also come from the PETSC_OPTIONS environment variable.
#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

#include "commands.hpp"
#include "torus/core/error.hpp"
#include "torus/core/log.hpp"
#include "torus/fft/grid.hpp"
#include "torus/pde/ns2d_dataset.hpp"
#include "torus/pde/ns2d_run.hpp"

namespace torus::apps {

namespace {

struct Ns2dArguments {
  int n = 64;
  double nu = 1e-3;
  std::string forcing = "fno";
  int kolmogorov_wavenumber = 4;
  double amplitude = 1.0;
  double drag = 0.0;
  std::string init = "grf";
  std::uint64_t seed = 0;
  int batch = 0;
  double dt = 1e-3;
  double t_end = 1.0;
  double save_every = 0.25;
  std::string scheme = "fno-cn";
  std::string output = "ns2d.h5";
  std::string png;
};

struct GenerateArguments {
  std::string preset = "small";
  std::int64_t samples = 0;
  std::uint64_t seed = 0;
  int batch = 0;
  std::string resample = "stride";
  std::string output = "ns2d-dataset.h5";
};

std::string scheme_list() {
  std::string names;
  for (const auto& name : pde::ns2d_schemes()) names += (names.empty() ? "" : ", ") + name;
  return names;
}

std::string preset_list() {
  std::string names;
  for (const auto& name : pde::ns2d_preset_names()) names += (names.empty() ? "" : ", ") + name;
  return names;
}

int run_single(Runtime& runtime, const Ns2dArguments& a) {
  pde::Ns2dRunOptions options;
  options.solver.parameters.nu = a.nu;
  options.solver.parameters.forcing = {pde::parse_forcing(a.forcing), a.kolmogorov_wavenumber,
                                       a.amplitude, a.drag};
  options.solver.scheme = a.scheme;
  options.solver.dt = a.dt;
  options.initial = pde::parse_initial(a.init);
  options.seed = a.seed;
  options.batch = a.batch;
  options.t_end = a.t_end;
  options.save_every = a.save_every;
  options.output = a.output;
  options.pictures = a.png;
  TORUS_REQUIRE(std::isfinite(a.nu) && a.nu > 0, "the viscosity must be positive", "--nu",
                "pass --nu > 0 (1e-3 for the FNO data sets)");
  TORUS_REQUIRE(std::isfinite(a.dt) && a.dt > 0, "the time step must be positive", "--dt",
                "pass --dt > 0 (1e-3 suits 64 points at nu = 1e-3)");
  TORUS_REQUIRE(a.n % runtime.size() == 0,
                "a grid of " + std::to_string(a.n) + " points per side does not split over " +
                    std::to_string(runtime.size()) + " ranks",
                "--n", "choose --n divisible by the number of ranks, or run on fewer ranks");

  const fft::Grid<2> grid({a.n, a.n}, runtime.comm(), {.transposed_spectral = true});
  const auto report = pde::run_ns2d(grid, options);
  if (runtime.rank() == 0) {
    std::printf(
        "ns2d: %d sample(s) of %dx%d to t = %g in %ld steps, %.2f s; wrote %s "
        "(%zu snapshots)\n",
        report.batch, a.n, a.n, a.t_end, report.steps, report.seconds, a.output.c_str(),
        report.times.size());
    for (int b = 0; b < report.batch && b < 8; ++b) {
      std::printf("  sample %d: energy %.6e, enstrophy %.6e at t = %g\n", b, report.energy[b],
                  report.enstrophy[b], report.times.back());
    }
  }
  return 0;
}

int run_generate(Runtime& runtime, const GenerateArguments& a) {
  pde::Ns2dDatasetOptions options;
  options.preset = pde::ns2d_preset(a.preset);
  options.samples = a.samples > 0 ? a.samples : options.preset.samples;
  options.seed = a.seed;
  options.batch = a.batch;
  options.resample = pde::parse_resample(a.resample);
  options.output = a.output;
  const auto report = pde::generate_ns2d_dataset(runtime.comm(), options);
  if (runtime.rank() == 0) {
    if (report.already_complete) {
      std::printf("ns2d generate: %s is already complete\n", a.output.c_str());
    } else {
      std::printf(
          "ns2d generate: %lld samples (%lld simulated, %lld resumed) of preset %s in "
          "%.2f s on %d rank(s); wrote %s\n",
          static_cast<long long>(options.samples), static_cast<long long>(report.samples_simulated),
          static_cast<long long>(report.samples_resumed), a.preset.c_str(), report.seconds,
          runtime.size(), a.output.c_str());
    }
  }
  return 0;
}

}  // namespace

Command add_ns2d_command(CLI::App& app) {
  auto a = std::make_shared<Ns2dArguments>();
  auto g = std::make_shared<GenerateArguments>();
  auto* command = app.add_subcommand(
      "ns2d",
      "Simulate 2-D incompressible Navier-Stokes (vorticity form, periodic unit square) and "
      "write the vorticity snapshots and diagnostics to HDF5; `ns2d generate` makes a data "
      "set. PETSc options (-ns2d_ts_arkimex_type ...) pass through to PETSc.");
  command->require_subcommand(0, 1);
  command->add_option("--n", a->n, "points per side (must divide over the ranks)")
      ->check(CLI::Range(4, 1 << 14))
      ->capture_default_str();
  command->add_option("--nu", a->nu, "kinematic viscosity (> 0)")->capture_default_str();
  command->add_option("--forcing", a->forcing, "none, fno or kolmogorov")
      ->check(CLI::IsMember({"none", "fno", "kolmogorov"}))
      ->capture_default_str();
  command
      ->add_option("--kolmogorov-wavenumber", a->kolmogorov_wavenumber,
                   "Kolmogorov forcing: periods of sin(kappa y) per side")
      ->capture_default_str();
  command->add_option("--amplitude", a->amplitude, "Kolmogorov forcing amplitude")
      ->capture_default_str();
  command->add_option("--drag", a->drag, "linear drag mu >= 0")->capture_default_str();
  command
      ->add_option("--init", a->init,
                   "initial vorticity: grf, mcwilliams, taylor-green, or FILE.h5 with a float64 "
                   "dataset 'vorticity' shaped (x, y) or (batch, x, y)")
      ->capture_default_str();
  command->add_option("--seed", a->seed, "random seed (sample b uses stream (seed, b))")
      ->capture_default_str();
  command
      ->add_option("--batch", a->batch,
                   "samples run together (default: 1, or every sample of --init FILE)")
      ->check(CLI::Range(0, 1 << 16));
  command->add_option("--dt", a->dt, "time step (> 0)")->capture_default_str();
  command->add_option("--t-end", a->t_end, "end time (> 0)")->capture_default_str();
  command->add_option("--save-every", a->save_every, "time between stored snapshots")
      ->capture_default_str();
  command->add_option("--scheme", a->scheme, "fno-cn or one of: " + scheme_list())
      ->capture_default_str();
  command->add_option("--output", a->output, "HDF5 file written (atomically)")
      ->capture_default_str();
  command->add_option("--png", a->png,
                      "folder for vorticity pictures of the last snapshot of each sample");

  auto* generate = command->add_subcommand(
      "generate",
      "Generate a data set with a preset protocol: samples spread over the ranks, one HDF5 "
      "file; a killed run restarted with the same command resumes");
  generate->add_option("--preset", g->preset, "one of: " + preset_list())
      ->check(CLI::IsMember(pde::ns2d_preset_names()))
      ->capture_default_str();
  generate->add_option("--samples", g->samples, "number of samples (default: the preset's)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40));
  generate->add_option("--seed", g->seed, "random seed")->capture_default_str();
  generate->add_option("--batch", g->batch, "samples per solver and per part (default: preset's)")
      ->check(CLI::Range(1, 1 << 16));
  generate->add_option("--resample", g->resample, "stride (FNO) or spectral")
      ->check(CLI::IsMember({"stride", "spectral"}))
      ->capture_default_str();
  generate->add_option("--output", g->output, "HDF5 file written")->capture_default_str();

  return [a, g, command, generate](Runtime& runtime) {
    // PETSc's options start with one dash; anything with two that CLI11 did not know is a typo.
    const auto name = [&](CLI::App* level) {
      return level == generate ? std::string("ns2d generate") : std::string("ns2d");
    };
    for (auto* level : {command, generate}) {
      for (const auto& extra : level->remaining()) {
        TORUS_REQUIRE(extra.rfind("--", 0) != 0 || extra == "--",
                      "unknown option " + extra + " of torus " + name(level), extra,
                      "see torus " + name(level) + " --help (PETSc options take one dash)");
      }
    }
    if (generate->parsed()) return run_generate(runtime, *g);
    return run_single(runtime, *a);
  };
}

}  // namespace torus::apps
