#pragma once
/// \file
/// Kokkos::Views in HDF5 datasets: whole arrays, and arrays split over ranks in slabs.
///
/// A dataset holds `view(i0, ..., ik)` at index `[i0, ..., ik]`, whatever the View's layout or
/// memory space, so h5py shows the same array (`f["u"][i0, ..., ik]`). Values are stored as
/// little-endian float32, float64, int32, int64, or, for Kokkos::complex<float|double>, as the
/// compound type {"r", "i"} that h5py reads as numpy complex64 / complex128.
///
/// \code
/// // Rank r holds x in [grid.local_start(), + grid.local_extents()[0]) of (batch, channel, x, y).
/// const io::Slab slab{2, grid.local_start(), grid.local_extents()[0]};
/// auto file = io::File::create("w.h5", grid.comm());
/// io::write_slab(file, "w", w, slab);          // one (batch, channel, nx, ny) dataset
/// file.commit();
///
/// auto in = io::File::open("w.h5", grid.comm());
/// auto w_back = io::read_slab<fft::RealField<double, 2>>(in, "w", slab);
/// \endcode
///
/// Data is copied to the host (Kokkos::create_mirror_view_and_copy) before writing and read on
/// the host before being copied into the View's memory space, so device Views work unchanged.

#include <Kokkos_Core.hpp>

#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "torus/io/hdf5_file.hpp"

namespace torus::io {

/// This rank's part of an array split along one axis: indices [offset, offset + count) of
/// `axis`, all of every other axis. The slabs of all ranks tile the global axis without gaps or
/// overlaps; a rank may hold an empty slab (count 0).
struct Slab {
  /// The split axis; 2 is x of the (batch, channel, x, y[, z]) fields of torus::fft.
  int axis = 2;
  /// Global index of this rank's first entry along `axis`.
  std::int64_t offset = 0;
  /// Number of entries this rank holds along `axis`.
  std::int64_t count = 0;
};

/// A box of a dataset, possibly strided: along axis a, the indices start[a] + k stride[a] for
/// k in [0, count[a]). An empty `stride` means 1 on every axis.
struct Hyperslab {
  std::vector<std::int64_t> start;
  std::vector<std::int64_t> count;
  std::vector<std::int64_t> stride;
};

namespace detail {

enum class Element { f32, f64, i32, i64, c64, c128 };

template <class T>
struct element_of {
  static_assert(!std::is_same_v<T, T>,
                "torus::io stores Views of float, double, std::int32_t, std::int64_t, "
                "Kokkos::complex<float> and Kokkos::complex<double>");
};
template <>
struct element_of<float> : std::integral_constant<Element, Element::f32> {};
template <>
struct element_of<double> : std::integral_constant<Element, Element::f64> {};
template <>
struct element_of<std::int32_t> : std::integral_constant<Element, Element::i32> {};
template <>
struct element_of<std::int64_t> : std::integral_constant<Element, Element::i64> {};
template <>
struct element_of<Kokkos::complex<float>> : std::integral_constant<Element, Element::c64> {};
template <>
struct element_of<Kokkos::complex<double>> : std::integral_constant<Element, Element::c128> {};

using Extents = std::vector<std::int64_t>;

/// Creates dataset `name` and writes `data` (C order, extents `local`) into it: the whole
/// array (from rank 0 of a parallel file) or, with `slab`, this rank's slab of it.
void write_block(File& file, const std::string& name, Element element, const void* data,
                 const Extents& local, const Slab* slab);

/// Checks that dataset `name` can be read as a rank-`rank` array of `element` (and `slab` fits)
/// and returns the extents of the block this rank reads.
Extents block_extents(const File& file, const std::string& name, Element element, int rank,
                      const Slab* slab);

/// Reads this rank's block (see block_extents) into `data`, C order.
void read_block(const File& file, const std::string& name, Element element, void* data,
                const Extents& local, const Slab* slab);

/// Reads `box` of dataset `name` as `element` values into `data` (C order, extents box.count).
void read_hyperslab(const File& file, const std::string& name, Element element,
                    const Hyperslab& box, void* data);

template <class View>
Extents extents_of(const View& view) {
  Extents n(View::rank);
  for (unsigned r = 0; r < View::rank; ++r) n[r] = static_cast<std::int64_t>(view.extent(r));
  return n;
}

template <class View, std::size_t... I>
View allocate(const std::string& label, const Extents& n, std::index_sequence<I...>) {
  return View(Kokkos::view_alloc(Kokkos::WithoutInitializing, label),
              static_cast<std::size_t>(n[I])...);
}

template <class View>
View allocate(const std::string& label, const Extents& n) {
  return allocate<View>(label, n, std::make_index_sequence<View::rank>());
}

template <class View>
constexpr Element element_of_view() {
  static_assert(Kokkos::is_view<View>::value, "torus::io reads and writes Kokkos::Views");
  static_assert(View::rank >= 1, "torus::io stores Views of rank 1 and above");
  return element_of<typename View::non_const_value_type>::value;
}

/// The View's values on the host, contiguous in C order: the View itself when it already is,
/// otherwise a copy.
template <class View>
Kokkos::View<typename View::const_data_type, Kokkos::LayoutRight, Kokkos::HostSpace>
host_contiguous(const View& view) {
  typename View::execution_space().fence();  // kernels may still be writing `view`
  if constexpr (std::is_same_v<typename View::array_layout, Kokkos::LayoutRight>) {
    if (view.span_is_contiguous()) {
      return Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), view);
    }
  }
  using Packed = Kokkos::View<typename View::non_const_data_type, Kokkos::LayoutRight,
                              typename View::memory_space>;
  Packed packed = allocate<Packed>(view.label() + " (packed)", extents_of(view));
  Kokkos::deep_copy(packed, view);
  return Kokkos::create_mirror_view_and_copy(Kokkos::HostSpace(), packed);
}

template <class View>
View read_view(const File& file, const std::string& name, const Slab* slab) {
  static_assert(!std::is_const_v<typename View::value_type>,
                "read into a View of non-const values");
  static_assert(std::is_same_v<typename View::array_layout, Kokkos::LayoutRight> ||
                    std::is_same_v<typename View::array_layout, Kokkos::LayoutLeft>,
                "torus::io reads into LayoutRight or LayoutLeft Views");
  static_assert(!View::traits::memory_traits::is_unmanaged,
                "torus::io allocates the View it reads: ask for a managed View type");
  constexpr Element element = element_of_view<View>();

  const Extents local = block_extents(file, name, element, View::rank, slab);
  View out = allocate<View>(name, local);
  auto mirror = Kokkos::create_mirror_view(out);  // `out` itself when it lives on the host
  if constexpr (std::is_same_v<typename View::array_layout, Kokkos::LayoutRight>) {
    read_block(file, name, element, mirror.data(), local, slab);
  } else {
    using Host =
        Kokkos::View<typename View::non_const_data_type, Kokkos::LayoutRight, Kokkos::HostSpace>;
    Host host = allocate<Host>(name, local);
    read_block(file, name, element, host.data(), local, slab);
    Kokkos::deep_copy(mirror, host);
  }
  Kokkos::deep_copy(out, mirror);
  return out;
}

}  // namespace detail

/// Writes `view` as the new dataset `name` ("u", or "fields/u": missing groups are created).
/// On a parallel file the call is collective, every rank passes the same array, and rank 0's
/// copy is written. Throws torus::Error when the file is not open for writing, `name` already
/// exists, the ranks' arrays differ in shape, or HDF5 fails.
template <class View>
void write(File& file, const std::string& name, const View& view) {
  constexpr detail::Element element = detail::element_of_view<View>();
  const auto host = detail::host_contiguous(view);
  detail::write_block(file, name, element, host.data(), detail::extents_of(view), nullptr);
}

/// Writes the array split over the ranks of `file` as the new dataset `name`: this rank's part
/// `local` goes to indices [slab.offset, slab.offset + slab.count) of `slab.axis`. The global
/// extent along the axis is the sum of the ranks' counts. Collective.
/// Throws torus::Error when `slab.count` differs from `local.extent(slab.axis)`, the slabs do
/// not tile the axis, the ranks disagree on the other extents, or as write().
template <class View>
void write_slab(File& file, const std::string& name, const View& local, const Slab& slab) {
  constexpr detail::Element element = detail::element_of_view<View>();
  const auto host = detail::host_contiguous(local);
  detail::write_block(file, name, element, host.data(), detail::extents_of(local), &slab);
}

/// Reads dataset `name` into a new View of type `View` (LayoutRight or LayoutLeft, any memory
/// space) with the dataset's extents. On a parallel file every rank reads the whole array
/// (collective). Values convert within their kind (float32 to double, int32 to int64, complex64
/// to complex<double>, and back). Throws torus::Error when the dataset is missing, holds
/// another kind of value (an integer dataset read as double, say), or has another rank.
template <class View>
View read(const File& file, const std::string& name) {
  return detail::read_view<View>(file, name, nullptr);
}

/// Reads this rank's slab of dataset `name`: indices [slab.offset, slab.offset + slab.count) of
/// `slab.axis` and all of every other axis. Collective on a parallel file; on a file of one rank
/// it reads any slab. Throws torus::Error as read(), or when the slab lies outside the dataset.
template <class View>
View read_slab(const File& file, const std::string& name, const Slab& slab) {
  return detail::read_view<View>(file, name, &slab);
}

/// Reads the values of `box` of dataset `name` into `host`, which holds prod(box.count) values
/// in host memory, C order with extents box.count: one sample, a run of samples, every other
/// time. Values convert within their kind as read(). Not collective: the file must be open on
/// one rank (each rank of a data-parallel loader opens it on MPI_COMM_SELF). Throws
/// torus::Error when the file is parallel, the dataset is missing or holds another kind of
/// value, `box` has another rank than the dataset, or it reaches outside the dataset.
template <class T>
void read_hyperslab(const File& file, const std::string& name, const Hyperslab& box, T* host) {
  detail::read_hyperslab(file, name, detail::element_of<T>::value, box, host);
}

/// The extents of dataset `name`, to choose slabs before reading. Throws torus::Error when the
/// dataset is missing.
std::vector<std::int64_t> dataset_extents(const File& file, const std::string& name);

}  // namespace torus::io
