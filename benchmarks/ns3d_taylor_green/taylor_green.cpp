// benchmarks/ns3d_taylor_green: the 3-D Taylor–Green vortex at Re = 1600 (van Rees et al. 2011,
// J. Comput. Phys. 230, 2794; Brachet et al. 1983, J. Fluid Mech. 130, 411).
//
// u(0) = V0 (sin x cos y cos z, -cos x sin y cos z, 0) on [0, 2 pi)^3, V0 = 1, nu = 1 / Re, solved
// by pde::Ns3dSystem (pseudo-spectral, 2/3-dealiased) and pde::TimeIntegrator. Every
// `--sample-every` steps the energy E = 1/2 <|u|^2> and the dissipation eps = nu <|omega|^2> are
// recorded; <out>/taylor_green.csv holds (t, E, eps, -dE/dt), -dE/dt by centred differences of
// the recorded E. For the semi-discrete system dE/dt = -eps exactly, so the two columns differ
// by the time-stepping error only (and agree with the reference DNS while the grid resolves the
// flow: 128^3 is under-resolved near the dissipation peak).
//
// The spectral state is written to <out>/checkpoint.h5 every `--checkpoint-every` steps
// (atomically, through torus::io), with the recorded history; a run finds it and resumes from
// it unless `--fresh` is given. The CSV is rewritten atomically (temporary file + rename) at
// every checkpoint and at the end. The run reports seconds per step and the part of it spent in
// the FFTs.
//
// The defaults, rk:4 at dt = 0.02, were chosen by measurement at 64^3 over t in [0, 2]: E(2)
// matches an rk:4 run at dt = 0.005 to 3e-12, while arkimex:3 (also four N(u) per step) is off
// by 2e-9 and costs 1.5x per step (its implicit stages go through SNES and KSP). The viscous
// term is not stiff here (nu k_max^2 dt = 0.02 at 128^3), and max|u_i| dt / dx stays below 0.54
// at 128^3 (max|u_i| peaks at 1.33).
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "torus/core/error.hpp"
#include "torus/core/log.hpp"
#include "torus/core/runtime.hpp"
#include "torus/core/timer.hpp"
#include "torus/fft/grid.hpp"
#include "torus/fft/plan.hpp"
#include "torus/io/attributes.hpp"
#include "torus/io/hdf5_file.hpp"
#include "torus/io/views.hpp"
#include "torus/pde/initial_velocity.hpp"
#include "torus/pde/ns3d.hpp"
#include "torus/pde/time_integrator.hpp"
#include "torus/pde/velocity_diagnostics.hpp"

namespace {

constexpr double two_pi = 6.283185307179586476925286766559;
using torus::Timer;
using torus::pde::Ns3dSystem;

struct Settings {
  int n = 128;
  double t_end = 20.0;
  double re = 1600.0;
  std::string scheme = "rk:4";
  double dt = 0.02;
  std::string out = "ns3d_taylor_green";
  long checkpoint_every = 50;
  long sample_every = 1;
  long report_every = 10;
  bool fresh = false;
  bool estimate = false;
};

// The recorded (t, E, eps), the same on every rank (the diagnostics are reduced).
struct History {
  std::vector<double> t, energy, dissipation;
};

// -dE/dt at every recorded time: centred differences inside, one-sided at the ends.
std::vector<double> energy_decay(const History& h) {
  const std::size_t m = h.t.size();
  std::vector<double> rate(m, std::nan(""));
  for (std::size_t i = 0; i < m && m >= 2; ++i) {
    const std::size_t lo = i == 0 ? 0 : i - 1, hi = i + 1 == m ? i : i + 1;
    rate[i] = -(h.energy[hi] - h.energy[lo]) / (h.t[hi] - h.t[lo]);
  }
  return rate;
}

// Rank 0 writes the CSV to a temporary file next to `path` and renames it into place.
void write_csv(const std::string& path, const History& h, int rank) {
  if (rank != 0) return;
  const std::vector<double> rate = energy_decay(h);
  const std::string temporary = path + ".tmp-" + std::to_string(getpid());
  {
    std::ofstream csv(temporary);
    csv << "t,E,eps,minus_dE_dt\n";
    csv.precision(12);
    for (std::size_t i = 0; i < h.t.size(); ++i) {
      csv << h.t[i] << ',' << h.energy[i] << ',' << h.dissipation[i] << ',' << rate[i] << '\n';
    }
    TORUS_REQUIRE(csv.good(), "could not write " + temporary, "taylor_green --out",
                  "check that the output directory is writable and not full");
  }
  TORUS_REQUIRE(std::rename(temporary.c_str(), path.c_str()) == 0,
                "could not rename " + temporary + " to " + path, "taylor_green --out",
                "check that the output directory is writable");
}

std::string layout_of(const torus::fft::Grid<3>& grid) {
  return grid.transposed() ? "ky,kx,kz" : "kx,ky,kz";
}

torus::io::Slab spectral_slab(const torus::fft::Grid<3>& grid) {
  return {2, grid.local_spectral_start(), grid.local_spectral_extents()[0]};
}

// The values of a std::vector as a View, without a copy.
using VectorView = Kokkos::View<const double*, Kokkos::HostSpace, Kokkos::MemoryUnmanaged>;
VectorView host_view(const std::vector<double>& values) {
  return VectorView(values.data(), values.size());
}

std::vector<double> to_vector(const Kokkos::View<double*, Kokkos::HostSpace>& view) {
  return std::vector<double>(view.data(), view.data() + view.extent(0));
}

// The state, its time and step count, the settings it was made with and the history, in one
// HDF5 file written atomically. Collective.
void write_checkpoint(const std::string& path, const torus::fft::Grid<3>& grid,
                      const Ns3dSystem::const_spectral_view& u_hat, double t, long step,
                      const Settings& s, const History& h) {
  auto file = torus::io::File::create(path, grid.comm());
  torus::io::write_slab(file, "u_hat", u_hat, spectral_slab(grid));
  torus::io::write(file, "history/t", host_view(h.t));
  torus::io::write(file, "history/E", host_view(h.energy));
  torus::io::write(file, "history/eps", host_view(h.dissipation));
  torus::io::write_attribute(file, "/", "t", t);
  torus::io::write_attribute(file, "/", "step", static_cast<std::int64_t>(step));
  torus::io::write_attribute(file, "/", "n", static_cast<std::int64_t>(s.n));
  torus::io::write_attribute(file, "/", "re", s.re);
  torus::io::write_attribute(file, "/", "spectral_layout", layout_of(grid));
  file.commit();
}

// Reads a checkpoint made by write_checkpoint into u_hat, t, step and h. Throws torus::Error
// when it was made for another grid, Reynolds number or spectral layout.
void read_checkpoint(const std::string& path, const torus::fft::Grid<3>& grid,
                     const Ns3dSystem::spectral_view& u_hat, double& t, long& step,
                     const Settings& s, History& h) {
  const auto file = torus::io::File::open(path, grid.comm());
  const auto n = torus::io::read_attribute<std::int64_t>(file, "/", "n");
  const auto re = torus::io::read_attribute<double>(file, "/", "re");
  const auto layout = torus::io::read_attribute<std::string>(file, "/", "spectral_layout");
  TORUS_REQUIRE(n == s.n && re == s.re && layout == layout_of(grid),
                "the checkpoint holds n = " + std::to_string(n) + ", Re = " + std::to_string(re) +
                    ", spectral layout " + layout + "; this run has n = " + std::to_string(s.n) +
                    ", Re = " + std::to_string(s.re) + ", layout " + layout_of(grid),
                path,
                "resume with the same --n, --re and rank count (one rank stores kx,ky,kz, "
                "several ranks ky,kx,kz), or start afresh with --fresh");
  const auto stored = torus::io::read_slab<torus::fft::SpectralField<double, 3>>(
      file, "u_hat", spectral_slab(grid));
  Kokkos::deep_copy(u_hat, stored);
  t = torus::io::read_attribute<double>(file, "/", "t");
  step = static_cast<long>(torus::io::read_attribute<std::int64_t>(file, "/", "step"));
  using HostVector = Kokkos::View<double*, Kokkos::HostSpace>;
  h.t = to_vector(torus::io::read<HostVector>(file, "history/t"));
  h.energy = to_vector(torus::io::read<HostVector>(file, "history/E"));
  h.dissipation = to_vector(torus::io::read<HostVector>(file, "history/eps"));
}

// max over the grid of |u_a|, a = x, y, z (for the CFL number), from the spectral velocity.
double max_speed(Ns3dSystem& system, const Ns3dSystem::const_spectral_view& u_hat,
                 const torus::fft::RealField<double, 3>& u) {
  system.to_physical(u_hat, u);
  double local = 0.0, total = 0.0;
  // max_x |u_a(x)|
  Kokkos::parallel_reduce(
      "taylor_green::max_speed", Kokkos::RangePolicy<>(0, u.span()),
      KOKKOS_LAMBDA(const std::size_t i, double& partial) {
        const double value = u.data()[i] < 0 ? -u.data()[i] : u.data()[i];
        if (value > partial) partial = value;
      },
      Kokkos::Max<double>(local));
  MPI_Allreduce(&local, &total, 1, MPI_DOUBLE, MPI_MAX, system.grid().comm());
  return total;
}

int run(torus::Runtime& runtime, const Settings& s) {
  const double nu = 1.0 / s.re;  // Re = V0 L / nu with V0 = 1 and L = 1 / kappa = 1
  const torus::fft::Grid<3> grid({s.n, s.n, s.n}, runtime.comm(), {/*transposed_spectral=*/true},
                                 {two_pi, two_pi, two_pi});
  const auto planning = s.estimate ? torus::fft::Planning::estimate : torus::fft::Planning::measure;
  Timer planning_timer;
  Ns3dSystem system(grid, {nu, 1, {planning}});
  torus::log::info("taylor_green: {}, Re = {}, scheme {}, dt = {}, planned in {:.1f} s",
                   grid.describe(), s.re, s.scheme, s.dt, planning_timer.seconds());

  auto u_hat = system.make_state();
  torus::fft::Plan<double, 3> plan(grid, 1, 3, {torus::fft::Planning::estimate});
  auto u = plan.make_real("u");
  double t = 0.0;
  long step = 0;
  History history;
  const std::string checkpoint = s.out + "/checkpoint.h5";
  const std::string csv = s.out + "/taylor_green.csv";
  if (!s.fresh && access(checkpoint.c_str(), R_OK) == 0) {
    read_checkpoint(checkpoint, grid, u_hat, t, step, s, history);
    torus::log::info("taylor_green: resumed from {} at t = {} (step {})", checkpoint, t, step);
  } else {
    torus::pde::taylor_green_velocity(grid, u, 1.0);
    system.to_spectral(u, u_hat);
  }

  auto record = [&](double time, const Ns3dSystem::const_spectral_view& state) {
    history.t.push_back(time);
    history.energy.push_back(torus::pde::kinetic_energy(grid, state)[0]);
    history.dissipation.push_back(torus::pde::dissipation(grid, state, nu)[0]);
  };
  if (history.t.empty()) record(t, u_hat);

  torus::pde::TimeIntegrator<3> integrator(system, {s.scheme, s.dt, "ns3d_"});
  const long first_step = step;
  const double first_transforms = system.transform_seconds();
  const double first_nonlinear = system.nonlinear_seconds();
  double monitor_seconds = 0.0;
  Timer wall;
  integrator.advance(u_hat, t, s.t_end, [&](long, double time, const auto& state) {
    Timer monitor;
    ++step;
    if (step % s.sample_every == 0) record(time, state);
    if (step % s.report_every == 0) {
      const double taken = wall.seconds() - monitor_seconds;
      torus::log::info(
          "step {:6d}  t = {:8.4f}  E = {:.6e}  eps = {:.6e}  max|u| = {:.3f}  "
          "{:.3f} s/step",
          step, time, history.energy.back(), history.dissipation.back(),
          max_speed(system, state, u), taken / (step - first_step));
    }
    if (step % s.checkpoint_every == 0) {
      write_checkpoint(checkpoint, grid, state, time, step, s, history);
      write_csv(csv, history, grid.rank());
    }
    monitor_seconds += monitor.seconds();
  });
  const double seconds = wall.seconds();

  if (t - history.t.back() > 1e-9 * s.dt) record(t, u_hat);  // the last step was not sampled
  write_checkpoint(checkpoint, grid, u_hat, t, step, s, history);
  write_csv(csv, history, grid.rank());

  const long steps = std::max(1L, step - first_step);
  const double per_step = (seconds - monitor_seconds) / steps;
  const double fft_per_step = (system.transform_seconds() - first_transforms) / steps;
  const double nonlinear_per_step = (system.nonlinear_seconds() - first_nonlinear) / steps;
  const auto rate = energy_decay(history);
  const auto peak = std::max_element(history.dissipation.begin(), history.dissipation.end());
  const auto peak_rate = std::max_element(rate.begin(), rate.end());
  const std::size_t at = peak - history.dissipation.begin();
  const std::size_t at_rate = peak_rate - rate.begin();
  char summary[1024];
  std::snprintf(summary, sizeof summary,
                "n = %d, ranks = %d, scheme = %s, dt = %g, steps = %ld (this run), %.4f s/step "
                "(diagnostics excluded), of which N(u) %.4f s and its FFTs %.4f s (%.0f%%), "
                "N(u) evaluations %ld; "
                "peak eps = %.6f at t = %.3f, peak -dE/dt = %.6f at t = %.3f",
                s.n, grid.ranks(), integrator.scheme().c_str(), integrator.dt(), steps, per_step,
                nonlinear_per_step, fft_per_step, 100.0 * fft_per_step / per_step,
                system.evaluations(), *peak, history.t[at], *peak_rate, history.t[at_rate]);
  torus::log::info("taylor_green: {}", summary);
  if (grid.rank() == 0) std::ofstream(s.out + "/summary.txt") << summary << '\n';
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  torus::Runtime runtime(argc, argv);
  CLI::App app{"The 3-D Taylor-Green vortex at Re = 1600 (energy and dissipation over time)"};
  app.allow_extras();  // PETSc options (-ns3d_ts_type ...) pass through
  Settings s;
  app.add_option("--n", s.n, "grid points per side")->check(CLI::PositiveNumber);
  app.add_option("--t-end", s.t_end, "final time")->check(CLI::PositiveNumber);
  app.add_option("--re", s.re, "Reynolds number 1/nu (V0 = 1, L = 1)")->check(CLI::PositiveNumber);
  app.add_option("--scheme", s.scheme, "time integrator, <family>:<type> (rk:4, arkimex:3, ...)");
  app.add_option("--dt", s.dt, "time step")->check(CLI::PositiveNumber);
  app.add_option("--out", s.out, "output directory (CSV, checkpoint, summary)");
  app.add_option("--checkpoint-every", s.checkpoint_every, "steps between checkpoints")
      ->check(CLI::PositiveNumber);
  app.add_option("--sample-every", s.sample_every, "steps between recorded E and eps")
      ->check(CLI::PositiveNumber);
  app.add_option("--report-every", s.report_every, "steps between progress lines")
      ->check(CLI::PositiveNumber);
  app.add_flag("--fresh", s.fresh, "ignore an existing checkpoint and start at t = 0");
  app.add_flag("--estimate", s.estimate, "plan the FFTs with FFTW_ESTIMATE (quicker start)");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return runtime.rank() == 0 ? app.exit(e) : e.get_exit_code();
  }
  try {
    if (runtime.rank() == 0) std::filesystem::create_directories(s.out);
    MPI_Barrier(runtime.comm());
    return run(runtime, s);
  } catch (const torus::Error& e) {
    torus::log::error("{}", e.what());
    return 1;
  }
}
