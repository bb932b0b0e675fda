#include "torus/pde/ns2d_dataset.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <memory>
#include <sstream>

#include "torus/core/log.hpp"
#include "torus/core/progress.hpp"
#include "torus/core/timer.hpp"
#include "torus/fft/resample.hpp"
#include "torus/io/attributes.hpp"
#include "torus/io/hdf5_file.hpp"
#include "torus/io/views.hpp"
#include "torus/version.hpp"

namespace torus::pde {

namespace fs = std::filesystem;
using Stored = Kokkos::View<double****, Kokkos::LayoutRight>;

namespace {

std::vector<double> every(double first, double step, int count) {
  std::vector<double> times(count);
  // t_k = (first / step + k) step, computed from integers so the times are whole steps of dt.
  for (int k = 0; k < count; ++k) times[k] = (std::llround(first / step) + k) * step;
  return times;
}

std::string stored_name(const Ns2dPreset& preset, int index) {
  return index == 0 ? "vorticity" : "vorticity_" + std::to_string(preset.stored[index]);
}

std::string part_name(std::int64_t first, std::int64_t count) {
  char name[64];
  std::snprintf(name, sizeof name, "part-%09lld-%lld.h5", static_cast<long long>(first),
                static_cast<long long>(count));
  return name;
}

// The rank's share [begin, end) of `items` dealt in contiguous blocks over `ranks`.
std::pair<std::int64_t, std::int64_t> block_of(std::int64_t items, int rank, int ranks) {
  return {items * rank / ranks, items * (rank + 1) / ranks};
}

// Runs one batch of samples [first, first + count) and returns the stored copies.
std::vector<Stored> simulate_batch(const Ns2dDatasetOptions& options, std::int64_t first, int count,
                                   std::unique_ptr<Ns2dSolver>& solver) {
  const Ns2dPreset& preset = options.preset;
  const fft::Grid<2> grid({preset.n, preset.n});
  if (!solver || solver->plan().batch() != count) {
    solver = std::make_unique<Ns2dSolver>(grid, count, preset.solver);
  }
  auto omega = solver->plan().make_real("torus::pde::ns2d dataset omega");
  gaussian_random_field(grid, solver->plan(), omega, options.seed,
                        static_cast<std::uint64_t>(first), preset.field);
  solver->set_vorticity(omega, 0.0);

  const int slots = static_cast<int>(preset.times.size());
  std::vector<Stored> stored;
  for (int m : preset.stored)
    stored.emplace_back("torus::pde::ns2d dataset stored", count, slots, m, m);

  for (int slot = 0; slot < slots; ++slot) {
    if (preset.times[slot] > solver->time()) solver->advance_to(preset.times[slot]);
    solver->vorticity(omega);
    for (std::size_t r = 0; r < preset.stored.size(); ++r) {
      const int m = preset.stored[r];
      if (options.resample == Ns2dResample::stride || m == preset.n) {
        subsample_stride(omega, stored[r], slot);
        continue;
      }
      // Spectral truncation: keep the modes 2|f| < m of the coefficients, transform on m².
      const fft::Grid<2> coarse({m, m});
      fft::Plan<double, 2> plan(coarse, count, 1);
      auto coarse_hat = plan.make_spectral("torus::pde::ns2d dataset coarse_hat");
      auto coarse_field = plan.make_real("torus::pde::ns2d dataset coarse");
      fft::resample(grid, solver->vorticity_hat(), coarse, coarse_hat, fft::Norm::backward);
      plan.backward_overwriting(coarse_hat, coarse_field, fft::Norm::backward);
      subsample_stride(coarse_field, stored[r], slot);
    }
  }
  return stored;
}

void write_attributes(io::File& file, const Ns2dDatasetOptions& options, std::int64_t first,
                      std::int64_t count) {
  const Ns2dPreset& p = options.preset;
  const auto& parameters = p.solver.parameters;
  io::write_attribute(file, "/", "options", ns2d_dataset_fingerprint(options));
  io::write_attribute(file, "/", "torus_version", TORUS_VERSION_STRING);
  io::write_attribute(file, "/", "layout",
                      "vorticity[sample, time, x, y] float64 (vorticity_<m>: the same at m^2); "
                      "t[time]; see docs/hdf5.md");
  io::write_attribute(file, "/", "preset", p.name);
  io::write_attribute(file, "/", "first_sample", first);
  io::write_attribute(file, "/", "samples", count);
  io::write_attribute(file, "/", "seed", static_cast<std::int64_t>(options.seed));
  io::write_attribute(file, "/", "nu", parameters.nu);
  io::write_attribute(file, "/", "forcing", to_string(parameters.forcing.kind));
  io::write_attribute(file, "/", "forcing_wavenumber", parameters.forcing.wavenumber);
  io::write_attribute(file, "/", "forcing_amplitude", parameters.forcing.amplitude);
  io::write_attribute(file, "/", "drag", parameters.forcing.drag);
  io::write_attribute(file, "/", "scheme", p.solver.scheme);
  io::write_attribute(file, "/", "dt", p.solver.dt);
  io::write_attribute(file, "/", "simulation_n", p.n);
  io::write_attribute(file, "/", "stored_n",
                      std::vector<std::int64_t>(p.stored.begin(), p.stored.end()));
  io::write_attribute(file, "/", "resample", to_string(options.resample));
  io::write_attribute(file, "/", "grf_alpha", p.field.alpha);
  io::write_attribute(file, "/", "grf_tau", p.field.tau);
  io::write_attribute(file, "/", "grf_sigma", gaussian_field_sigma(p.field));
  io::write_attribute(file, "/", "lengths", std::vector<double>{1.0, 1.0});
}

// The stored times as a View over the vector (no copy), for writing.
using HostList =
    Kokkos::View<const double*, Kokkos::HostSpace, Kokkos::MemoryTraits<Kokkos::Unmanaged>>;
HostList times_view(const std::vector<double>& times) {
  return HostList(times.data(), times.size());
}

void write_part(const fs::path& path, const Ns2dDatasetOptions& options, std::int64_t first,
                const std::vector<Stored>& stored) {
  auto file = io::File::create(path.string());
  for (std::size_t r = 0; r < stored.size(); ++r) {
    io::write(file, stored_name(options.preset, static_cast<int>(r)), stored[r]);
  }
  io::write(file, "t", times_view(options.preset.times));
  write_attributes(file, options, first, static_cast<std::int64_t>(stored[0].extent(0)));
  file.commit();
}

// On rank 0: checks every part in `dir` against `fingerprint`; returns a message, empty if fine.
// Temporaries left by killed runs are removed.
std::string check_parts(const fs::path& dir, const std::string& fingerprint) {
  if (!fs::exists(dir)) return {};
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (name.find(".tmp-") != std::string::npos) {
      std::error_code ignored;
      fs::remove(entry.path(), ignored);
      continue;
    }
    if (name.rfind("part-", 0) != 0) continue;
    try {
      auto part = io::File::open(entry.path().string());
      const auto found = io::read_attribute<std::string>(part, "/", "options");
      if (found != fingerprint) {
        return "the part " + entry.path().string() + " was made with other options (" + found +
               ") than this run (" + fingerprint + ")";
      }
    } catch (const Error& e) {
      return "the part " + entry.path().string() + " cannot be read: " + e.problem();
    }
  }
  return {};
}

std::string broadcast(MPI_Comm comm, std::string text) {
  long size = static_cast<long>(text.size());
  MPI_Bcast(&size, 1, MPI_LONG, 0, comm);
  text.resize(static_cast<std::size_t>(size));
  MPI_Bcast(text.data(), static_cast<int>(size), MPI_CHAR, 0, comm);
  return text;
}

}  // namespace

std::string to_string(Ns2dResample resample) {
  return resample == Ns2dResample::stride ? "stride" : "spectral";
}

Ns2dResample parse_resample(const std::string& name) {
  if (name == "stride") return Ns2dResample::stride;
  if (name == "spectral") return Ns2dResample::spectral;
  TORUS_THROW("unknown resampling '" + name + "'", "--resample", "use stride or spectral");
}

std::vector<std::string> ns2d_preset_names() {
  return {"small", "fno-1e-3", "fno-1e-4", "spectral-refiner", "fno-1e-3-64"};
}

Ns2dPreset ns2d_preset(const std::string& name) {
  Ns2dPreset p;
  p.name = name;
  p.solver.parameters.forcing = {ForcingKind::fno, 4, 1.0, 0.0};
  p.solver.scheme = "fno-cn";
  p.solver.dt = 1e-4;
  if (name == "small") {
    // Seconds on one core: 64² simulated, 32² stored, t = 0, 0.5, ..., 2.
    p.solver.parameters.nu = 1e-3;
    p.solver.dt = 1e-3;
    p.n = 64;
    p.stored = {32};
    p.times = every(0.0, 0.5, 5);
    p.samples = 4;
    p.batch = 4;
  } else if (name == "fno-1e-3") {
    p.solver.parameters.nu = 1e-3;
    p.times = every(0.0, 1.0, 51);  // t = 0 (FNO's a), then 1..50 (FNO's u)
    p.samples = 5000;
    p.batch = 20;
  } else if (name == "fno-1e-4") {
    p.solver.parameters.nu = 1e-4;
    p.times = every(0.0, 1.0, 31);
    p.samples = 10000;
    p.batch = 20;
  } else if (name == "spectral-refiner") {
    p.solver.parameters.nu = 1e-3;
    p.stored = {64, 256};
    p.times = every(30.2, 0.2, 100);  // warm-up to 30 unstored, then (30, 50] every 0.2
    p.samples = 1152;
    p.batch = 16;
  } else if (name == "fno-1e-3-64") {
    // FNO's nu = 1e-3 protocol simulated on the stored 64² grid with dt = 1e-3: about 2.5 s a
    // sample on one core instead of 10 minutes, for machines that cannot spend days on the
    // 256² data. The same initial fields and forcing; the fields differ from fno-1e-3 by the
    // coarser simulation (the 2/3 rule keeps |k| < 22 instead of 86).
    p.solver.parameters.nu = 1e-3;
    p.solver.dt = 1e-3;
    p.n = 64;
    p.stored = {64};
    p.times = every(0.0, 1.0, 51);
    p.samples = 1200;
    p.batch = 20;
  } else {
    std::string names;
    for (const auto& n : ns2d_preset_names()) names += (names.empty() ? "" : ", ") + n;
    TORUS_THROW("unknown preset '" + name + "'", "--preset", "use one of " + names);
  }
  return p;
}

void validate(const Ns2dPreset& preset) {
  const std::string where = "preset " + preset.name;
  TORUS_REQUIRE(preset.n >= 4, "the simulation grid has " + std::to_string(preset.n) + " points",
                where, "simulate on 4 points per side or more");
  TORUS_REQUIRE(!preset.stored.empty(), "no stored resolution", where, "store at least one");
  for (int m : preset.stored) {
    TORUS_REQUIRE(m >= 1 && preset.n % m == 0,
                  "the stored size " + std::to_string(m) + " does not divide the simulation size " +
                      std::to_string(preset.n),
                  where, "store at sizes n / s for a whole stride s");
  }
  TORUS_REQUIRE(!preset.times.empty() && preset.times[0] >= 0.0,
                "no stored time, or a negative one", where, "store at times >= 0");
  for (std::size_t k = 1; k < preset.times.size(); ++k) {
    TORUS_REQUIRE(preset.times[k] > preset.times[k - 1], "the stored times do not increase", where,
                  "list the stored times in increasing order");
  }
  TORUS_REQUIRE(preset.batch >= 1, "batch " + std::to_string(preset.batch), where, "use >= 1");
}

void subsample_stride(const fft::RealField<double, 2>& in, const Stored& out, int t) {
  const int m0 = static_cast<int>(out.extent(2)), m1 = static_cast<int>(out.extent(3));
  const bool divides = m0 > 0 && m1 > 0 && in.extent(2) % m0 == 0 && in.extent(3) % m1 == 0;
  TORUS_REQUIRE(divides && in.extent(0) == out.extent(0) && in.extent(1) == 1 && t >= 0 &&
                    t < static_cast<int>(out.extent(1)),
                "cannot subsample fields " + fft::detail::shape_of(in) + " into slot " +
                    std::to_string(t) + " of " + fft::detail::shape_of(out),
                "pde::subsample_stride", "pass (batch, 1, n, n) and (batch, times, n/s, n/s)");
  const int s0 = static_cast<int>(in.extent(2)) / m0, s1 = static_cast<int>(in.extent(3)) / m1;
  using policy = Kokkos::MDRangePolicy<Kokkos::Rank<3>, Kokkos::IndexType<int>>;
  // out(b, t, i, j) = in(b, 0, i s0, j s1)
  Kokkos::parallel_for(
      "torus::pde::subsample_stride", policy({0, 0, 0}, {static_cast<int>(out.extent(0)), m0, m1}),
      KOKKOS_LAMBDA(const int b, const int i, const int j) {
        out(b, t, i, j) = in(b, 0, i * s0, j * s1);
      });
}

std::string ns2d_dataset_fingerprint(const Ns2dDatasetOptions& options) {
  const Ns2dPreset& p = options.preset;
  const auto& q = p.solver.parameters;
  std::ostringstream text;
  text.precision(17);
  text << "preset=" << p.name << " n=" << p.n << " stored=";
  for (int m : p.stored) text << m << ",";
  text << " times=" << p.times.size() << ":" << p.times.front() << ".." << p.times.back()
       << " nu=" << q.nu << " forcing=" << to_string(q.forcing.kind) << "," << q.forcing.wavenumber
       << "," << q.forcing.amplitude << "," << q.forcing.drag << " scheme=" << p.solver.scheme
       << " dt=" << p.solver.dt << " grf=" << p.field.alpha << "," << p.field.tau << ","
       << gaussian_field_sigma(p.field) << " samples=" << options.samples
       << " seed=" << options.seed << " batch=" << (options.batch > 0 ? options.batch : p.batch)
       << " resample=" << to_string(options.resample);
  return text.str();
}

Ns2dDatasetReport generate_ns2d_dataset(MPI_Comm comm, const Ns2dDatasetOptions& options) {
  Timer timer;
  int rank = 0, ranks = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &ranks);
  const Ns2dPreset& preset = options.preset;
  validate(preset);
  TORUS_REQUIRE(options.samples >= 1, "asked for " + std::to_string(options.samples) + " samples",
                "--samples", "ask for one sample or more");
  const std::int64_t batch =
      std::min<std::int64_t>(options.batch > 0 ? options.batch : preset.batch, options.samples);
  const std::int64_t batches = (options.samples + batch - 1) / batch;
  const std::string fingerprint = ns2d_dataset_fingerprint(options);
  const fs::path output(options.output);
  const fs::path parts = output.string() + ".parts";
  Ns2dDatasetReport report;

  // Rank 0 looks at what exists: a finished output, or parts of this or another run.
  std::string problem;
  int complete = 0;
  if (rank == 0) {
    if (fs::exists(output)) {
      try {
        auto done = io::File::open(output.string());
        complete = io::read_attribute<std::string>(done, "/", "options") == fingerprint;
      } catch (const Error&) {
        complete = 0;  // not ours: it is replaced at the end
      }
    }
    if (!complete) {
      problem = check_parts(parts, fingerprint);
      std::error_code made;
      if (problem.empty()) fs::create_directories(parts, made);
      if (problem.empty() && made)
        problem = "cannot create " + parts.string() + ": " + made.message();
    }
  }
  MPI_Bcast(&complete, 1, MPI_INT, 0, comm);
  if (complete) {
    log::info("{} is complete (same options); nothing to do", output.string());
    report.already_complete = true;
    return report;
  }
  problem = broadcast(comm, problem);
  TORUS_REQUIRE(
      problem.empty(), problem, parts.string(),
      "run with the options of the parts, or delete " + parts.string() + " to start again");

  // Simulate this rank's batches that have no part yet.
  const auto [begin, end] = block_of(batches, rank, ranks);
  const auto first_of = [&](std::int64_t k) { return k * batch; };
  const auto count_of = [&](std::int64_t k) {
    return std::min(batch, options.samples - k * batch);
  };
  log::info("ns2d data set '{}': {} samples of {}² stored at {}, {} batches of {} over {} ranks",
            preset.name, options.samples, preset.n, preset.stored[0], batches, batch, ranks);
  std::int64_t simulated = 0, resumed = 0;
  std::exception_ptr own_error;
  {
    std::int64_t mine = 0;
    for (std::int64_t k = begin; k < end; ++k) mine += count_of(k);
    Progress progress("samples (rank 0's share)", mine);
    std::unique_ptr<Ns2dSolver> solver;
    for (std::int64_t k = begin; k < end; ++k) {
      const fs::path part = parts / part_name(first_of(k), count_of(k));
      if (fs::exists(part)) {
        resumed += count_of(k);
        progress.advance(count_of(k), "resumed");
        continue;
      }
      try {
        const auto stored =
            simulate_batch(options, first_of(k), static_cast<int>(count_of(k)), solver);
        write_part(part, options, first_of(k), stored);
      } catch (const Error&) {
        own_error = std::current_exception();  // keeps Ns2dBlowUp as it is
        break;
      }
      simulated += count_of(k);
      progress.advance(count_of(k));
    }
  }
  int failed = own_error ? 1 : 0, any_failed = 0;
  MPI_Allreduce(&failed, &any_failed, 1, MPI_INT, MPI_MAX, comm);
  if (own_error) std::rethrow_exception(own_error);
  TORUS_REQUIRE(!any_failed,
                "another rank failed while simulating its samples (its message is above)",
                options.output,
                "fix that failure and run the same command again: finished "
                "samples are kept in " +
                    parts.string());
  std::int64_t counts[2] = {simulated, resumed}, totals[2] = {0, 0};
  MPI_Allreduce(counts, totals, 2, MPI_INT64_T, MPI_SUM, comm);
  report.samples_simulated = totals[0];
  report.samples_resumed = totals[1];

  // Assemble: each rank reads its parts and writes its contiguous block of samples.
  const std::int64_t first = begin < end ? first_of(begin) : options.samples;
  std::int64_t local = 0;
  for (std::int64_t k = begin; k < end; ++k) local += count_of(k);
  if (begin >= end) local = 0;
  const int slots = static_cast<int>(preset.times.size());
  std::vector<Stored> blocks;
  for (int m : preset.stored)
    blocks.emplace_back("torus::pde::ns2d dataset block", local, slots, m, m);
  for (std::int64_t k = begin; k < end; ++k) {
    auto part = io::File::open((parts / part_name(first_of(k), count_of(k))).string());
    for (std::size_t r = 0; r < preset.stored.size(); ++r) {
      const auto values = io::read<Stored>(part, stored_name(preset, static_cast<int>(r)));
      const std::int64_t at = first_of(k) - first;
      Kokkos::deep_copy(Kokkos::subview(blocks[r], std::make_pair(at, at + count_of(k)),
                                        Kokkos::ALL, Kokkos::ALL, Kokkos::ALL),
                        values);
    }
  }
  {
    // Ranks without batches write empty slabs at the end of the axis.
    std::int64_t start = 0;
    MPI_Exscan(&local, &start, 1, MPI_INT64_T, MPI_SUM, comm);
    if (rank == 0) start = 0;
    auto file = io::File::create(output.string(), comm);
    for (std::size_t r = 0; r < preset.stored.size(); ++r) {
      io::write_slab(file, stored_name(preset, static_cast<int>(r)), blocks[r],
                     io::Slab{0, start, local});
    }
    io::write(file, "t", times_view(preset.times));
    write_attributes(file, options, 0, options.samples);
    file.commit();
  }
  MPI_Barrier(comm);
  if (rank == 0 && !options.keep_parts) {
    std::error_code ignored;
    fs::remove_all(parts, ignored);
  }
  MPI_Barrier(comm);
  report.seconds = timer.seconds();
  log::info("wrote {} ({} samples simulated, {} resumed) in {:.1f} s", output.string(),
            report.samples_simulated, report.samples_resumed, report.seconds);
  return report;
}

}  // namespace torus::pde
