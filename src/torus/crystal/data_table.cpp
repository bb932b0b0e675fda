#include "torus/crystal/data_table.hpp"

#include <sstream>

#include "torus/core/error.hpp"

namespace torus::crystal::detail {

std::vector<std::string> split_fields(const std::string& text, char separator) {
  std::vector<std::string> fields;
  std::string field;
  std::istringstream in(text);
  while (std::getline(in, field, separator)) fields.push_back(field);
  if (!text.empty() && text.back() == separator) fields.emplace_back();
  return fields;
}

void for_each_table_row(
    const char* text, const std::string& name, std::size_t columns,
    const std::function<void(const std::vector<std::string>&, const std::string&)>& row) {
  std::istringstream in(text);
  std::string line;
  bool header_seen = false;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.empty() || line[0] == '#') continue;
    if (!header_seen) {
      header_seen = true;
      continue;
    }
    const auto fields = split_fields(line, ',');
    const std::string where = name + " line " + std::to_string(line_number);
    TORUS_REQUIRE(fields.size() == columns,
                  "the table has a row without " + std::to_string(columns) + " columns", where,
                  "repair the data file and rebuild");
    row(fields, where);
  }
}

}  // namespace torus::crystal::detail
