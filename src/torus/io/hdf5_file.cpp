#include "torus/io/hdf5_file.hpp"

#include <algorithm>
#include <cstdio>
#include <type_traits>
#include <utility>

#include "torus/core/error.hpp"
#include "torus/core/log.hpp"
#include "torus/io/file_system.hpp"
#include "torus/io/hdf5_detail.hpp"

namespace torus::io {

static_assert(std::is_same_v<hid_t, std::int64_t>, "File stores hid_t as std::int64_t");

using detail::describe_file;
using detail::Handle;
using detail::QuietErrors;

namespace {

/// A verdict reached on rank 0 and shared, so that every rank throws the same error or none.
struct Verdict {
  std::string problem;  // empty: all is well
  std::string fix;
  std::string value;  // a result for all ranks (the temporary file name)
};

void broadcast(std::string& text, MPI_Comm comm) {
  unsigned long long size = text.size();
  MPI_Bcast(&size, 1, MPI_UNSIGNED_LONG_LONG, 0, comm);
  text.resize(size);
  if (size > 0) MPI_Bcast(text.data(), static_cast<int>(size), MPI_CHAR, 0, comm);
}

template <class Check>
Verdict on_rank_0(MPI_Comm comm, int rank, int ranks, Check check) {
  Verdict verdict;
  if (rank == 0) verdict = check();
  if (ranks > 1) {
    broadcast(verdict.problem, comm);
    broadcast(verdict.fix, comm);
    broadcast(verdict.value, comm);
  }
  return verdict;
}

/// A problem of the file system as every rank's verdict.
Verdict verdict_of(const detail::PathProblem& problem) {
  return {problem.problem, problem.fix, ""};
}

/// Why the file at `path` cannot be opened for reading, or an empty verdict.
Verdict check_readable_file(const std::string& path) {
  if (const auto problem = detail::unreadable_file(path)) return verdict_of(problem);
  QuietErrors quiet;
  if (H5Fis_hdf5(path.c_str()) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    return {"not an HDF5 file", "give a file written by torus, h5py or another HDF5 program", ""};
  }
  return {};
}

Handle file_access(MPI_Comm comm, int ranks, const std::string& path) {
  Handle fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  if (!fapl) TORUS_H5_FAIL("cannot make a file access property list", describe_file(path), "");
  if (ranks > 1 && H5Pset_fapl_mpio(fapl.get(), comm, MPI_INFO_NULL) < 0) {
    TORUS_H5_FAIL("cannot select the MPI-IO driver", describe_file(path),
                  "check that HDF5 was built with MPI (libhdf5-openmpi)");
  }
  return fapl;
}

}  // namespace

File File::open(const std::string& path, MPI_Comm comm) {
  File file;
  file.path_ = path;
  file.comm_ = comm;
  MPI_Comm_rank(comm, &file.rank_);
  MPI_Comm_size(comm, &file.ranks_);

  const Verdict verdict =
      on_rank_0(comm, file.rank_, file.ranks_, [&] { return check_readable_file(path); });
  if (!verdict.problem.empty()) TORUS_THROW(verdict.problem, describe_file(path), verdict.fix);

  QuietErrors quiet;
  Handle fapl = file_access(comm, file.ranks_, path);
  file.id_ = H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.get());
  if (file.id_ < 0) {
    TORUS_H5_FAIL(
        "cannot open the file", describe_file(path),
        "check that no other program is writing it and that it is not truncated; on a file "
        "system without locks, set HDF5_USE_FILE_LOCKING=FALSE");
  }
  return file;
}

File File::create(const std::string& path, MPI_Comm comm) {
  TORUS_REQUIRE(!path.empty(), "empty file name", "io::File::create", "give the path to write");
  File file;
  file.path_ = path;
  file.comm_ = comm;
  MPI_Comm_rank(comm, &file.rank_);
  MPI_Comm_size(comm, &file.ranks_);

  const Verdict verdict = on_rank_0(comm, file.rank_, file.ranks_, [&] {
    Verdict v = verdict_of(detail::unwritable_location(path));
    if (v.problem.empty()) v.value = detail::temporary_name(path);
    return v;
  });
  if (!verdict.problem.empty()) TORUS_THROW(verdict.problem, describe_file(path), verdict.fix);
  file.temporary_ = verdict.value;

  QuietErrors quiet;
  Handle fapl = file_access(comm, file.ranks_, path);
  file.id_ = H5Fcreate(file.temporary_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get());
  if (file.id_ < 0) {
    const std::string reason = detail::error_stack();
    if (file.rank_ == 0) std::remove(file.temporary_.c_str());  // a half-made file, if any
    TORUS_THROW("cannot create the temporary file '" + file.temporary_ + "' (HDF5: " + reason + ")",
                describe_file(path),
                "check the free space and permissions of the directory; on a file system "
                "without locks, set HDF5_USE_FILE_LOCKING=FALSE");
  }
  file.writable_ = true;
  log::debug("io: writing {} through {}", path, file.temporary_);
  return file;
}

File::File(File&& other) noexcept
    : id_(std::exchange(other.id_, -1)),
      path_(std::move(other.path_)),
      temporary_(std::move(other.temporary_)),
      comm_(other.comm_),
      rank_(other.rank_),
      ranks_(other.ranks_),
      writable_(std::exchange(other.writable_, false)) {}

File& File::operator=(File&& other) noexcept {
  if (this != &other) {
    release();
    id_ = std::exchange(other.id_, -1);
    path_ = std::move(other.path_);
    temporary_ = std::move(other.temporary_);
    comm_ = other.comm_;
    rank_ = other.rank_;
    ranks_ = other.ranks_;
    writable_ = std::exchange(other.writable_, false);
  }
  return *this;
}

File::~File() { release(); }

void File::release() noexcept {
  if (id_ < 0) return;
  QuietErrors quiet;
  H5Fclose(id_);
  H5Eclear2(H5E_DEFAULT);
  id_ = -1;
  if (!writable_) return;

  // An uncommitted write: drop the temporary once every rank has closed it.
  int finalized = 0;
  MPI_Finalized(&finalized);
  if (ranks_ > 1 && !finalized) MPI_Barrier(comm_);
  if (rank_ == 0) std::remove(temporary_.c_str());
  log::debug("io: discarded unfinished {}", path_);
}

void File::commit() {
  TORUS_REQUIRE(is_open(), "the file is already closed (committed once, or moved from)",
                describe_file(path_), "commit a file once, after its last write");
  TORUS_REQUIRE(writable_, "the file was opened for reading; there is nothing to commit",
                describe_file(path_), "commit files made by io::File::create");

  // 1. Every rank closes its handle: HDF5 writes its metadata and MPI-IO its buffers.
  QuietErrors quiet;
  int failed = H5Fclose(id_) < 0 ? 1 : 0;
  id_ = -1;
  const std::string reason = detail::error_stack();
  if (ranks_ > 1) MPI_Allreduce(MPI_IN_PLACE, &failed, 1, MPI_INT, MPI_MAX, comm_);
  if (failed) {
    if (rank_ == 0) std::remove(temporary_.c_str());
    TORUS_THROW(
        "cannot finish writing the file" + (reason.empty() ? "" : " (HDF5: " + reason + ")"),
        describe_file(path_), "check the free space of the file system and retry");
  }

  // 2. After that barrier, rank 0 puts the complete file in place of the old one.
  const Verdict verdict = on_rank_0(comm_, rank_, ranks_, [&] {
    return verdict_of(detail::replace_atomically(temporary_, path_));
  });
  if (!verdict.problem.empty()) TORUS_THROW(verdict.problem, describe_file(path_), verdict.fix);
  log::debug("io: committed {}", path_);
}

std::int64_t File::hid() const {
  TORUS_REQUIRE(is_open(), "the file is closed (committed, or moved from)", describe_file(path_),
                "use a File before commit(), or open the committed file with io::File::open");
  return id_;
}

bool File::has_dataset(const std::string& name) const {
  const hid_t file = hid();
  QuietErrors quiet;

  // H5Lexists fails rather than answering "no" when a group on the way is missing, so walk
  // the path one link at a time.
  std::string partial;
  std::size_t begin = 0;
  while (begin <= name.size()) {
    std::size_t end = name.find('/', begin);
    if (end == std::string::npos) end = name.size();
    if (end > begin) {
      partial += "/" + name.substr(begin, end - begin);
      if (H5Lexists(file, partial.c_str(), H5P_DEFAULT) <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return false;
      }
    }
    begin = end + 1;
  }
  if (partial.empty()) return false;

  Handle object(H5Oopen(file, partial.c_str(), H5P_DEFAULT), H5Oclose);
  H5Eclear2(H5E_DEFAULT);
  return object && H5Iget_type(object.get()) == H5I_DATASET;
}

namespace {

struct Listing {
  std::string prefix;
  std::vector<std::string> names;
};

herr_t visit_link(hid_t group, const char* name, const H5L_info_t* info, void* data) {
  if (info->type != H5L_TYPE_HARD) return 0;
  Handle object(H5Oopen(group, name, H5P_DEFAULT), H5Oclose);
  if (object && H5Iget_type(object.get()) == H5I_DATASET) {
    auto& listing = *static_cast<Listing*>(data);
    listing.names.push_back(listing.prefix + name);
  }
  return 0;
}

}  // namespace

std::vector<std::string> File::datasets(const std::string& group) const {
  const hid_t file = hid();
  QuietErrors quiet;
  const std::string where = group.empty() ? "/" : group;
  Handle handle(H5Gopen2(file, where.c_str(), H5P_DEFAULT), H5Gclose);
  if (!handle) {
    TORUS_H5_FAIL("no group '" + where + "' to list", describe_file(path_),
                  "list an existing group, or \"/\" for the whole file");
  }

  Listing listing;
  const std::size_t first = where.find_first_not_of('/');
  const std::size_t last = where.find_last_not_of('/');
  if (first != std::string::npos) listing.prefix = where.substr(first, last - first + 1) + "/";
  if (H5Lvisit(handle.get(), H5_INDEX_NAME, H5_ITER_INC, visit_link, &listing) < 0) {
    TORUS_H5_FAIL("cannot list the datasets under '" + where + "'", describe_file(path_), "");
  }
  std::sort(listing.names.begin(), listing.names.end());
  return listing.names;
}

}  // namespace torus::io
