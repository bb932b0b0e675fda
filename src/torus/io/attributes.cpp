#include "torus/io/attributes.hpp"

#include <cstring>

#include "torus/core/error.hpp"
#include "torus/io/hdf5_detail.hpp"

namespace torus::io {

using detail::describe_file;
using detail::describe_type;
using detail::Handle;
using detail::QuietErrors;

namespace {

std::string object_path(const std::string& object) { return object.empty() ? "/" : object; }

/// "attribute 'nu' of '/'", for messages.
std::string describe(const std::string& object, const std::string& name) {
  return "attribute '" + name + "' of '" + object_path(object) + "'";
}

Handle open_object(const File& file, const std::string& object, const std::string& name) {
  Handle handle(H5Oopen(file.hid(), object_path(object).c_str(), H5P_DEFAULT), H5Oclose);
  H5Eclear2(H5E_DEFAULT);
  if (!handle) {
    TORUS_THROW(
        "no dataset or group '" + object_path(object) + "' to hold " + describe(object, name),
        describe_file(file.path()),
        "write the dataset first, or use \"/\" for an attribute of the file");
  }
  return handle;
}

herr_t collect_name(hid_t, const char* name, const H5A_info_t*, void* data) {
  auto& names = *static_cast<std::string*>(data);
  names += (names.empty() ? "" : ", ") + std::string(name);
  return 0;
}

/// Creates (or replaces) attribute `name` of `object` with file type `type` and dataspace
/// `space`, and writes `data`, laid out as `memory`.
void write_raw(File& file, const std::string& object, const std::string& name, hid_t type,
               hid_t memory, hid_t space, const void* data) {
  TORUS_REQUIRE(file.writable(),
                "cannot write " + describe(object, name) +
                    ": the file is not open for writing (opened for reading, or committed)",
                describe_file(file.path()),
                "write attributes into a File made by io::File::create, before commit()");
  TORUS_REQUIRE(!name.empty(), "an attribute needs a name", describe_file(file.path()),
                "give a name such as \"nu\"");
  QuietErrors quiet;
  Handle target = open_object(file, object, name);
  if (H5Aexists(target.get(), name.c_str()) > 0 && H5Adelete(target.get(), name.c_str()) < 0) {
    TORUS_H5_FAIL("cannot replace " + describe(object, name), describe_file(file.path()), "");
  }
  Handle attribute(H5Acreate2(target.get(), name.c_str(), type, space, H5P_DEFAULT, H5P_DEFAULT),
                   H5Aclose);
  if (!attribute || H5Awrite(attribute.get(), memory, data) < 0) {
    TORUS_H5_FAIL("cannot write " + describe(object, name), describe_file(file.path()), "");
  }
}

Handle scalar_space() { return Handle(H5Screate(H5S_SCALAR), H5Sclose); }

Handle vector_space(std::size_t n) {
  const hsize_t dims[1] = {static_cast<hsize_t>(n)};
  return Handle(H5Screate_simple(1, dims, nullptr), H5Sclose);
}

Handle utf8_string() {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  return type;
}

/// An attribute opened for reading, with its type and number of values.
struct Opened {
  Handle attribute;
  Handle type;
  Handle space;
  std::int64_t values = 0;
};

Opened open_attribute(const File& file, const std::string& object, const std::string& name) {
  Handle target = open_object(file, object, name);
  if (H5Aexists(target.get(), name.c_str()) <= 0) {
    H5Eclear2(H5E_DEFAULT);
    std::string held;
    hsize_t index = 0;
    H5Aiterate2(target.get(), H5_INDEX_NAME, H5_ITER_INC, &index, collect_name, &held);
    H5Eclear2(H5E_DEFAULT);
    TORUS_THROW("no " + describe(object, name), describe_file(file.path()),
                held.empty() ? "'" + object_path(object) + "' has no attributes"
                             : "'" + object_path(object) + "' has attributes: " + held);
  }
  Opened opened;
  opened.attribute = Handle(H5Aopen(target.get(), name.c_str(), H5P_DEFAULT), H5Aclose);
  if (opened.attribute) {
    opened.type = Handle(H5Aget_type(opened.attribute.get()), H5Tclose);
    opened.space = Handle(H5Aget_space(opened.attribute.get()), H5Sclose);
  }
  if (!opened.type || !opened.space) {
    TORUS_H5_FAIL("cannot open " + describe(object, name), describe_file(file.path()), "");
  }
  opened.values = H5Sget_simple_extent_npoints(opened.space.get());
  return opened;
}

/// Throws unless the attribute's values are of one of the `accepted` classes.
void require_class(const File& file, const std::string& object, const std::string& name,
                   const Opened& opened, std::initializer_list<H5T_class_t> accepted,
                   const char* wanted) {
  const H5T_class_t type_class = H5Tget_class(opened.type.get());
  for (H5T_class_t c : accepted) {
    if (c == type_class) return;
  }
  TORUS_THROW(describe(object, name) + " holds " + describe_type(opened.type.get()) +
                  ", which do not read as " + wanted,
              describe_file(file.path()), "read it as the kind of value it holds");
}

void require_one(const File& file, const std::string& object, const std::string& name,
                 std::int64_t values) {
  TORUS_REQUIRE(values == 1,
                describe(object, name) + " holds " + std::to_string(values) + " values, not one",
                describe_file(file.path()), "read it as a std::vector");
}

template <class T>
T only_value(const std::vector<T>& values, const File& file, const std::string& object,
             const std::string& name) {
  require_one(file, object, name, static_cast<std::int64_t>(values.size()));
  return values.front();
}

template <class T>
std::vector<T> read_numbers(const File& file, const std::string& object, const std::string& name,
                            const Opened& opened, hid_t memory) {
  std::vector<T> values(static_cast<std::size_t>(opened.values));
  T unused{};
  if (H5Aread(opened.attribute.get(), memory, values.empty() ? &unused : values.data()) < 0) {
    TORUS_H5_FAIL("cannot read " + describe(object, name), describe_file(file.path()), "");
  }
  return values;
}

std::vector<std::int64_t> read_integers(const File& file, const std::string& object,
                                        const std::string& name) {
  QuietErrors quiet;
  const Opened opened = open_attribute(file, object, name);
  require_class(file, object, name, opened, {H5T_INTEGER}, "int64");
  return read_numbers<std::int64_t>(file, object, name, opened, H5T_NATIVE_INT64);
}

std::vector<double> read_reals(const File& file, const std::string& object,
                               const std::string& name) {
  QuietErrors quiet;
  const Opened opened = open_attribute(file, object, name);
  require_class(file, object, name, opened, {H5T_FLOAT, H5T_INTEGER}, "double");
  return read_numbers<double>(file, object, name, opened, H5T_NATIVE_DOUBLE);
}

}  // namespace

void write_attribute(File& file, const std::string& object, const std::string& name,
                     std::int64_t value) {
  write_raw(file, object, name, H5T_STD_I64LE, H5T_NATIVE_INT64, scalar_space().get(), &value);
}

void write_attribute(File& file, const std::string& object, const std::string& name, double value) {
  write_raw(file, object, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, scalar_space().get(), &value);
}

void write_attribute(File& file, const std::string& object, const std::string& name,
                     const std::string& value) {
  const Handle type = utf8_string();
  const char* text = value.c_str();
  write_raw(file, object, name, type.get(), type.get(), scalar_space().get(), &text);
}

void write_attribute(File& file, const std::string& object, const std::string& name,
                     const char* value) {
  write_attribute(file, object, name, std::string(value != nullptr ? value : ""));
}

void write_attribute(File& file, const std::string& object, const std::string& name,
                     const std::vector<std::int64_t>& value) {
  const std::int64_t unused = 0;
  write_raw(file, object, name, H5T_STD_I64LE, H5T_NATIVE_INT64, vector_space(value.size()).get(),
            value.empty() ? &unused : value.data());
}

void write_attribute(File& file, const std::string& object, const std::string& name,
                     const std::vector<double>& value) {
  const double unused = 0;
  write_raw(file, object, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, vector_space(value.size()).get(),
            value.empty() ? &unused : value.data());
}

bool has_attribute(const File& file, const std::string& object, const std::string& name) {
  const hid_t id = file.hid();
  QuietErrors quiet;
  Handle target(H5Oopen(id, object_path(object).c_str(), H5P_DEFAULT), H5Oclose);
  const bool found = target && H5Aexists(target.get(), name.c_str()) > 0;
  H5Eclear2(H5E_DEFAULT);
  return found;
}

template <>
std::int64_t read_attribute<std::int64_t>(const File& file, const std::string& object,
                                          const std::string& name) {
  return only_value(read_integers(file, object, name), file, object, name);
}

template <>
double read_attribute<double>(const File& file, const std::string& object,
                              const std::string& name) {
  return only_value(read_reals(file, object, name), file, object, name);
}

template <>
std::vector<std::int64_t> read_attribute<std::vector<std::int64_t>>(const File& file,
                                                                    const std::string& object,
                                                                    const std::string& name) {
  return read_integers(file, object, name);
}

template <>
std::vector<double> read_attribute<std::vector<double>>(const File& file, const std::string& object,
                                                        const std::string& name) {
  return read_reals(file, object, name);
}

template <>
std::string read_attribute<std::string>(const File& file, const std::string& object,
                                        const std::string& name) {
  QuietErrors quiet;
  const Opened opened = open_attribute(file, object, name);
  require_class(file, object, name, opened, {H5T_STRING}, "a string");
  require_one(file, object, name, opened.values);

  // Variable-length strings (torus, h5py's str) arrive as a pointer HDF5 allocates; fixed-length
  // ones (numpy bytes) as padded bytes.
  const hid_t stored = opened.type.get();
  Handle memory(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_cset(memory.get(), H5Tget_cset(stored));
  if (H5Tis_variable_str(stored) > 0) {
    H5Tset_size(memory.get(), H5T_VARIABLE);
    char* text = nullptr;
    if (H5Aread(opened.attribute.get(), memory.get(), &text) < 0) {
      TORUS_H5_FAIL("cannot read " + describe(object, name), describe_file(file.path()), "");
    }
    std::string value = text != nullptr ? text : "";
    H5Dvlen_reclaim(memory.get(), opened.space.get(), H5P_DEFAULT, &text);
    return value;
  }
  const std::size_t size = H5Tget_size(stored);
  H5Tset_size(memory.get(), size);
  H5Tset_strpad(memory.get(), H5T_STR_NULLPAD);
  std::string buffer(size, '\0');
  if (H5Aread(opened.attribute.get(), memory.get(), buffer.data()) < 0) {
    TORUS_H5_FAIL("cannot read " + describe(object, name), describe_file(file.path()), "");
  }
  return buffer.substr(0, std::strlen(buffer.c_str()));
}

}  // namespace torus::io
