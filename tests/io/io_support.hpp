#pragma once
// Shared by the io tests: a scratch directory per test, Views of any rank, and values that
// encode their own multi-index so that every check (C++ or h5py) can recompute them.
#include <gtest/gtest.h>
#include <mpi.h>
#include <unistd.h>

#include <Kokkos_Core.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <type_traits>

#include "torus/core/error.hpp"
#include "torus/core/runtime.hpp"
#include "torus/io/views.hpp"

namespace torus::io::testing {

/// A fresh directory for each test, shared by every rank of the world (named on rank 0) and
/// removed when the test ends.
class ScratchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    world = Runtime::current().comm();
    MPI_Comm_rank(world, &rank);
    MPI_Comm_size(world, &ranks);
    char name[4096] = {0};
    if (rank == 0) {
      std::string pattern =
          (std::filesystem::temp_directory_path() / "torus-io-test-XXXXXX").string();
      ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
      pattern.copy(name, sizeof name - 1);
    }
    MPI_Bcast(name, sizeof name, MPI_CHAR, 0, world);
    directory = name;
  }

  void TearDown() override {
    MPI_Barrier(world);
    if (rank == 0) {
      std::error_code ec;
      std::filesystem::remove_all(directory, ec);
    }
    MPI_Barrier(world);
  }

  /// A path in the scratch directory that every rank uses.
  std::string shared(const std::string& name) const { return directory + "/" + name; }
  /// A path in the scratch directory that only this rank uses.
  std::string mine(const std::string& name) const {
    return directory + "/rank" + std::to_string(rank) + "-" + name;
  }
  /// Number of entries in the scratch directory.
  int entries() const {
    int n = 0;
    for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(directory)) ++n;
    return n;
  }

  MPI_Comm world = MPI_COMM_NULL;
  int rank = 0;
  int ranks = 1;
  std::string directory;
};

template <class T, int Rank>
struct ArrayOf {
  using type = typename ArrayOf<T, Rank - 1>::type*;
};
template <class T>
struct ArrayOf<T, 0> {
  using type = T;
};

template <class T, int Rank, class Layout = Kokkos::LayoutRight>
using HostView = Kokkos::View<typename ArrayOf<T, Rank>::type, Layout, Kokkos::HostSpace>;

/// The decimal code of a multi-index (every extent below 10): index (2, 0, 3) -> 203.
template <class View>
std::int64_t code_of(const View& view, std::size_t flat) {
  std::int64_t code = 0;
  std::int64_t scale = 1;
  for (int r = static_cast<int>(View::rank) - 1; r >= 0; --r) {
    code += static_cast<std::int64_t>(flat % view.extent(r)) * scale;
    flat /= view.extent(r);
    scale *= 10;
  }
  return code;
}

/// The value stored at an index of code `code`, for each element type; the h5py checks compute
/// the same numbers.
template <class T>
T value_for(std::int64_t code) {
  if constexpr (std::is_same_v<T, float> || std::is_same_v<T, double>) {
    return static_cast<T>(0.5 * static_cast<double>(code) - 7.25);
  } else if constexpr (std::is_same_v<T, std::int32_t>) {
    return static_cast<T>(-3 * code - 1);
  } else if constexpr (std::is_same_v<T, std::int64_t>) {
    return (std::int64_t{1} << 40) + 3 * code;
  } else {
    using R = typename T::value_type;
    return T(static_cast<R>(code), static_cast<R>(-0.25 * static_cast<double>(code) - 0.5));
  }
}

/// A LayoutRight host View whose every entry is value_for(code of its index) + shift.
template <class T, int Rank, class... Extents>
HostView<T, Rank> coded_view(const std::string& label, Extents... n) {
  HostView<T, Rank> view(label, static_cast<std::size_t>(n)...);
  for (std::size_t i = 0; i < view.span(); ++i) view.data()[i] = value_for<T>(code_of(view, i));
  return view;
}

/// This rank's part of a (batch, channel, x, y) array split along x, as its own View.
template <class View>
View slab_of(const View& global, const Slab& slab) {
  const auto part =
      Kokkos::subview(global, Kokkos::ALL, Kokkos::ALL,
                      Kokkos::make_pair(slab.offset, slab.offset + slab.count), Kokkos::ALL);
  View local("local", global.extent(0), global.extent(1), slab.count, global.extent(3));
  Kokkos::deep_copy(local, part);
  return local;
}

/// The message of the torus::Error that `action` throws ("" when it throws none).
template <class Action>
std::string error_of(Action action) {
  try {
    action();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

/// Number of entries of `a` that differ from `b` (same extents required).
template <class A, class B>
std::size_t mismatches(const A& a, const B& b) {
  if (a.span() != b.span()) return a.span() + b.span() + 1;
  for (unsigned r = 0; r < A::rank; ++r) {
    if (a.extent(r) != b.extent(r)) return a.span() + 1;
  }
  std::size_t bad = 0;
  for (std::size_t i = 0; i < a.span(); ++i) bad += (a.data()[i] == b.data()[i]) ? 0 : 1;
  return bad;
}

}  // namespace torus::io::testing
