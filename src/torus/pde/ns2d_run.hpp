#pragma once
/// \file
/// One 2-D Navier–Stokes run as the `torus ns2d` command makes it: an initial field (a random
/// field, the Taylor–Green vortex or a file), snapshots every `save_every`, diagnostics per
/// snapshot, one HDF5 file written atomically (layout: docs/hdf5.md, "Files of torus ns2d").
/// On a blow-up the last good state is saved next to the output, readable by `--init`.
///
/// \code
/// fft::Grid<2> grid({64, 64}, runtime.comm(), {.transposed_spectral = true});
/// pde::Ns2dRunOptions options;            // GRF, nu = 1e-3, FNO forcing, t_end = 1
/// auto report = pde::run_ns2d(grid, options);
/// \endcode

#include <cstdint>
#include <string>
#include <vector>

#include "torus/fft/fields.hpp"
#include "torus/fft/grid.hpp"
#include "torus/pde/initial_fields.hpp"
#include "torus/pde/mcwilliams.hpp"
#include "torus/pde/ns2d_solver.hpp"

namespace torus::pde {

/// Where the initial vorticity comes from.
enum class Ns2dInitialKind { grf, mcwilliams, taylor_green, file };

/// The initial vorticity of a run.
struct Ns2dInitial {
  Ns2dInitialKind kind = Ns2dInitialKind::grf;
  /// The HDF5 file of Ns2dInitialKind::file (read_initial_vorticity()).
  std::string file;
  GaussianFieldOptions grf;
  McWilliamsOptions mcwilliams;
  /// Taylor–Green: whole periods m per side and velocity amplitude U.
  int taylor_green_periods = 1;
  double taylor_green_amplitude = 1.0;
};

/// "grf", "mcwilliams", "taylor-green", or any other text as the path of an HDF5 file.
Ns2dInitial parse_initial(const std::string& text);

/// The options of one run.
struct Ns2dRunOptions {
  /// Samples run together; 0 takes the file's batch for --init FILE (1 otherwise).
  int batch = 0;
  Ns2dOptions solver;
  Ns2dInitial initial;
  /// Random samples are RandomKey{seed, b}, b = 0..batch-1.
  std::uint64_t seed = 0;
  /// The end time (> 0) and the time between stored snapshots (> 0); snapshots are t = 0,
  /// save_every, 2 save_every, ... and t_end.
  double t_end = 1.0;
  double save_every = 0.25;
  /// The HDF5 file written.
  std::string output = "ns2d.h5";
  /// When not empty: a folder (made if missing) that receives a PNG of the last snapshot of
  /// every sample, `vorticity-<sample>-t<time>.png`, in a diverging colour map symmetric about 0.
  std::string pictures;
};

/// What a finished run did.
struct Ns2dRunReport {
  std::vector<double> times;
  int batch = 0;
  long steps = 0;
  double seconds = 0;
  /// Energy and enstrophy of every sample at the last snapshot.
  std::vector<double> energy, enstrophy;
};

/// The stored times: 0, s, 2 s, ... below t_end, then t_end. Throws torus::Error for
/// t_end <= 0 or s <= 0 (or not finite).
std::vector<double> ns2d_snapshot_times(double t_end, double save_every);

/// `<output>.last-good.h5`: where run_ns2d() saves the state a blow-up rolled back to.
std::string ns2d_last_good_path(const std::string& output);

/// The batch of samples in the HDF5 file `path`: dataset `vorticity` shaped (x, y) is one
/// sample, (batch, x, y) is `batch`. Throws torus::Error naming the file when it is missing,
/// not HDF5, has no `vorticity`, or the dataset has another rank or holds integers.
int initial_file_batch(const std::string& path);

/// Reads `vorticity` of `path` into `omega` ((batch, 1, local x, y) of `grid`, read on the
/// grid's communicator): a (x, y) dataset goes to every sample, a (batch, x, y) dataset must
/// hold omega's batch. Throws torus::Error as initial_file_batch(), for extents other than the
/// grid's or another batch, and for values that are not finite.
void read_initial_vorticity(const fft::Grid<2>& grid, const std::string& path,
                            const fft::RealField<double, 2>& omega);

/// Runs (file comment) and writes options.output. Collective over the grid's communicator.
/// Throws torus::Error for bad options or inputs; on a blow-up, writes the rolled-back state to
/// ns2d_last_good_path() (dataset `vorticity` (batch, x, y), attribute and dataset `t`) and
/// throws Ns2dBlowUp whose fix names that file and the suggested dt.
Ns2dRunReport run_ns2d(const fft::Grid<2>& grid, const Ns2dRunOptions& options);

}  // namespace torus::pde
