// Neighbour graphs of a whole crystal set, timed: the periodic neighbour list (cutoff, maximum
// neighbours) and the fully connected graph of every crystal of a CDVAE CSV or an HDF5 crystal
// set, built as one batch by the Kokkos kernels of crystal/neighbor_list.hpp. Reading and
// copying the crystals into the batch are timed apart from the graph builders. Prints one JSON
// line: crystals, atoms, edges and the median seconds of each builder over --repeats, with
// crystals per second.
//
//   bench_crystal_graphs SET.csv|SET.h5 [--cutoff 7] [--max-neighbors 12] [--repeats 5]
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "torus/core/runtime.hpp"
#include "torus/core/timer.hpp"
#include "torus/crystal/cdvae_csv.hpp"
#include "torus/crystal/crystal_set.hpp"
#include "torus/crystal/neighbor_list.hpp"

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  torus::Runtime runtime(argc, argv);
  CLI::App app{"Neighbour graphs of a crystal set, timed (JSON on stdout)"};
  std::string path;
  double cutoff = 7.0;
  int max_neighbors = 12, repeats = 5;
  app.add_option("set", path, "CDVAE CSV or HDF5 crystal set")->required();
  app.add_option("--cutoff", cutoff, "neighbour cutoff in Å");
  app.add_option("--max-neighbors", max_neighbors, "neighbours kept per atom (0: all)");
  app.add_option("--repeats", repeats);
  CLI11_PARSE(app, argc, argv);
  namespace crystal = torus::crystal;

  torus::Timer read_timer;
  const auto crystals = ends_with(path, ".csv") ? crystal::read_cdvae_csv(path).set.crystals
                                                : crystal::read_crystal_set(path).crystals;
  const double read_seconds = read_timer.seconds();
  torus::Timer batch_timer;
  const auto batch = crystal::CrystalBatch::from_crystals(crystals);
  const double batch_seconds = batch_timer.seconds();

  std::vector<double> list_seconds, full_seconds;
  std::int64_t list_edges = 0, full_edges = 0;
  for (int r = 0; r < repeats; ++r) {
    torus::Timer t;
    list_edges = crystal::neighbor_list(batch, cutoff, max_neighbors).size();
    Kokkos::fence();
    list_seconds.push_back(t.seconds());
    torus::Timer u;
    full_edges = crystal::fully_connected_graph(batch).size();
    Kokkos::fence();
    full_seconds.push_back(u.seconds());
  }
  const double n = static_cast<double>(crystals.size());
  if (runtime.rank() == 0) {
    std::printf(
        "{\"crystals\": %zu, \"atoms\": %lld, \"cutoff\": %g, \"max_neighbors\": %d, "
        "\"read_seconds\": %.6g, \"batch_seconds\": %.6g, \"neighbor_list_seconds\": %.6g, "
        "\"neighbor_list_edges\": %lld, \"neighbor_list_crystals_per_second\": %.6g, "
        "\"fully_connected_seconds\": %.6g, \"fully_connected_edges\": %lld, "
        "\"fully_connected_crystals_per_second\": %.6g}\n",
        crystals.size(), static_cast<long long>(batch.frac.extent(0)), cutoff, max_neighbors,
        read_seconds, batch_seconds, median(list_seconds), static_cast<long long>(list_edges),
        n / median(list_seconds), median(full_seconds), static_cast<long long>(full_edges),
        n / median(full_seconds));
  }
  return 0;
}
