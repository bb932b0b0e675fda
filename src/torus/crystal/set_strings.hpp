#pragma once
/// \file
/// Internal to crystal/crystal_set.cpp: one-dimensional datasets of variable-length UTF-8
/// strings (material ids, text columns), which torus::io does not store. h5py reads them as
/// bytes (`f["material_id"].asstr()[...]` gives str).

#include <cstdint>
#include <string>
#include <vector>

#include "torus/io/hdf5_file.hpp"

namespace torus::crystal::detail {

/// Writes `values` as the new 1-D string dataset `name`; missing groups are created.
void write_strings(io::File& file, const std::string& name, const std::vector<std::string>& values);

/// Reads entries [begin, begin + count) of the 1-D string dataset `name`.
std::vector<std::string> read_strings(const io::File& file, const std::string& name,
                                      std::int64_t begin, std::int64_t count);

/// True when dataset `name` holds strings.
bool is_string_dataset(const io::File& file, const std::string& name);

/// True when `name` is a group of the file.
bool has_group(const io::File& file, const std::string& name);

}  // namespace torus::crystal::detail
