#pragma once
/// \file
/// The data tables compiled into the library (crystal/data/*.csv, embedded as string literals by
/// src/CMakeLists.txt): comment lines start with '#', the first other line is the header, and
/// every following line is a row of comma-separated fields. A malformed table is a defect of the
/// build, not of the user's input, but its errors still name the file and line.

#include <functional>
#include <string>
#include <vector>

namespace torus::crystal::detail {

/// Splits `text` at every `separator`; a trailing separator gives a trailing empty field.
std::vector<std::string> split_fields(const std::string& text, char separator);

/// Calls row(fields, where) for every data row of the table `text`, where = "<name> line <n>".
/// Throws torus::Error naming the line when a row does not have `columns` fields.
void for_each_table_row(
    const char* text, const std::string& name, std::size_t columns,
    const std::function<void(const std::vector<std::string>&, const std::string&)>& row);

}  // namespace torus::crystal::detail
