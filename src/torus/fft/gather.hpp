#pragma once
/// \file
/// Gathering a slab-distributed array on rank 0, and scattering it back, for small arrays:
/// pictures, diagnostics, reference checks. Large arrays should stay distributed (io/ writes
/// them collectively).
///
/// The arrays are (batch, channel, x, ...) Views split along axis 2, as physical fields are on
/// a Grid, and as spectral fields are (the split axis is storage axis 0 of the spectral block,
/// so the transposed layout works too, with uneven blocks).

#include <mpi.h>

#include <Kokkos_Core.hpp>

#include <climits>
#include <cstring>
#include <string>
#include <vector>

#include "torus/core/error.hpp"

namespace torus::fft {

namespace detail {

// Bytes of one (batch, channel) block of `rows` rows along the split axis.
template <class View>
std::size_t row_bytes(const View& view) {
  std::size_t bytes = sizeof(typename View::value_type);
  for (unsigned r = 3; r < View::rank; ++r) bytes *= view.extent(r);
  return bytes;
}

inline int checked_int(std::size_t bytes, const char* what) {
  TORUS_REQUIRE(bytes <= static_cast<std::size_t>(INT_MAX),
                std::string(what) + " of " + std::to_string(bytes) +
                    " bytes is too large to gather on one rank",
                "fft::gather_to_root", "write large arrays collectively with io/ instead");
  return static_cast<int>(bytes);
}

}  // namespace detail

/// Returns, on rank 0 of `comm`, the whole array whose slabs (along axis 2) the ranks hold in
/// rank order; other ranks get an empty View. The result lives in host memory.
/// Throws torus::Error if the ranks disagree on the other extents.
template <class View>
typename View::HostMirror gather_to_root(const View& local, MPI_Comm comm) {
  static_assert(View::rank >= 3, "gather_to_root splits axis 2 of (batch, channel, x, ...)");
  using Host = typename View::HostMirror;
  int rank = 0, ranks = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &ranks);
  auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), local);
  Host contiguous("torus::gather local", host.layout());
  Kokkos::deep_copy(contiguous, host);

  // Every rank's shape, so that mismatches are caught and the root knows the row counts.
  std::vector<long long> shape(View::rank), shapes(View::rank * ranks);
  for (unsigned r = 0; r < View::rank; ++r) shape[r] = static_cast<long long>(local.extent(r));
  MPI_Allgather(shape.data(), View::rank, MPI_LONG_LONG, shapes.data(), View::rank, MPI_LONG_LONG,
                comm);
  long long global_rows = 0;
  for (int p = 0; p < ranks; ++p) {
    for (unsigned r = 0; r < View::rank; ++r) {
      TORUS_REQUIRE(r == 2 || shapes[p * View::rank + r] == shape[r],
                    "rank " + std::to_string(p) + " holds extent " +
                        std::to_string(shapes[p * View::rank + r]) + " on axis " +
                        std::to_string(r) + ", rank " + std::to_string(rank) + " holds " +
                        std::to_string(shape[r]),
                    "fft::gather_to_root", "gather slabs of one array split along axis 2 only");
    }
    global_rows += shapes[p * View::rank + 2];
  }

  const std::size_t blocks = local.extent(0) * local.extent(1);
  const std::size_t row = detail::row_bytes(local);
  std::vector<int> counts(ranks), displacements(ranks);
  std::size_t total = 0;
  for (int p = 0; p < ranks; ++p) {
    counts[p] = detail::checked_int(blocks * row * shapes[p * View::rank + 2], "a slab");
    displacements[p] = detail::checked_int(total, "the gathered array");
    total += counts[p];
  }
  detail::checked_int(total, "the gathered array");
  std::vector<char> received(rank == 0 ? total : 0);
  MPI_Gatherv(contiguous.data(), counts[rank], MPI_BYTE, received.data(), counts.data(),
              displacements.data(), MPI_BYTE, 0, comm);
  if (rank != 0) return Host();

  // Rank p's buffer is (batch, channel, rows_p, ...); interleave the slabs along axis 2.
  auto layout = host.layout();
  layout.dimension[2] = static_cast<std::size_t>(global_rows);
  Host global("torus::gathered", layout);
  char* out = reinterpret_cast<char*>(global.data());
  long long first_row = 0;
  for (int p = 0; p < ranks; ++p) {
    const long long rows = shapes[p * View::rank + 2];
    const char* in = received.data() + displacements[p];
    for (std::size_t block = 0; block < blocks; ++block) {
      std::memcpy(out + (block * global_rows + first_row) * row, in + block * rows * row,
                  rows * row);
    }
    first_row += rows;
  }
  return global;
}

/// Fills each rank's slab `local` (along axis 2, in rank order) from `global`, which only rank 0
/// needs to hold (other ranks may pass an empty View). The slab extents are the ones `local`
/// already has. Throws torus::Error if they do not add up to the global extent.
template <class View, class GlobalView>
void scatter_from_root(const GlobalView& global, const View& local, MPI_Comm comm) {
  static_assert(View::rank >= 3, "scatter_from_root splits axis 2 of (batch, channel, x, ...)");
  int rank = 0, ranks = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &ranks);
  const long long rows = static_cast<long long>(local.extent(2));
  std::vector<long long> all_rows(ranks);
  MPI_Allgather(&rows, 1, MPI_LONG_LONG, all_rows.data(), 1, MPI_LONG_LONG, comm);
  long long global_rows = 0;
  for (long long r : all_rows) global_rows += r;

  const std::size_t blocks = local.extent(0) * local.extent(1);
  const std::size_t row = detail::row_bytes(local);
  std::vector<int> counts(ranks), displacements(ranks);
  std::size_t total = 0;
  for (int p = 0; p < ranks; ++p) {
    counts[p] = detail::checked_int(blocks * row * all_rows[p], "a slab");
    displacements[p] = detail::checked_int(total, "the scattered array");
    total += counts[p];
  }
  std::vector<char> packed;
  int ok = 1;
  if (rank == 0) {
    ok = global.extent(2) == static_cast<std::size_t>(global_rows) &&
         global.span() * sizeof(typename GlobalView::value_type) == total;
    if (ok) {
      auto host = Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), global);
      typename GlobalView::HostMirror contiguous("torus::scatter global", host.layout());
      Kokkos::deep_copy(contiguous, host);
      packed.resize(total);
      const char* in = reinterpret_cast<const char*>(contiguous.data());
      long long first_row = 0;
      for (int p = 0; p < ranks; ++p) {
        char* out = packed.data() + displacements[p];
        for (std::size_t block = 0; block < blocks; ++block) {
          std::memcpy(out + block * all_rows[p] * row, in + (block * global_rows + first_row) * row,
                      all_rows[p] * row);
        }
        first_row += all_rows[p];
      }
    }
  }
  MPI_Bcast(&ok, 1, MPI_INT, 0, comm);
  TORUS_REQUIRE(ok,
                "the array on rank 0 does not have the shape the slabs add up to (" +
                    std::to_string(global_rows) + " rows along axis 2)",
                "fft::scatter_from_root", "allocate the local slabs from the same Grid");
  auto host_local = Kokkos::create_mirror_view(Kokkos::HostSpace(), local);
  typename View::HostMirror contiguous("torus::scatter local", host_local.layout());
  MPI_Scatterv(packed.data(), counts.data(), displacements.data(), MPI_BYTE, contiguous.data(),
               counts[rank], MPI_BYTE, 0, comm);
  Kokkos::deep_copy(host_local, contiguous);
  Kokkos::deep_copy(local, host_local);
}

}  // namespace torus::fft
