// `torus crystal xrd`: the powder pattern of one crystal (a CIF file or one entry of a crystal
// set), printed as a peak table and optionally written as CSV and PNG, and its electron density
// projected along c. Runs on rank 0 like the other crystal subcommands.
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>

#include "commands.hpp"
#include "torus/core/error.hpp"
#include "torus/core/log.hpp"
#include "torus/crystal/cif_read.hpp"
#include "torus/crystal/crystal_set.hpp"
#include "torus/crystal/electron_density.hpp"
#include "torus/crystal/xrd.hpp"
#include "torus/crystal/xrd_png.hpp"

namespace torus::apps {
namespace {

bool ends_with(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string family_text(const crystal::XrdPeak& peak) {
  std::string text;
  for (const auto& f : peak.families) {
    if (!text.empty()) text += " ";
    text += "(" + std::to_string(f.hkl[0]) + " " + std::to_string(f.hkl[1]) + " " +
            std::to_string(f.hkl[2]) + ")x" + std::to_string(f.multiplicity);
  }
  return text;
}

}  // namespace

std::pair<CLI::App*, std::function<int()>> add_crystal_xrd(CLI::App& group) {
  struct Options {
    std::string input, wavelength = "1.54184", png, csv, density;
    long long index = 0;
    double two_theta_max = 90;
    int grid = 48;
  };
  auto options = std::make_shared<Options>();
  CLI::App* sub = group.add_subcommand(
      "xrd", "Powder X-ray diffraction pattern (and electron density) of one crystal");
  sub->add_option("input", options->input, "CIF file, or HDF5 crystal set with --index")
      ->required();
  sub->add_option("--index", options->index, "crystal of the set to use")->capture_default_str();
  sub->add_option("--wavelength", options->wavelength,
                  "wavelength in Å, or an X-ray line: CuKa, MoKa, CrKa, FeKa, CoKa, AgKa")
      ->capture_default_str();
  sub->add_option("--two-theta-max", options->two_theta_max, "largest 2theta in degrees")
      ->capture_default_str();
  sub->add_option("--png", options->png, "write a picture of the pattern");
  sub->add_option("--csv", options->csv, "write the peaks as CSV");
  sub->add_option("--density", options->density,
                  "write the electron density (Gaussian part), summed along c, as a PNG");
  sub->add_option("--grid", options->grid, "density grid points per axis")
      ->capture_default_str()
      ->check(CLI::Range(2, 1024));
  return {sub, [options] {
            crystal::Crystal c;
            if (ends_with(options->input, ".h5")) {
              c = crystal::read_crystal_set(options->input, options->index, options->index + 1)
                      .crystals.at(0);
            } else {
              c = crystal::read_cif_file(options->input);
            }
            crystal::XrdOptions xrd;
            try {
              std::size_t used = 0;
              xrd.wavelength = std::stod(options->wavelength, &used);
              if (used != options->wavelength.size()) throw std::invalid_argument("suffix");
            } catch (const std::logic_error&) {
              xrd.wavelength = crystal::xray_wavelength(options->wavelength);
            }
            xrd.two_theta_max = options->two_theta_max;
            const auto pattern = crystal::xrd_pattern(c, xrd);

            std::printf("%10s %10s %10s  %s\n", "2theta", "intensity", "d (Å)", "hkl x mult");
            for (const auto& p : pattern.peaks) {
              std::printf("%10.4f %10.3f %10.5f  %s\n", p.two_theta, p.intensity, p.d_spacing,
                          family_text(p).c_str());
            }
            if (!options->csv.empty()) {
              std::FILE* f = std::fopen(options->csv.c_str(), "w");
              TORUS_REQUIRE(f, "cannot open the file for writing", options->csv,
                            "check the directory exists and is writable");
              std::fprintf(f, "two_theta,intensity,d_spacing,hkl\n");
              for (const auto& p : pattern.peaks) {
                std::fprintf(f, "%.6f,%.6f,%.6f,%s\n", p.two_theta, p.intensity, p.d_spacing,
                             family_text(p).c_str());
              }
              TORUS_REQUIRE(std::fclose(f) == 0, "writing failed", options->csv,
                            "check the disk has space");
              log::info("{} peaks written to {}", pattern.peaks.size(), options->csv);
            }
            if (!options->png.empty()) {
              crystal::XrdPictureOptions picture;
              picture.broadening.two_theta_max = options->two_theta_max;
              crystal::write_xrd_png(options->png, pattern, picture);
              log::info("pattern written to {}", options->png);
            }
            if (!options->density.empty()) {
              const int n = options->grid;
              const fft::Grid<3> grid({n, n, n});
              // Without the Cromer-Mann point charges c, whose truncated spikes ring along the
              // grid axes: the picture shows the smooth Gaussian part of each atom.
              crystal::StructureFactorOptions smooth;
              smooth.gaussian_part_only = true;
              const auto rho = crystal::electron_density(c, grid, smooth);
              crystal::write_density_png(options->density, rho, n, n, n);
              log::info("electron density ({}^3 grid) written to {}", n, options->density);
            }
            return 0;
          }};
}

}  // namespace torus::apps
