#include "torus/io/views.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <numeric>

#include "torus/core/error.hpp"
#include "torus/io/hdf5_detail.hpp"

namespace torus::io {
namespace detail {
namespace {

const char* element_name(Element element) {
  switch (element) {
    case Element::f32:
      return "float";
    case Element::f64:
      return "double";
    case Element::i32:
      return "int32";
    case Element::i64:
      return "int64";
    case Element::c64:
      return "complex<float>";
    case Element::c128:
      return "complex<double>";
  }
  return "?";
}

Handle copy_of(hid_t type) { return Handle(H5Tcopy(type), H5Tclose); }

/// The compound {"r": part, "i": part} that h5py reads as a numpy complex number.
Handle complex_of(hid_t part) {
  const std::size_t size = H5Tget_size(part);
  Handle type(H5Tcreate(H5T_COMPOUND, 2 * size), H5Tclose);
  if (!type || H5Tinsert(type.get(), "r", 0, part) < 0 ||
      H5Tinsert(type.get(), "i", size, part) < 0) {
    TORUS_H5_FAIL("cannot build the HDF5 complex type", "torus::io", "");
  }
  return type;
}

/// How values of `element` are laid out in memory (the View's element type).
Handle memory_type(Element element) {
  switch (element) {
    case Element::f32:
      return copy_of(H5T_NATIVE_FLOAT);
    case Element::f64:
      return copy_of(H5T_NATIVE_DOUBLE);
    case Element::i32:
      return copy_of(H5T_NATIVE_INT32);
    case Element::i64:
      return copy_of(H5T_NATIVE_INT64);
    case Element::c64:
      return complex_of(H5T_NATIVE_FLOAT);
    case Element::c128:
      return complex_of(H5T_NATIVE_DOUBLE);
  }
  return {};
}

/// How values of `element` are stored in files: fixed little-endian types, whatever the host.
Handle file_type(Element element) {
  switch (element) {
    case Element::f32:
      return copy_of(H5T_IEEE_F32LE);
    case Element::f64:
      return copy_of(H5T_IEEE_F64LE);
    case Element::i32:
      return copy_of(H5T_STD_I32LE);
    case Element::i64:
      return copy_of(H5T_STD_I64LE);
    case Element::c64:
      return complex_of(H5T_IEEE_F32LE);
    case Element::c128:
      return complex_of(H5T_IEEE_F64LE);
  }
  return {};
}

bool is_float_member(hid_t compound, const char* name) {
  const int index = H5Tget_member_index(compound, name);
  return index >= 0 && H5Tget_member_class(compound, static_cast<unsigned>(index)) == H5T_FLOAT;
}

/// Whether HDF5 may convert values of file type `type` to `element` without changing their
/// kind: floats to floats, integers to integers no narrower, complex to complex.
bool converts_to(hid_t type, Element element) {
  const H5T_class_t type_class = H5Tget_class(type);
  switch (element) {
    case Element::f32:
    case Element::f64:
      return type_class == H5T_FLOAT;
    case Element::i32:
    case Element::i64: {
      if (type_class != H5T_INTEGER) return false;
      const std::size_t wanted = element == Element::i32 ? 4 : 8;
      const std::size_t stored = H5Tget_size(type);
      return stored < wanted || (stored == wanted && H5Tget_sign(type) == H5T_SGN_2);
    }
    case Element::c64:
    case Element::c128:
      return type_class == H5T_COMPOUND && H5Tget_nmembers(type) == 2 &&
             is_float_member(type, "r") && is_float_member(type, "i");
  }
  return false;
}

std::string shape_text(const Extents& n) {
  std::string text = "(";
  for (std::size_t r = 0; r < n.size(); ++r) text += (r ? ", " : "") + std::to_string(n[r]);
  return text + (n.size() == 1 ? ",)" : ")");
}

/// Opens dataset `name`, or throws an error that lists what the file does hold.
Handle open_dataset(const File& file, const std::string& name) {
  if (!file.has_dataset(name)) {
    const auto names = file.datasets();
    std::string held;
    for (std::size_t i = 0; i < names.size() && i < 8; ++i) held += (i ? ", " : "") + names[i];
    if (names.size() > 8) held += ", ...";
    TORUS_THROW(
        "no dataset '" + name + "'", describe_file(file.path()),
        names.empty() ? std::string("the file holds no datasets") : "the file holds: " + held);
  }
  Handle dataset(H5Dopen2(file.hid(), name.c_str(), H5P_DEFAULT), H5Dclose);
  if (!dataset) TORUS_H5_FAIL("cannot open dataset '" + name + "'", describe_file(file.path()), "");
  return dataset;
}

/// Throws a torus::Error on every rank of a parallel file when any rank found a problem: the
/// ranks that found it say what it is, the others which rank to look at.
void agree(const File& file, const std::string& problem, const std::string& fix) {
  int first_bad = problem.empty() ? std::numeric_limits<int>::max() : 0;
  if (file.parallel()) {
    int rank = 0;
    MPI_Comm_rank(file.comm(), &rank);
    if (!problem.empty()) first_bad = rank;
    MPI_Allreduce(MPI_IN_PLACE, &first_bad, 1, MPI_INT, MPI_MIN, file.comm());
  }
  if (first_bad == std::numeric_limits<int>::max()) return;
  if (!problem.empty()) TORUS_THROW(problem, describe_file(file.path()), fix);
  TORUS_THROW("the slab given on rank " + std::to_string(first_bad) +
                  " is invalid (that rank's error says how)",
              describe_file(file.path()), fix);
}

/// One rank's share of a collective write, as gathered on every rank.
struct Share {
  int axis = -1;
  std::int64_t offset = 0;
  std::int64_t count = 0;
  Extents extents;
};

/// Every rank's share, in rank order.
std::vector<Share> gather_shares(const File& file, const Extents& local, const Slab* slab) {
  const int rank = static_cast<int>(local.size());
  std::vector<std::int64_t> mine = {slab ? slab->axis : -1, slab ? slab->offset : 0,
                                    slab ? slab->count : 0};
  mine.insert(mine.end(), local.begin(), local.end());
  int ranks = 1;
  MPI_Comm_size(file.comm(), &ranks);
  std::vector<std::int64_t> all(mine.size() * ranks);
  if (ranks > 1) {
    MPI_Allgather(mine.data(), static_cast<int>(mine.size()), MPI_INT64_T, all.data(),
                  static_cast<int>(mine.size()), MPI_INT64_T, file.comm());
  } else {
    all = mine;
  }
  std::vector<Share> shares(ranks);
  for (int r = 0; r < ranks; ++r) {
    const auto* row = all.data() + r * mine.size();
    shares[r] = {static_cast<int>(row[0]), row[1], row[2], Extents(row + 3, row + 3 + rank)};
  }
  return shares;
}

/// The global extents of a collective write and where this rank's block starts in them; throws
/// the same error on every rank when the ranks' shares do not make one array.
Extents global_extents(const File& file, const std::string& name, const Extents& local,
                       const Slab* slab, Extents& offset) {
  const int rank = static_cast<int>(local.size());
  offset.assign(rank, 0);
  if (slab == nullptr && !file.parallel()) return local;

  // 1. What each rank can check alone, agreed on before anyone gathers.
  std::string problem;
  if (slab != nullptr) {
    if (slab->axis < 0 || slab->axis >= rank) {
      problem = "slab axis " + std::to_string(slab->axis) + " is not an axis of the rank-" +
                std::to_string(rank) + " View written to '" + name + "'";
    } else if (slab->offset < 0 || slab->count != local[slab->axis]) {
      problem = "slab (offset " + std::to_string(slab->offset) + ", count " +
                std::to_string(slab->count) + ") does not describe the View written to '" + name +
                "', whose extent along axis " + std::to_string(slab->axis) + " is " +
                std::to_string(local[slab->axis]);
    }
  }
  agree(file, problem, "give Slab{axis, offset >= 0, count = local.extent(axis)}");

  // 2. The ranks' shares must be one array: same extents off the axis, slabs that tile it.
  const auto shares = gather_shares(file, local, slab);
  const int axis = slab ? slab->axis : -1;
  for (std::size_t r = 0; r < shares.size(); ++r) {
    bool same = shares[r].axis == axis;
    for (int a = 0; a < rank; ++a) {
      same = same && (a == axis || shares[r].extents[a] == shares[0].extents[a]);
    }
    if (!same) {
      TORUS_THROW("ranks 0 and " + std::to_string(r) + " write arrays of different shapes " +
                      shape_text(shares[0].extents) + " and " + shape_text(shares[r].extents) +
                      (axis >= 0 ? " (or split them along different axes)" : "") + " to '" + name +
                      "'",
                  describe_file(file.path()),
                  slab ? "split one array along one axis on every rank"
                       : "write the same array from every rank, or use write_slab for an array "
                         "split over the ranks");
    }
  }
  if (slab == nullptr) return local;

  std::vector<const Share*> order;
  for (const auto& share : shares) {
    if (share.count > 0) order.push_back(&share);
  }
  std::sort(order.begin(), order.end(),
            [](const Share* a, const Share* b) { return a->offset < b->offset; });
  std::int64_t next = 0;
  for (const Share* share : order) {
    if (share->offset != next) {
      TORUS_THROW("the slabs written to '" + name + "' do not tile axis " + std::to_string(axis) +
                      ": a slab starts at " + std::to_string(share->offset) + " where " +
                      std::to_string(next) + " was expected",
                  describe_file(file.path()),
                  "give each rank offset = the sum of the counts of the ranks before it");
    }
    next += share->count;
  }
  Extents global = local;
  global[axis] = next;
  offset[axis] = slab->offset;
  return global;
}

/// Moves this rank's block between `data` and the dataset; collective on a parallel file.
/// An inactive rank (or an empty block) takes part with an empty selection.
void transfer(const File& file, const std::string& name, hid_t dataset, Element element, void* data,
              const Extents& local, const Extents& offset, bool active, bool writing) {
  const int rank = static_cast<int>(local.size());
  std::vector<hsize_t> start(offset.begin(), offset.end());
  std::vector<hsize_t> count(local.begin(), local.end());
  const std::int64_t points =
      std::accumulate(local.begin(), local.end(), std::int64_t{1}, std::multiplies<>());
  active = active && points > 0;

  Handle file_space(H5Dget_space(dataset), H5Sclose);
  Handle memory_space(H5Screate_simple(rank, count.data(), nullptr), H5Sclose);
  Handle transfer_list(H5Pcreate(H5P_DATASET_XFER), H5Pclose);
  Handle type = memory_type(element);
  herr_t status = (file_space && memory_space && transfer_list && type) ? 0 : -1;
  if (status >= 0 && active) {
    status = H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr,
                                 count.data(), nullptr);
  } else if (status >= 0) {
    status = std::min(H5Sselect_none(file_space.get()), H5Sselect_none(memory_space.get()));
  }
  if (status >= 0 && file.parallel()) {
    status = H5Pset_dxpl_mpio(transfer_list.get(), H5FD_MPIO_COLLECTIVE);
  }

  // HDF5 wants a buffer even for an empty selection.
  char empty = 0;
  void* buffer = active ? data : &empty;
  if (status >= 0) {
    status = writing ? H5Dwrite(dataset, type.get(), memory_space.get(), file_space.get(),
                                transfer_list.get(), buffer)
                     : H5Dread(dataset, type.get(), memory_space.get(), file_space.get(),
                               transfer_list.get(), buffer);
  }
  if (status < 0) {
    TORUS_H5_FAIL(std::string("cannot ") + (writing ? "write" : "read") + " dataset '" + name +
                      "' as " + element_name(element),
                  describe_file(file.path()),
                  writing ? "check the free space of the file system" : "");
  }
}

}  // namespace

void write_block(File& file, const std::string& name, Element element, const void* data,
                 const Extents& local, const Slab* slab) {
  const std::string where = describe_file(file.path());
  TORUS_REQUIRE(file.writable(),
                "cannot write dataset '" + name +
                    "': the file is not open for writing (opened for reading, or committed)",
                where, "write into a File made by io::File::create, before commit()");
  TORUS_REQUIRE(!name.empty() && name != "/", "a dataset needs a name", where,
                "give a name such as \"u\" or \"fields/u\"");
  TORUS_REQUIRE(!file.has_dataset(name), "dataset '" + name + "' is already in the file", where,
                "give each array its own name (files are written once, from scratch)");
  for (std::size_t slash = name.find('/', 1); slash != std::string::npos;
       slash = name.find('/', slash + 1)) {
    TORUS_REQUIRE(
        !file.has_dataset(name.substr(0, slash)),
        "cannot put dataset '" + name + "' inside dataset '" + name.substr(0, slash) + "'", where,
        "only groups hold datasets: choose another name");
  }
  QuietErrors quiet;

  Extents offset;
  const Extents global = global_extents(file, name, local, slab, offset);
  std::vector<hsize_t> dims(global.begin(), global.end());
  Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
  Handle type = file_type(element);
  Handle links(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
  if (!space || !type || !links || H5Pset_create_intermediate_group(links.get(), 1) < 0) {
    TORUS_H5_FAIL("cannot describe dataset '" + name + "' " + shape_text(global), where, "");
  }
  Handle dataset(H5Dcreate2(file.hid(), name.c_str(), type.get(), space.get(), links.get(),
                            H5P_DEFAULT, H5P_DEFAULT),
                 H5Dclose);
  if (!dataset) {
    TORUS_H5_FAIL("cannot create dataset '" + name + "' " + shape_text(global), where, "");
  }

  // A whole array on a parallel file: every rank holds it, rank 0 writes it.
  int rank = 0;
  MPI_Comm_rank(file.comm(), &rank);
  const bool active = slab != nullptr || rank == 0;
  transfer(file, name, dataset.get(), element, const_cast<void*>(data), local, offset, active,
           true);
}

Extents block_extents(const File& file, const std::string& name, Element element, int rank,
                      const Slab* slab) {
  const std::string where = describe_file(file.path());
  QuietErrors quiet;
  Handle dataset = open_dataset(file, name);
  Handle type(H5Dget_type(dataset.get()), H5Tclose);
  Handle space(H5Dget_space(dataset.get()), H5Sclose);
  if (!type || !space) TORUS_H5_FAIL("cannot inspect dataset '" + name + "'", where, "");

  if (!converts_to(type.get(), element)) {
    TORUS_THROW("dataset '" + name + "' holds " + describe_type(type.get()) +
                    ", which do not read as " + element_name(element),
                where, "read it into a View of the value type it holds");
  }
  const int stored_rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> dims(stored_rank > 0 ? stored_rank : 0);
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  Extents n(dims.begin(), dims.end());
  if (stored_rank != rank) {
    TORUS_THROW("dataset '" + name + "' has rank " + std::to_string(stored_rank) + ", extents " +
                    shape_text(n) + ", but the View has rank " + std::to_string(rank),
                where, "read it into a View of rank " + std::to_string(stored_rank));
  }
  if (slab == nullptr) return n;

  std::string problem;
  if (slab->axis < 0 || slab->axis >= rank) {
    problem = "slab axis " + std::to_string(slab->axis) + " is not an axis of dataset '" + name +
              "' " + shape_text(n);
  } else if (slab->offset < 0 || slab->count < 0 || slab->offset + slab->count > n[slab->axis]) {
    problem = "slab [" + std::to_string(slab->offset) + ", " +
              std::to_string(slab->offset + slab->count) + ") lies outside axis " +
              std::to_string(slab->axis) + " of dataset '" + name + "' " + shape_text(n);
  }
  agree(file, problem, "choose slabs inside the dataset's extents (io::dataset_extents)");
  n[slab->axis] = slab->count;
  return n;
}

void read_block(const File& file, const std::string& name, Element element, void* data,
                const Extents& local, const Slab* slab) {
  QuietErrors quiet;
  Handle dataset = open_dataset(file, name);
  Extents offset(local.size(), 0);
  if (slab != nullptr) offset[slab->axis] = slab->offset;
  transfer(file, name, dataset.get(), element, data, local, offset, true, false);
}

void read_hyperslab(const File& file, const std::string& name, Element element,
                    const Hyperslab& box, void* data) {
  const std::string where = describe_file(file.path());
  TORUS_REQUIRE(!file.parallel(),
                "read_hyperslab of dataset '" + name + "' on a file shared by several ranks", where,
                "open the file on MPI_COMM_SELF on each rank that reads a box of it");
  const Extents n = block_extents(file, name, element, static_cast<int>(box.count.size()), nullptr);
  const std::size_t rank = n.size();
  const Extents stride = box.stride.empty() ? Extents(rank, 1) : box.stride;
  bool inside = box.start.size() == rank && stride.size() == rank;
  for (std::size_t a = 0; inside && a < rank; ++a) {
    // The last index read along axis a is start + (count - 1) stride.
    inside = box.start[a] >= 0 && box.count[a] >= 0 && stride[a] >= 1 &&
             (box.count[a] == 0 || box.start[a] + (box.count[a] - 1) * stride[a] < n[a]);
  }
  if (!inside) {
    TORUS_THROW("the box (start " + shape_text(box.start) + ", count " + shape_text(box.count) +
                    ", stride " + shape_text(stride) + ") does not lie inside dataset '" + name +
                    "' " + shape_text(n),
                where, "give one start, count and stride per axis, inside io::dataset_extents");
  }

  QuietErrors quiet;
  Handle dataset = open_dataset(file, name);
  std::vector<hsize_t> start(box.start.begin(), box.start.end());
  std::vector<hsize_t> count(box.count.begin(), box.count.end());
  std::vector<hsize_t> step(stride.begin(), stride.end());
  const std::int64_t points =
      std::accumulate(box.count.begin(), box.count.end(), std::int64_t{1}, std::multiplies<>());
  if (points == 0) return;
  Handle file_space(H5Dget_space(dataset.get()), H5Sclose);
  Handle memory_space(H5Screate_simple(static_cast<int>(rank), count.data(), nullptr), H5Sclose);
  Handle type = memory_type(element);
  herr_t status = (file_space && memory_space && type) ? 0 : -1;
  if (status >= 0) {
    status = H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), step.data(),
                                 count.data(), nullptr);
  }
  if (status >= 0) {
    status =
        H5Dread(dataset.get(), type.get(), memory_space.get(), file_space.get(), H5P_DEFAULT, data);
  }
  if (status < 0) {
    TORUS_H5_FAIL("cannot read a box of dataset '" + name + "' as " + element_name(element), where,
                  "check that the file is complete (not truncated)");
  }
}

}  // namespace detail

std::vector<std::int64_t> dataset_extents(const File& file, const std::string& name) {
  detail::QuietErrors quiet;
  detail::Handle dataset = detail::open_dataset(file, name);
  detail::Handle space(H5Dget_space(dataset.get()), H5Sclose);
  const int rank = space ? H5Sget_simple_extent_ndims(space.get()) : -1;
  if (rank < 0) {
    TORUS_H5_FAIL("cannot read the extents of dataset '" + name + "'",
                  detail::describe_file(file.path()), "");
  }
  std::vector<hsize_t> dims(rank);
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  return std::vector<std::int64_t>(dims.begin(), dims.end());
}

}  // namespace torus::io
