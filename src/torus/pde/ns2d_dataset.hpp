#pragma once
/// \file
/// Data sets of 2-D Navier–Stokes trajectories: the presets of the FNO and Spectral-Refiner
/// protocols, storing at a lower resolution, and a resumable generator that writes one HDF5
/// file (layout: docs/hdf5.md, "Data sets of torus ns2d generate").
///
/// \code
/// pde::Ns2dDatasetOptions options;
/// options.preset = pde::ns2d_preset("fno-1e-3");
/// options.samples = 1000;
/// options.seed = 0;
/// options.output = "ns_1e-3.h5";
/// pde::generate_ns2d_dataset(runtime.comm(), options);  // resumes from ns_1e-3.h5.parts/
/// \endcode
///
/// **Protocols.** FNO (Li et al. 2021): a 256² simulation with the fno-cn scheme, dt = 1e-4,
/// the forcing 0.1 (sin 2 pi (x + y) + cos 2 pi (x + y)), initial vorticity from the Gaussian
/// random field (alpha 2.5, tau 7), stored at 64² once per time unit. FNO's loaders
/// subsample fields in physical space by a stride (`[::sub, ::sub]`); torus does the same by
/// default (Ns2dResample::stride: every (n/m)-th point from index 0), or keeps the modes
/// |f| < m/2 (Ns2dResample::spectral, fft::resample). The presets store t = 0 as the first
/// snapshot, so FNO's `a` is `vorticity[:, 0]` and its `u` is `vorticity[:, 1:]`.
/// Spectral-Refiner (ν = 1e-3): a warm-up to t = 30 that is not stored, then 100 snapshots on
/// (30, 50], every sample stored both at 64² (`vorticity`, for training) and at 256²
/// (`vorticity_256`, for testing); train and test sets are two runs with different seeds.
///
/// **Work and resumability.** Samples are cut into batches of `batch` consecutive samples
/// (batch k holds samples [k B, (k + 1) B)); the batches are dealt to the ranks in contiguous
/// blocks, and each rank simulates a batch at a time on its own grid (MPI_COMM_SELF). A
/// finished batch is written atomically as `<output>.parts/part-<first>-<count>.h5`. A run
/// started again with the same options skips the batches whose parts exist (whatever the rank
/// count), after checking that every part in the folder was made with the same options;
/// parts of other options stop the run with an error naming the folder. When every batch is
/// done the ranks assemble the output collectively (written atomically) and remove the parts.
/// A kill at any moment leaves either complete parts or the complete output, never a torn file.
/// Samples made by another process agree to round-off, not bitwise (FFTW's measured plans may
/// differ between processes; docs/design.md).
/// An output that already exists with the same options (attribute `options`) is left as it is
/// and the run returns at once; an output of other options is replaced once the new one is
/// complete.

#include <mpi.h>

#include <cstdint>
#include <string>
#include <vector>

#include "torus/fft/fields.hpp"
#include "torus/pde/initial_fields.hpp"
#include "torus/pde/ns2d_solver.hpp"

namespace torus::pde {

/// How a field is brought to a coarser stored grid.
enum class Ns2dResample {
  /// Every (n/m)-th point of each axis, starting at 0 (FNO's subsampling): exact values.
  stride,
  /// The modes 2|f| < m kept, the rest dropped (fft::resample): the band-limited field.
  spectral
};

/// "stride" or "spectral".
std::string to_string(Ns2dResample resample);
/// The inverse of to_string(); throws torus::Error naming the choices otherwise.
Ns2dResample parse_resample(const std::string& name);

/// Everything a protocol fixes about a data set (file comment).
struct Ns2dPreset {
  /// "fno-1e-3", "fno-1e-4", "spectral-refiner" or "small".
  std::string name;
  /// Viscosity, forcing, scheme and time step of the solver.
  Ns2dOptions solver;
  /// The Gaussian random field of the initial vorticity.
  GaussianFieldOptions field;
  /// Points per side of the simulation.
  int n = 256;
  /// Points per side of each stored copy; the first is dataset `vorticity`, the others
  /// `vorticity_<m>`. Each must divide n.
  std::vector<int> stored = {64};
  /// The stored times, increasing, >= 0 (0 stores the initial field; a first time > 0 is a
  /// warm-up that is simulated but not stored).
  std::vector<double> times;
  /// The default number of samples and of samples per solver (batch).
  std::int64_t samples = 4;
  int batch = 4;
};

/// The preset names, in the order of the help text.
std::vector<std::string> ns2d_preset_names();
/// The preset `name`; throws torus::Error naming the choices for an unknown name.
Ns2dPreset ns2d_preset(const std::string& name);
/// Throws torus::Error for a preset that cannot run: stored sizes that do not divide n, times
/// not increasing or negative, bad solver options (checked when the solver is made).
void validate(const Ns2dPreset& preset);

/// out(b, t, i, j) = in(b, 0, i s, j s), s = n / m: every s-th point of the fields of `in`
/// ((batch, 1, n, n)) into time slot `t` of `out` ((batch, times, m, m)). Throws torus::Error
/// when m does not divide n, the batches differ or t is out of range.
void subsample_stride(const fft::RealField<double, 2>& in,
                      const Kokkos::View<double****, Kokkos::LayoutRight>& out, int t);

/// The options of one data set run.
struct Ns2dDatasetOptions {
  Ns2dPreset preset = ns2d_preset("small");
  /// Number of samples (>= 1); sample s is drawn from RandomKey{seed, s}.
  std::int64_t samples = 4;
  std::uint64_t seed = 0;
  /// Samples per solver and per part file; 0 takes the preset's.
  int batch = 0;
  Ns2dResample resample = Ns2dResample::stride;
  /// The HDF5 file written (its parts go to `<output>.parts/`).
  std::string output = "ns2d-dataset.h5";
  /// Keep `<output>.parts/` after assembling the output (to inspect or test resumption).
  bool keep_parts = false;
};

/// What a run did.
struct Ns2dDatasetReport {
  std::int64_t samples_simulated = 0;  // by this run, over all ranks
  std::int64_t samples_resumed = 0;    // found in existing parts
  bool already_complete = false;       // the output existed with the same options
  double seconds = 0;
};

/// A one-line text holding every option that shapes the data (preset values, samples, seed,
/// batch, resampling): parts and outputs carry it as attribute `options` and a resumed run must
/// match it.
std::string ns2d_dataset_fingerprint(const Ns2dDatasetOptions& options);

/// Generates (or resumes) the data set; see the file comment. Collective over `comm`. Throws
/// torus::Error for bad options, parts made with other options, an unwritable output, or a
/// sample that blew up (Ns2dBlowUp on the rank that saw it, torus::Error on the others); the
/// parts written so far stay for the next run.
Ns2dDatasetReport generate_ns2d_dataset(MPI_Comm comm, const Ns2dDatasetOptions& options);

}  // namespace torus::pde
