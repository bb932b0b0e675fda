#pragma once
/// \file
/// torus::io::File: one HDF5 file, open for reading or being written atomically, on one rank or
/// shared by the ranks of a communicator.
///
/// \code
/// auto out = io::File::create("run/fields.h5", runtime.comm());  // writes run/fields.h5.tmp-<pid>
/// io::write_slab(out, "u", u, io::Slab{2, grid.local_start(), grid.local_extents()[0]});
/// io::write_attribute(out, "/", "steps", steps);
/// out.commit();                                                  // renames it to run/fields.h5
///
/// auto in = io::File::open("run/fields.h5");                      // read-only, this rank alone
/// auto u0 = io::read<Kokkos::View<double****, Kokkos::LayoutRight>>(in, "u");
/// \endcode
///
/// **Atomic writes.** `create` never touches the file at `path`: it writes to a temporary file
/// `<path>.tmp-<pid>-<n>` in the same directory (the name is chosen on rank 0 and shared), and
/// `commit()` closes it, flushes it to disk and renames it to `path` in one step, so readers
/// see either the old file or the complete new one. A File destroyed without `commit()` (an
/// exception, an early return) deletes its temporary and leaves whatever was at `path`
/// untouched. A process that is killed leaves its temporary behind (the name says which
/// process wrote it); `path` is still untouched.
///
/// **Ranks.** A File made on a communicator of one rank (MPI_COMM_SELF, the default) is private
/// to the calling rank. On more ranks the file is opened with HDF5's MPI-IO driver and every
/// function taking the File (`commit`, the destructor, the functions of views.hpp and
/// attributes.hpp, `has_dataset`, `datasets`) is collective: all ranks call it, in the same
/// order, with the same names. An exception thrown on some ranks only, between `create` and
/// `commit`, leaves the others waiting in the next collective call, as with any MPI collective;
/// the functions of torus::io check their inputs on all ranks together so that their own errors
/// are raised everywhere at once.

#include <mpi.h>

#include <cstdint>
#include <string>
#include <vector>

namespace torus::io {

/// An open HDF5 file. Move-only; closing happens in the destructor (or in `commit()`).
class File {
 public:
  /// Opens the existing HDF5 file at `path` read-only, on the ranks of `comm`.
  /// Throws torus::Error when the file does not exist, cannot be read, or is not HDF5.
  static File open(const std::string& path, MPI_Comm comm = MPI_COMM_SELF);

  /// Starts writing a new HDF5 file that will replace `path` on `commit()`; see the file
  /// comment. The data goes to a temporary file next to `path` until then. Throws torus::Error
  /// when the parent directory does not exist, is not a directory or is not writable, when
  /// `path` is a directory, or when HDF5 cannot create the temporary file.
  static File create(const std::string& path, MPI_Comm comm = MPI_COMM_SELF);

  /// Takes over `other`'s open file (and its duty to commit or discard); `other` is closed.
  File(File&& other) noexcept;
  /// Discards this File's own file (as the destructor does), then takes over `other`'s.
  File& operator=(File&& other) noexcept;
  File(const File&) = delete;
  File& operator=(const File&) = delete;

  /// Closes the file. A file being written that was not committed is deleted, and `path()` is
  /// left as it was. Never throws.
  ~File();

  /// Finishes a file made by `create`: closes it, flushes it to disk and renames the temporary
  /// to `path()`, replacing any file there. Collective. Afterwards the File is closed.
  /// Throws torus::Error when the File was opened for reading or is already committed, or when
  /// closing or renaming fails (the temporary is then deleted and `path()` left untouched).
  void commit();

  /// True when `name` ("u", "fields/u", leading '/' optional) is a dataset of the file.
  /// Throws torus::Error when the file is closed.
  bool has_dataset(const std::string& name) const;

  /// The paths of every dataset in group `group` and below ("fields/u", no leading '/'),
  /// sorted. Throws torus::Error when `group` is not a group of the file.
  std::vector<std::string> datasets(const std::string& group = "/") const;

  /// The path the file has (read) or will have once committed (write).
  const std::string& path() const { return path_; }
  /// Where the data is written until `commit()`; empty for a file opened for reading.
  const std::string& temporary_path() const { return temporary_; }
  /// True for a file made by `create` and not yet committed.
  bool writable() const { return writable_ && is_open(); }
  /// True until the file is closed by `commit()` (or moved from).
  bool is_open() const { return id_ >= 0; }
  /// True when the file is shared by more than one rank (MPI-IO driver, collective calls).
  bool parallel() const { return ranks_ > 1; }
  /// The communicator the file was opened on; it must outlive the File.
  MPI_Comm comm() const { return comm_; }

  /// The raw HDF5 file identifier (hid_t), for code that calls HDF5 directly.
  /// Throws torus::Error when the file is closed.
  std::int64_t hid() const;

 private:
  File() = default;
  void release() noexcept;

  std::int64_t id_ = -1;
  std::string path_;
  std::string temporary_;
  MPI_Comm comm_ = MPI_COMM_SELF;
  int rank_ = 0;
  int ranks_ = 1;
  bool writable_ = false;
};

}  // namespace torus::io
