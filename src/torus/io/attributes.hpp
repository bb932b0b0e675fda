#pragma once
/// \file
/// Attributes: small named values on a file's root group ("/") or on one of its datasets or
/// groups, for the parameters that produced the data (viscosity, grid, seed, code version).
///
/// \code
/// io::write_attribute(file, "/", "nu", 1e-3);
/// io::write_attribute(file, "/", "grid", std::vector<std::int64_t>{256, 256});
/// io::write_attribute(file, "w", "units", "1/s");
/// const double nu = io::read_attribute<double>(file, "/", "nu");
/// \endcode
///
/// Integers are stored as int64, reals as float64, strings as variable-length UTF-8 and vectors
/// as one-dimensional arrays: h5py shows them as numpy.int64, numpy.float64, str and ndarray.
/// On a parallel file every call is collective and every rank passes the same value.

#include <cstdint>
#include <string>
#include <type_traits>
#include <vector>

#include "torus/io/hdf5_file.hpp"

namespace torus::io {

/// Sets attribute `name` of the object at `object` ("/" for the file, or a dataset or group
/// path) to `value`, replacing an attribute of that name. Throws torus::Error when the file is
/// not open for writing, `object` does not exist, or HDF5 fails.
void write_attribute(File& file, const std::string& object, const std::string& name,
                     std::int64_t value);
/// As above, for a real number (stored as float64).
void write_attribute(File& file, const std::string& object, const std::string& name, double value);
/// As above, for text (stored as a variable-length UTF-8 string).
void write_attribute(File& file, const std::string& object, const std::string& name,
                     const std::string& value);
/// As above, for text given as a C string.
void write_attribute(File& file, const std::string& object, const std::string& name,
                     const char* value);
/// As above, for a vector of integers (a one-dimensional int64 attribute).
void write_attribute(File& file, const std::string& object, const std::string& name,
                     const std::vector<std::int64_t>& value);
/// As above, for a vector of reals (a one-dimensional float64 attribute).
void write_attribute(File& file, const std::string& object, const std::string& name,
                     const std::vector<double>& value);

/// As above, for any other integer type (int, unsigned, ...): stored as int64.
template <class Integer,
          std::enable_if_t<std::is_integral_v<Integer> && !std::is_same_v<Integer, bool> &&
                               !std::is_same_v<Integer, std::int64_t>,
                           int> = 0>
void write_attribute(File& file, const std::string& object, const std::string& name,
                     Integer value) {
  write_attribute(file, object, name, static_cast<std::int64_t>(value));
}

/// True when the object at `object` exists and has an attribute `name`.
/// Throws torus::Error when the file is closed.
bool has_attribute(const File& file, const std::string& object, const std::string& name);

/// Reads attribute `name` of the object at `object` as a T: std::int64_t, double (also from an
/// integer attribute), std::string, std::vector<std::int64_t> or std::vector<double>. A scalar
/// T needs an attribute of one value; a vector takes any number. Throws torus::Error naming the
/// attribute and the object when either is missing, or when the attribute holds another kind
/// of value.
template <class T>
T read_attribute(const File& file, const std::string& object, const std::string& name) {
  static_assert(!std::is_same_v<T, T>,
                "read_attribute reads std::int64_t, double, std::string, std::vector<std::int64_t> "
                "or std::vector<double>");
  return T{};
}

template <>
std::int64_t read_attribute<std::int64_t>(const File&, const std::string&, const std::string&);
template <>
double read_attribute<double>(const File&, const std::string&, const std::string&);
template <>
std::string read_attribute<std::string>(const File&, const std::string&, const std::string&);
template <>
std::vector<std::int64_t> read_attribute<std::vector<std::int64_t>>(const File&, const std::string&,
                                                                    const std::string&);
template <>
std::vector<double> read_attribute<std::vector<double>>(const File&, const std::string&,
                                                        const std::string&);

}  // namespace torus::io
