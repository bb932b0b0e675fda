// io::File: atomic creation (commit renames, an uncommitted File leaves no trace and replaces
// nothing), serial and parallel files, the dataset listing, and the errors a user can provoke.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "io/io_support.hpp"
#include "torus/core/error.hpp"
#include "torus/io/attributes.hpp"
#include "torus/io/hdf5_file.hpp"
#include "torus/io/views.hpp"

namespace torus::io {
namespace {

namespace fs = std::filesystem;
using testing::error_of;
using testing::ScratchTest;

using FileTest = ScratchTest;

// Writes a committed file at `path` whose root attribute "version" is `version`.
void write_version(const std::string& path, std::int64_t version, MPI_Comm comm = MPI_COMM_SELF) {
  auto file = File::create(path, comm);
  write_attribute(file, "/", "version", version);
  file.commit();
}

std::int64_t version_of(const std::string& path) {
  return read_attribute<std::int64_t>(File::open(path), "/", "version");
}

TEST_F(FileTest, CommitMovesTheTemporaryToThePath) {
  const std::string path = mine("a.h5");
  auto file = File::create(path);
  EXPECT_TRUE(file.writable());
  EXPECT_FALSE(file.parallel());
  EXPECT_EQ(file.path(), path);
  EXPECT_EQ(fs::path(file.temporary_path()).parent_path(), fs::path(path).parent_path());
  EXPECT_TRUE(fs::exists(file.temporary_path()));
  EXPECT_FALSE(fs::exists(path));

  write_attribute(file, "/", "version", std::int64_t{1});
  const std::string temporary = file.temporary_path();
  file.commit();
  EXPECT_FALSE(file.is_open());
  EXPECT_FALSE(fs::exists(temporary));
  EXPECT_EQ(version_of(path), 1);

  write_version(path, 2);
  EXPECT_EQ(version_of(path), 2) << "a commit replaces the file at the path";
}

TEST_F(FileTest, UncommittedFileLeavesNoTemporaryAndReplacesNothing) {
  const std::string path = mine("kept.h5");
  write_version(path, 1);
  MPI_Barrier(world);
  const int before = entries();
  MPI_Barrier(world);  // every rank has counted before any makes a temporary of its own

  std::string temporary;
  {
    auto file = File::create(path);
    temporary = file.temporary_path();
    write_attribute(file, "/", "version", std::int64_t{2});
    write(file, "x", testing::coded_view<double, 1>("x", 4));
  }
  EXPECT_FALSE(fs::exists(temporary));
  EXPECT_EQ(version_of(path), 1);

  // The same when an exception unwinds the writer.
  try {
    auto file = File::create(path);
    temporary = file.temporary_path();
    write_attribute(file, "/", "version", std::int64_t{3});
    throw std::runtime_error("the solver blew up");
  } catch (const std::runtime_error&) {
  }
  EXPECT_FALSE(fs::exists(temporary));
  EXPECT_EQ(version_of(path), 1);

  // A writer that never commits leaves no new file when nothing was there either.
  { auto file = File::create(mine("never.h5")); }
  EXPECT_FALSE(fs::exists(mine("never.h5")));

  MPI_Barrier(world);
  EXPECT_EQ(entries(), before);
}

TEST_F(FileTest, MovedFileCommitsOnce) {
  const std::string path = mine("moved.h5");
  auto first = File::create(path);
  File second = std::move(first);
  EXPECT_FALSE(first.is_open());
  write_attribute(second, "/", "version", std::int64_t{7});
  second.commit();
  EXPECT_EQ(version_of(path), 7);
  EXPECT_THROW(second.commit(), Error);
  EXPECT_THROW(first.commit(), Error);
}

TEST_F(FileTest, ParallelFileIsCreatedAndCommittedByAllRanks) {
  const std::string path = shared("parallel.h5");
  {
    auto file = File::create(path, world);
    EXPECT_EQ(file.parallel(), ranks > 1);
    write_attribute(file, "/", "version", std::int64_t{5});
  }
  EXPECT_FALSE(fs::exists(path)) << "an uncommitted parallel file is dropped too";
  MPI_Barrier(world);
  EXPECT_EQ(entries(), 0);

  write_version(path, 6, world);
  EXPECT_EQ(version_of(path), 6);
  auto file = File::open(path, world);
  EXPECT_EQ(read_attribute<std::int64_t>(file, "/", "version"), 6);
}

TEST_F(FileTest, ListsAndFindsDatasets) {
  const std::string path = mine("tree.h5");
  {
    auto file = File::create(path);
    const auto x = testing::coded_view<float, 1>("x", 3);
    write(file, "a", x);
    write(file, "g/b", x);
    write(file, "/g/h/c", x);
    file.commit();
  }
  auto file = File::open(path);
  EXPECT_EQ(file.datasets(), (std::vector<std::string>{"a", "g/b", "g/h/c"}));
  EXPECT_EQ(file.datasets("g"), (std::vector<std::string>{"g/b", "g/h/c"}));
  EXPECT_EQ(file.datasets("/g/h/"), (std::vector<std::string>{"g/h/c"}));
  EXPECT_TRUE(file.has_dataset("a"));
  EXPECT_TRUE(file.has_dataset("/g/h/c"));
  EXPECT_FALSE(file.has_dataset("g")) << "a group is not a dataset";
  EXPECT_FALSE(file.has_dataset("missing"));
  EXPECT_FALSE(file.has_dataset("missing/deeper"));
  EXPECT_FALSE(file.has_dataset("a/below"));
  EXPECT_FALSE(file.has_dataset(""));
  EXPECT_NE(error_of([&] { file.datasets("nope"); }).find("no group 'nope'"), std::string::npos);
}

TEST_F(FileTest, OpenErrorsNameTheFileAndTheProblem) {
  const std::string missing = mine("missing.h5");
  const std::string message = error_of([&] { File::open(missing); });
  EXPECT_NE(message.find("file does not exist"), std::string::npos) << message;
  EXPECT_NE(message.find(missing), std::string::npos) << message;

  const std::string text = mine("notes.txt");
  std::ofstream(text) << "not hdf5\n";
  EXPECT_NE(error_of([&] { File::open(text); }).find("not an HDF5 file"), std::string::npos);
  EXPECT_NE(error_of([&] { File::open(directory); }).find("is a directory"), std::string::npos);
}

TEST_F(FileTest, CreateErrorsNameTheDirectoryProblem) {
  const std::string nowhere = mine("no/such/dir/f.h5");
  std::string message = error_of([&] { File::create(nowhere); });
  EXPECT_NE(message.find("does not exist"), std::string::npos) << message;
  EXPECT_NE(message.find("mkdir"), std::string::npos) << message;

  const std::string plain = mine("plain");
  std::ofstream(plain) << "a file\n";
  message = error_of([&] { File::create(plain + "/f.h5"); });
  EXPECT_NE(message.find("is not a directory"), std::string::npos) << message;

  message = error_of([&] { File::create(directory); });
  EXPECT_NE(message.find("is a directory"), std::string::npos) << message;
}

TEST_F(FileTest, CreateInAnUnwritableDirectoryIsExplained) {
  const std::string locked = mine("locked");
  fs::create_directory(locked);
  ::chmod(locked.c_str(), 0555);
  if (::access(locked.c_str(), W_OK) == 0) {
    // root ignores permissions, so there is nothing to provoke.
    ::chmod(locked.c_str(), 0755);
    GTEST_SKIP() << "running as a user who may write anywhere; permission error not testable";
  }
  const std::string message = error_of([&] { File::create(locked + "/f.h5"); });
  ::chmod(locked.c_str(), 0755);
  EXPECT_NE(message.find("cannot write in directory"), std::string::npos) << message;
}

TEST_F(FileTest, ReadOnlyAndCommittedFilesRefuseWrites) {
  const std::string path = mine("r.h5");
  write_version(path, 1);
  auto file = File::open(path);
  EXPECT_FALSE(file.writable());
  EXPECT_TRUE(file.temporary_path().empty());
  EXPECT_THROW(file.commit(), Error);
  EXPECT_THROW(write_attribute(file, "/", "version", std::int64_t{2}), Error);
  EXPECT_THROW(write(file, "x", testing::coded_view<double, 1>("x", 2)), Error);

  auto out = File::create(mine("c.h5"));
  out.commit();
  EXPECT_THROW(write_attribute(out, "/", "late", 1.0), Error);
  EXPECT_THROW(out.hid(), Error);
}

}  // namespace
}  // namespace torus::io
