#include "torus/fft/grid.hpp"

#include <fftw3-mpi.h>

#include <cstdio>

#include "torus/core/error.hpp"
#include "torus/fft/fftw_mpi_init.hpp"

namespace torus::fft {

template <int Dim>
std::string format_extents(const std::array<int, Dim>& n) {
  std::string text;
  for (int a = 0; a < Dim; ++a) text += (a ? "x" : "") + std::to_string(n[a]);
  return text;
}

template <int Dim>
Grid<Dim>::Grid(Extents n, MPI_Comm comm, GridOptions options, Lengths lengths)
    : extents_(n), lengths_(lengths), options_(options), comm_(comm) {
  for (int a = 0; a < Dim; ++a) {
    TORUS_REQUIRE(n[a] >= 1,
                  "grid extent " + std::to_string(n[a]) + " along axis " + std::to_string(a) +
                      " is not positive",
                  "grid " + format_extents<Dim>(n), "give every axis at least one point");
    TORUS_REQUIRE(lengths[a] > 0, "box length along axis " + std::to_string(a) + " is not positive",
                  "lengths", "give every side of the periodic box a positive length");
  }
  MPI_Comm_rank(comm_, &rank_);
  MPI_Comm_size(comm_, &ranks_);
  TORUS_REQUIRE(
      n[0] % ranks_ == 0,
      "grid " + format_extents<Dim>(n) + " cannot be split into equal x slabs over " +
          std::to_string(ranks_) + " ranks",
      "grid " + format_extents<Dim>(n) + ", " + std::to_string(ranks_) + " ranks",
      "run on a number of ranks that divides nx = " + std::to_string(n[0]) + ", or change nx");

  local_extents_ = n;
  local_extents_[0] = n[0] / ranks_;
  local_start_ = rank_ * local_extents_[0];
  local_spectral_extents_ = spectral_extents();
  local_spectral_start_ = 0;
  if (!distributed()) return;

  // Let FFTW-MPI decide the spectral blocks so that they always agree with its plans.
  ensure_fftw_mpi_initialised();
  std::array<ptrdiff_t, Dim> complex_n;
  const Extents spectral = spectral_extents();
  for (int a = 0; a < Dim; ++a) complex_n[a] = spectral[a];
  ptrdiff_t local_n0 = 0, local_0_start = 0, local_n1 = 0, local_1_start = 0;
  fftw_mpi_local_size_many_transposed(Dim, complex_n.data(), 1, FFTW_MPI_DEFAULT_BLOCK,
                                      FFTW_MPI_DEFAULT_BLOCK, comm_, &local_n0, &local_0_start,
                                      &local_n1, &local_1_start);
  if (transposed()) {
    local_spectral_extents_[0] = static_cast<int>(local_n1);
    local_spectral_extents_[1] = spectral[0];
    local_spectral_start_ = static_cast<int>(local_1_start);
  } else {
    local_spectral_extents_[0] = static_cast<int>(local_n0);
    local_spectral_start_ = static_cast<int>(local_0_start);
  }
}

template <int Dim>
std::int64_t Grid<Dim>::points() const {
  std::int64_t count = 1;
  for (int a = 0; a < Dim; ++a) count *= extents_[a];
  return count;
}

template <int Dim>
std::int64_t Grid<Dim>::local_points() const {
  std::int64_t count = 1;
  for (int a = 0; a < Dim; ++a) count *= local_extents_[a];
  return count;
}

template <int Dim>
std::int64_t Grid<Dim>::local_spectral_points() const {
  std::int64_t count = 1;
  for (int a = 0; a < Dim; ++a) count *= local_spectral_extents_[a];
  return count;
}

template <int Dim>
typename Grid<Dim>::Extents Grid<Dim>::spectral_extents() const {
  Extents spectral = extents_;
  spectral[Dim - 1] = extents_[Dim - 1] / 2 + 1;
  return spectral;
}

template <int Dim>
int Grid<Dim>::spectral_axis(int storage_axis) const {
  if (transposed() && storage_axis < 2) return 1 - storage_axis;
  return storage_axis;
}

template <int Dim>
int Grid<Dim>::frequency(int axis, int index) const {
  if (axis == Dim - 1) return index;
  const int n = extents_[axis];
  return index < (n + 1) / 2 ? index : index - n;
}

template <int Dim>
std::string Grid<Dim>::describe() const {
  auto number = [](double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", value);
    return std::string(text);
  };
  std::string text = format_extents<Dim>(extents_) + " on [0," + number(lengths_[0]);
  for (int a = 1; a < Dim; ++a) text += ")x[0," + number(lengths_[a]);
  text += ")";
  if (distributed()) {
    text += " over " + std::to_string(ranks_) + " ranks (x slabs of " +
            std::to_string(local_extents_[0]) +
            (transposed() ? ", spectral data transposed)" : ")");
  }
  return text;
}

template class Grid<2>;
template class Grid<3>;
template std::string format_extents<2>(const std::array<int, 2>&);
template std::string format_extents<3>(const std::array<int, 3>&);

}  // namespace torus::fft
