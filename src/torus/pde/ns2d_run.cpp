#include "torus/pde/ns2d_run.hpp"

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "torus/core/log.hpp"
#include "torus/core/timer.hpp"
#include "torus/fft/gather.hpp"
#include "torus/io/attributes.hpp"
#include "torus/io/hdf5_file.hpp"
#include "torus/io/png.hpp"
#include "torus/io/views.hpp"
#include "torus/pde/diagnostics.hpp"
#include "torus/version.hpp"

namespace torus::pde {

namespace {

using Real3 = Kokkos::View<double***, Kokkos::LayoutRight>;
// A host array (std::vector) seen as a View, for writing: no copy, no loop over View data.
using HostTable = Kokkos::View<const double**, Kokkos::LayoutRight, Kokkos::HostSpace,
                               Kokkos::MemoryTraits<Kokkos::Unmanaged>>;
using HostList =
    Kokkos::View<const double*, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>>;

std::string number(double x) {
  std::ostringstream text;
  text.precision(12);
  text << x;
  return text.str();
}

std::string initial_name(const Ns2dInitial& initial) {
  switch (initial.kind) {
    case Ns2dInitialKind::grf:
      return "grf";
    case Ns2dInitialKind::mcwilliams:
      return "mcwilliams";
    case Ns2dInitialKind::taylor_green:
      return "taylor-green";
    case Ns2dInitialKind::file:
      return initial.file;
  }
  return {};
}

void fill_initial(const fft::Grid<2>& grid, Ns2dSolver& solver, const Ns2dRunOptions& options,
                  const fft::RealField<double, 2>& omega) {
  const Ns2dInitial& initial = options.initial;
  switch (initial.kind) {
    case Ns2dInitialKind::grf:
      gaussian_random_field(grid, solver.plan(), omega, options.seed, 0, initial.grf);
      break;
    case Ns2dInitialKind::mcwilliams:
      mcwilliams_vorticity(grid, solver.plan(), omega, options.seed, 0, initial.mcwilliams);
      break;
    case Ns2dInitialKind::taylor_green:
      taylor_green_vorticity(grid, omega, initial.taylor_green_amplitude,
                             initial.taylor_green_periods);
      break;
    case Ns2dInitialKind::file:
      read_initial_vorticity(grid, initial.file, omega);
      break;
  }
}

// One PNG per sample of omega ((batch, 1, local x, y), split over the grid's ranks) in
// `folder`, drawn by rank 0.
void write_pictures(const fft::Grid<2>& grid, const fft::RealField<double, 2>& omega, double t,
                    const std::string& folder) {
  const auto whole = fft::gather_to_root(omega, grid.comm());
  if (grid.rank() != 0) return;
  std::error_code error;
  std::filesystem::create_directories(folder, error);
  TORUS_REQUIRE(!error, "cannot make the folder for the pictures: " + error.message(), folder,
                "pass a folder you can write to");
  const int nx = grid.extents()[0], ny = grid.extents()[1];
  for (std::size_t b = 0; b < whole.extent(0); ++b) {
    char name[64];
    std::snprintf(name, sizeof name, "vorticity-%zu-t%g.png", b, t);
    io::write_field_png((std::filesystem::path(folder) / name).string(), &whole(b, 0, 0, 0), nx,
                        ny);
  }
  log::info("ns2d: wrote {} picture(s) of the vorticity at t = {} to {}", whole.extent(0), t,
            folder);
}

// The (batch, local x, y) fields of omega ((batch, 1, local x, y)).
auto fields_of(const fft::RealField<double, 2>& omega) {
  return Kokkos::subview(omega, Kokkos::ALL, 0, Kokkos::ALL, Kokkos::ALL);
}

void save_last_good(const fft::Grid<2>& grid, Ns2dSolver& solver, const Ns2dRunOptions& options,
                    const std::string& path) {
  auto omega = solver.plan().make_real("torus::pde::run_ns2d last good");
  solver.vorticity(omega);
  auto file = io::File::create(path, grid.comm());
  io::write_slab(file, "vorticity", fields_of(omega),
                 io::Slab{1, grid.local_start(), grid.local_extents()[0]});
  const double t = solver.time();
  io::write(file, "t", HostList(&t, 1));
  io::write_attribute(file, "/", "t", solver.time());
  io::write_attribute(file, "/", "nu", options.solver.parameters.nu);
  io::write_attribute(file, "/", "scheme", solver.scheme());
  io::write_attribute(file, "/", "dt", options.solver.dt);
  io::write_attribute(file, "/", "torus_version", TORUS_VERSION_STRING);
  io::write_attribute(file, "/", "layout",
                      "vorticity[sample, x, y] float64 at time t: the last good state of a run "
                      "that blew up; torus ns2d --init reads it");
  file.commit();
}

}  // namespace

Ns2dInitial parse_initial(const std::string& text) {
  Ns2dInitial initial;
  if (text == "grf") {
    initial.kind = Ns2dInitialKind::grf;
  } else if (text == "mcwilliams") {
    initial.kind = Ns2dInitialKind::mcwilliams;
  } else if (text == "taylor-green") {
    initial.kind = Ns2dInitialKind::taylor_green;
  } else {
    TORUS_REQUIRE(!text.empty(), "the initial field is empty", "--init",
                  "use grf, mcwilliams, taylor-green or the path of an HDF5 file");
    initial.kind = Ns2dInitialKind::file;
    initial.file = text;
  }
  return initial;
}

std::vector<double> ns2d_snapshot_times(double t_end, double save_every) {
  TORUS_REQUIRE(std::isfinite(t_end) && t_end > 0.0,
                "the end time " + number(t_end) + " is not positive", "--t-end",
                "run to a time > 0");
  TORUS_REQUIRE(std::isfinite(save_every) && save_every > 0.0,
                "the time between snapshots " + number(save_every) + " is not positive",
                "--save-every", "store snapshots every positive time interval");
  std::vector<double> times{0.0};
  for (long k = 1;; ++k) {
    const double t = k * save_every;
    if (t >= t_end - 1e-9 * save_every) break;
    times.push_back(t);
  }
  times.push_back(t_end);
  return times;
}

std::string ns2d_last_good_path(const std::string& output) { return output + ".last-good.h5"; }

int initial_file_batch(const std::string& path) {
  TORUS_REQUIRE(std::filesystem::is_regular_file(path), "the initial field file does not exist",
                path,
                "pass an HDF5 file with a float64 dataset 'vorticity' shaped (x, y) or "
                "(batch, x, y), or use --init grf|mcwilliams|taylor-green");
  auto file = io::File::open(path);
  TORUS_REQUIRE(file.has_dataset("vorticity"), "the file has no dataset 'vorticity'", path,
                "store the initial vorticity as dataset 'vorticity' shaped (x, y) or "
                "(batch, x, y)");
  const auto n = io::dataset_extents(file, "vorticity");
  TORUS_REQUIRE(n.size() == 2 || n.size() == 3,
                "dataset 'vorticity' has " + std::to_string(n.size()) +
                    " dimensions, not 2 (x, y) or 3 (batch, x, y)",
                path, "store one field as (x, y) or a batch as (batch, x, y)");
  return n.size() == 2 ? 1 : static_cast<int>(n[0]);
}

void read_initial_vorticity(const fft::Grid<2>& grid, const std::string& path,
                            const fft::RealField<double, 2>& omega) {
  const int batch = initial_file_batch(path);
  auto file = io::File::open(path, grid.comm());
  const auto n = io::dataset_extents(file, "vorticity");
  const bool single = n.size() == 2;
  const std::int64_t nx = n[single ? 0 : 1], ny = n[single ? 1 : 2];
  TORUS_REQUIRE(nx == grid.extents()[0] && ny == grid.extents()[1],
                "dataset 'vorticity' holds fields of " + std::to_string(nx) + "x" +
                    std::to_string(ny) + " points but the grid is " +
                    fft::format_extents<2>(grid.extents()),
                path,
                "run with --n " + std::to_string(nx) +
                    " (a square grid), or resample the "
                    "field to the grid");
  TORUS_REQUIRE(single || batch == static_cast<int>(omega.extent(0)),
                "the file holds " + std::to_string(batch) + " samples but the run has " +
                    std::to_string(omega.extent(0)),
                path,
                "leave --batch unset to run every sample of the file, or pass --batch " +
                    std::to_string(batch));
  const io::Slab slab{single ? 0 : 1, grid.local_start(), grid.local_extents()[0]};
  Real3 values;
  try {
    if (single) {
      auto one =
          io::read_slab<Kokkos::View<double**, Kokkos::LayoutRight>>(file, "vorticity", slab);
      values = Real3("vorticity", 1, one.extent(0), one.extent(1));
      Kokkos::deep_copy(Kokkos::subview(values, 0, Kokkos::ALL, Kokkos::ALL), one);
    } else {
      values = io::read_slab<Real3>(file, "vorticity", slab);
    }
  } catch (const Error& e) {
    TORUS_THROW("dataset 'vorticity' cannot be read as float64: " + e.problem(), path,
                "store the vorticity as float64 (numpy.float64)");
  }
  // omega(b, 0, i, j) = values(b or 0, i, j)
  fft::detail::for_each_entry(
      "torus::pde::read_initial_vorticity", omega,
      KOKKOS_LAMBDA(const int b, const int c, const int i0, const int i1, const int) {
        omega(b, c, i0, i1) = values(single ? 0 : b, i0, i1);
      });
}

Ns2dRunReport run_ns2d(const fft::Grid<2>& grid, const Ns2dRunOptions& options) {
  Timer timer;
  const auto times = ns2d_snapshot_times(options.t_end, options.save_every);
  int batch = options.batch;
  if (options.initial.kind == Ns2dInitialKind::file) {
    const int in_file = initial_file_batch(options.initial.file);
    if (batch == 0) batch = in_file;
  }
  if (batch == 0) batch = 1;
  TORUS_REQUIRE(batch >= 1, "batch " + std::to_string(batch), "--batch", "run >= 1 sample");

  Ns2dSolver solver(grid, batch, options.solver);
  auto omega = solver.plan().make_real("torus::pde::run_ns2d omega");
  fill_initial(grid, solver, options, omega);
  solver.set_vorticity(omega, 0.0);
  log::info("ns2d: {} sample(s) on {}, scheme {}, nu = {}, dt = {}, to t = {} ({} snapshots)",
            batch, grid.describe(), solver.scheme(), options.solver.parameters.nu,
            options.solver.dt, options.t_end, times.size());

  const int slots = static_cast<int>(times.size());
  const int local_x = grid.local_extents()[0], ny = grid.extents()[1];
  Kokkos::View<double****, Kokkos::LayoutRight> snapshots("torus::pde::run_ns2d snapshots", batch,
                                                          slots, local_x, ny);
  // Diagnostics [sample][time], row-major.
  std::vector<double> energy(batch * slots), enstrophy_series(batch * slots),
      palinstrophy_series(batch * slots);
  for (int slot = 0; slot < slots; ++slot) {
    if (times[slot] > solver.time()) {
      try {
        solver.advance_to(times[slot]);
      } catch (const Ns2dBlowUp& e) {
        const std::string path = ns2d_last_good_path(options.output);
        save_last_good(grid, solver, options, path);
        throw Ns2dBlowUp(e.problem() + "; the last good state (t = " + number(e.good_time()) +
                             ") is saved in " + path + " (run with --init " + path + " --dt " +
                             number(e.suggested_dt()) + " to continue from it)",
                         e.time(), e.good_time(), e.cfl(), e.suggested_dt());
      }
    }
    solver.vorticity(omega);
    Kokkos::deep_copy(Kokkos::subview(snapshots, Kokkos::ALL, slot, Kokkos::ALL, Kokkos::ALL),
                      fields_of(omega));
    const auto e = kinetic_energy(grid, solver.vorticity_hat());
    const auto z = enstrophy(grid, solver.vorticity_hat());
    const auto p = palinstrophy(grid, solver.vorticity_hat());
    for (int b = 0; b < batch; ++b) {
      energy[b * slots + slot] = e[b];
      enstrophy_series[b * slots + slot] = z[b];
      palinstrophy_series[b * slots + slot] = p[b];
    }
    log::debug("ns2d: t = {}, energy of sample 0 = {}", times[slot], e[0]);
  }
  if (!options.pictures.empty()) write_pictures(grid, omega, times.back(), options.pictures);
  const auto spectrum = energy_spectrum(grid, solver.vorticity_hat());
  const std::size_t shells = spectrum[0].size();
  std::vector<double> spectrum_table;
  for (const auto& row : spectrum)
    spectrum_table.insert(spectrum_table.end(), row.begin(), row.end());

  auto file = io::File::create(options.output, grid.comm());
  io::write_slab(file, "vorticity", snapshots,
                 io::Slab{2, grid.local_start(), grid.local_extents()[0]});
  io::write(file, "t", HostList(times.data(), times.size()));
  io::write(file, "energy", HostTable(energy.data(), batch, slots));
  io::write(file, "enstrophy", HostTable(enstrophy_series.data(), batch, slots));
  io::write(file, "palinstrophy", HostTable(palinstrophy_series.data(), batch, slots));
  io::write(file, "energy_spectrum", HostTable(spectrum_table.data(), batch, shells));
  const auto& parameters = options.solver.parameters;
  io::write_attribute(file, "/", "torus_version", TORUS_VERSION_STRING);
  io::write_attribute(file, "/", "layout",
                      "vorticity[sample, time, x, y] float64; t[time]; energy, enstrophy, "
                      "palinstrophy[sample, time]; energy_spectrum[sample, shell] at the last "
                      "time; see docs/hdf5.md");
  io::write_attribute(file, "/", "n", std::vector<std::int64_t>{grid.extents()[0], ny});
  io::write_attribute(file, "/", "lengths",
                      std::vector<double>{grid.lengths()[0], grid.lengths()[1]});
  io::write_attribute(file, "/", "nu", parameters.nu);
  io::write_attribute(file, "/", "forcing", to_string(parameters.forcing.kind));
  io::write_attribute(file, "/", "forcing_wavenumber", parameters.forcing.wavenumber);
  io::write_attribute(file, "/", "forcing_amplitude", parameters.forcing.amplitude);
  io::write_attribute(file, "/", "drag", parameters.forcing.drag);
  io::write_attribute(file, "/", "scheme", solver.scheme());
  io::write_attribute(file, "/", "dt", options.solver.dt);
  io::write_attribute(file, "/", "init", initial_name(options.initial));
  io::write_attribute(file, "/", "seed", static_cast<std::int64_t>(options.seed));
  io::write_attribute(file, "/", "steps", static_cast<std::int64_t>(solver.steps()));
  io::write_attribute(file, "/", "spectrum_shell_width", spectrum_shell_width(grid));
  file.commit();

  Ns2dRunReport report;
  report.times = times;
  report.batch = batch;
  report.steps = solver.steps();
  report.seconds = timer.seconds();
  for (int b = 0; b < batch; ++b) {
    report.energy.push_back(energy[b * slots + slots - 1]);
    report.enstrophy.push_back(enstrophy_series[b * slots + slots - 1]);
  }
  return report;
}

}  // namespace torus::pde
