// Files torus writes, read by h5py, and files h5py writes, read by torus: the independent check
// of index order, dtypes (complex as numpy complex), attributes and atomic naming.
// Skipped when /usr/bin/python3 cannot import h5py.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "io/io_support.hpp"
#include "torus/io/attributes.hpp"
#include "torus/io/hdf5_file.hpp"
#include "torus/io/views.hpp"

namespace torus::io {
namespace {

using testing::coded_view;
using testing::HostView;
using testing::mismatches;

// The h5py side. `code(shape)` is the decimal code of every index, as in io_support.hpp.
constexpr const char* kCheckScript = R"PY(
import os, sys
import h5py
import numpy as np

def code(shape):
    index = np.indices(shape)
    return sum(index[k] * 10 ** (len(shape) - 1 - k) for k in range(len(shape)))

def value(kind, c):
    if kind in ("float32", "float64"):
        return (0.5 * c - 7.25).astype(kind)
    if kind == "int32":
        return (-3 * c - 1).astype(np.int32)
    if kind == "int64":
        return (2 ** 40 + 3 * c).astype(np.int64)
    return (c - 1j * (0.25 * c + 0.5)).astype(kind)

path, ranks = sys.argv[1], int(sys.argv[2])
with h5py.File(path, "r") as f:
    for kind in ("float32", "float64", "int32", "int64", "complex64", "complex128"):
        for rank, shape in enumerate([(3,), (3, 4), (3, 4, 2), (3, 4, 2, 5), (3, 4, 2, 5, 3)], 1):
            d = f[f"{kind}/rank{rank}"]
            assert d.dtype == np.dtype(kind), (d.name, d.dtype)
            assert d.shape == shape, (d.name, d.shape)
            assert np.array_equal(d[()], value(kind, code(shape))), d.name
    w = f["fields/w"]
    nx = 3 * ranks + 1
    assert w.shape == (2, 3, nx, 5) and w.dtype == np.complex128, (w.shape, w.dtype)
    assert np.array_equal(w[()], value("complex128", code(w.shape)))
    assert w.attrs["units"] == "1/s" and isinstance(w.attrs["units"], str)
    a = f.attrs
    assert a["nu"] == 1e-3 and a["nu"].dtype == np.float64
    assert a["steps"] == 2 ** 40 and a["steps"].dtype == np.int64
    assert a["title"] == "Taylor–Green, ω" and isinstance(a["title"], str)
    assert a["grid"].dtype == np.int64 and list(a["grid"]) == [nx, 5]
    assert np.array_equal(a["lengths"], [1.0, 2 * np.pi])
leftovers = [n for n in os.listdir(os.path.dirname(path)) if ".tmp-" in n]
assert not leftovers, leftovers

# A file for torus to read back.
with h5py.File(os.path.join(os.path.dirname(path), "from_h5py.h5"), "w") as f:
    f["c64"] = value("complex64", code((2, 3)))
    f["f32"] = value("float32", code((4,)))
    f["i16"] = np.arange(5, dtype=np.int16) - 2
    f["u8"] = np.arange(5, dtype=np.uint8) + 250
    f.attrs["name"] = "vortex"
    f.attrs["fixed"] = np.bytes_(b"bytes")
    f.attrs["count"] = 7
    f.attrs["shape"] = np.array([2, 3], dtype=np.int32)
    f.attrs["scale"] = np.float32(0.5)
)PY";

class H5pyTest : public testing::ScratchTest {
 protected:
  void SetUp() override {
    ScratchTest::SetUp();
    int available = 0;
    if (rank == 0) {
      available = std::system("/usr/bin/python3 -c 'import h5py, numpy' > /dev/null 2>&1") == 0;
    }
    MPI_Bcast(&available, 1, MPI_INT, 0, world);
    if (!available) GTEST_SKIP() << "/usr/bin/python3 cannot import h5py and numpy";
  }
};

template <class T>
void write_every_rank(File& file, const std::string& group) {
  write(file, group + "/rank1", coded_view<T, 1>("x", 3));
  write(file, group + "/rank2", coded_view<T, 2>("x", 3, 4));
  write(file, group + "/rank3", coded_view<T, 3>("x", 3, 4, 2));
  write(file, group + "/rank4", coded_view<T, 4>("x", 3, 4, 2, 5));
  write(file, group + "/rank5", coded_view<T, 5>("x", 3, 4, 2, 5, 3));
}

TEST_F(H5pyTest, ReadsWhatTorusWritesAndWritesWhatTorusReads) {
  // 1. torus writes: every type and rank (rank 0's copy), and a field split over the ranks.
  const int nx = 3 * ranks + 1;
  const Slab slab{2, rank == 0 ? 0 : 1 + 3 * rank, rank == 0 ? 4 : 3};
  const auto global = coded_view<Kokkos::complex<double>, 4>("w", 2, 3, nx, 5);
  const auto local = testing::slab_of(global, slab);
  const std::string path = shared("torus.h5");
  {
    auto file = File::create(path, world);
    write_every_rank<float>(file, "float32");
    write_every_rank<double>(file, "float64");
    write_every_rank<std::int32_t>(file, "int32");
    write_every_rank<std::int64_t>(file, "int64");
    write_every_rank<Kokkos::complex<float>>(file, "complex64");
    write_every_rank<Kokkos::complex<double>>(file, "complex128");
    write_slab(file, "fields/w", local, slab);
    write_attribute(file, "fields/w", "units", "1/s");
    write_attribute(file, "/", "nu", 1e-3);
    write_attribute(file, "/", "steps", std::int64_t{1} << 40);
    write_attribute(file, "/", "title", "Taylor–Green, ω");
    write_attribute(file, "/", "grid", std::vector<std::int64_t>{nx, 5});
    write_attribute(file, "/", "lengths", std::vector<double>{1.0, 6.283185307179586});
    file.commit();
  }

  // 2. h5py checks it and writes a file of its own.
  int status = 0;
  if (rank == 0) {
    const std::string script = shared("check.py");
    std::ofstream(script) << kCheckScript;
    const std::string command =
        "/usr/bin/python3 " + script + " " + path + " " + std::to_string(ranks);
    status = std::system(command.c_str());
  }
  MPI_Bcast(&status, 1, MPI_INT, 0, world);
  ASSERT_EQ(status, 0) << "the h5py check failed; its assertion is printed above";

  // 3. torus reads h5py's file.
  auto file = File::open(shared("from_h5py.h5"), world);
  const auto c64 = read<HostView<Kokkos::complex<float>, 2>>(file, "c64");
  EXPECT_EQ(mismatches(c64, coded_view<Kokkos::complex<float>, 2>("c", 2, 3)), 0u);
  const auto f32 = read<HostView<double, 1>>(file, "f32");
  EXPECT_EQ(mismatches(f32, coded_view<double, 1>("f", 4)), 0u);
  const auto i16 = read<HostView<std::int32_t, 1>>(file, "i16");
  const auto u8 = read<HostView<std::int64_t, 1>>(file, "u8");
  for (int k = 0; k < 5; ++k) {
    EXPECT_EQ(i16(k), k - 2);
    EXPECT_EQ(u8(k), k + 250);
  }
  EXPECT_EQ(read_attribute<std::string>(file, "/", "name"), "vortex");
  EXPECT_EQ(read_attribute<std::string>(file, "/", "fixed"), "bytes");
  EXPECT_EQ(read_attribute<std::int64_t>(file, "/", "count"), 7);
  EXPECT_EQ(read_attribute<std::vector<std::int64_t>>(file, "/", "shape"),
            (std::vector<std::int64_t>{2, 3}));
  EXPECT_EQ(read_attribute<double>(file, "/", "scale"), 0.5);
}

}  // namespace
}  // namespace torus::io
