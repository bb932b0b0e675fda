#include "torus/crystal/set_strings.hpp"

#include <hdf5.h>

#include "torus/core/error.hpp"

namespace torus::crystal::detail {
namespace {

// Closes an HDF5 identifier at the end of a scope, whatever happens in between.
class Handle {
 public:
  Handle(hid_t id, herr_t (*close)(hid_t)) : id_(id), close_(close) {}
  ~Handle() {
    if (id_ >= 0) close_(id_);
  }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  hid_t get() const { return id_; }

 private:
  hid_t id_;
  herr_t (*close_)(hid_t);
};

// A new HDF5 type for variable-length UTF-8 strings; the caller closes it.
hid_t new_string_type() {
  const hid_t type = H5Tcopy(H5T_C_S1);
  H5Tset_size(type, H5T_VARIABLE);
  H5Tset_cset(type, H5T_CSET_UTF8);
  return type;
}

}  // namespace

void write_strings(io::File& file, const std::string& name,
                   const std::vector<std::string>& values) {
  TORUS_REQUIRE(file.writable(), "the HDF5 file is not open for writing", file.path(),
                "write string datasets between File::create and commit");
  std::vector<const char*> pointers;
  pointers.reserve(values.size());
  for (const auto& v : values) pointers.push_back(v.c_str());

  const hsize_t n = values.size();
  Handle space(H5Screate_simple(1, &n, nullptr), H5Sclose);
  Handle links(H5Pcreate(H5P_LINK_CREATE), H5Pclose);
  H5Pset_create_intermediate_group(links.get(), 1);
  Handle type(new_string_type(), H5Tclose);
  Handle dataset(H5Dcreate2(static_cast<hid_t>(file.hid()), name.c_str(), type.get(), space.get(),
                            links.get(), H5P_DEFAULT, H5P_DEFAULT),
                 H5Dclose);
  TORUS_REQUIRE(dataset.get() >= 0, "HDF5 cannot create the string dataset '" + name + "'",
                file.path(), "check that the name is new and the disk has room");
  if (n > 0) {
    const herr_t status =
        H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data());
    TORUS_REQUIRE(status >= 0, "HDF5 cannot write the string dataset '" + name + "'", file.path(),
                  "check the free disk space");
  }
}

std::vector<std::string> read_strings(const io::File& file, const std::string& name,
                                      std::int64_t begin, std::int64_t count) {
  TORUS_REQUIRE(H5Lexists(static_cast<hid_t>(file.hid()), name.c_str(), H5P_DEFAULT) > 0,
                "the file has no dataset '" + name + "'", file.path(),
                "give a crystal set written by `torus crystal convert`");
  Handle dataset(H5Dopen2(static_cast<hid_t>(file.hid()), name.c_str(), H5P_DEFAULT), H5Dclose);
  TORUS_REQUIRE(dataset.get() >= 0, "the file has no dataset '" + name + "'", file.path(),
                "give a crystal set written by `torus crystal convert`");
  Handle space(H5Dget_space(dataset.get()), H5Sclose);
  hsize_t extent = 0;
  TORUS_REQUIRE(H5Sget_simple_extent_ndims(space.get()) == 1, "'" + name + "' is not 1-D",
                file.path(), "give a crystal set written by `torus crystal convert`");
  H5Sget_simple_extent_dims(space.get(), &extent, nullptr);
  TORUS_REQUIRE(begin >= 0 && count >= 0 && static_cast<hsize_t>(begin + count) <= extent,
                "entries " + std::to_string(begin) + " ... " + std::to_string(begin + count) +
                    " lie outside '" + name + "' of " + std::to_string(extent),
                file.path(), "read a range within the set");
  std::vector<std::string> out;
  if (count == 0) return out;

  const hsize_t start = static_cast<hsize_t>(begin), n = static_cast<hsize_t>(count);
  H5Sselect_hyperslab(space.get(), H5S_SELECT_SET, &start, nullptr, &n, nullptr);
  Handle memory(H5Screate_simple(1, &n, nullptr), H5Sclose);
  Handle type(new_string_type(), H5Tclose);
  std::vector<char*> pointers(n, nullptr);
  const herr_t status =
      H5Dread(dataset.get(), type.get(), memory.get(), space.get(), H5P_DEFAULT, pointers.data());
  TORUS_REQUIRE(status >= 0, "HDF5 cannot read '" + name + "' as strings", file.path(),
                "give a crystal set written by `torus crystal convert`");
  out.reserve(n);
  for (char* p : pointers) out.emplace_back(p ? p : "");
  // HDF5 allocated the strings; give them back.
  H5Dvlen_reclaim(type.get(), memory.get(), H5P_DEFAULT, pointers.data());
  return out;
}

bool is_string_dataset(const io::File& file, const std::string& name) {
  if (H5Lexists(static_cast<hid_t>(file.hid()), name.c_str(), H5P_DEFAULT) <= 0) return false;
  Handle dataset(H5Dopen2(static_cast<hid_t>(file.hid()), name.c_str(), H5P_DEFAULT), H5Dclose);
  if (dataset.get() < 0) return false;
  Handle type(H5Dget_type(dataset.get()), H5Tclose);
  return H5Tget_class(type.get()) == H5T_STRING;
}

bool has_group(const io::File& file, const std::string& name) {
  const hid_t id = static_cast<hid_t>(file.hid());
  if (H5Lexists(id, name.c_str(), H5P_DEFAULT) <= 0) return false;
  H5O_info_t info;
  if (H5Oget_info_by_name(id, name.c_str(), &info, H5P_DEFAULT) < 0) return false;
  return info.type == H5O_TYPE_GROUP;
}

}  // namespace torus::crystal::detail
