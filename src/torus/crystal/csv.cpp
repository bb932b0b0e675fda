#include "torus/crystal/csv.hpp"

#include <fstream>
#include <sstream>

#include "torus/core/error.hpp"

namespace torus::crystal {

CsvTable parse_csv(const std::string& text, const std::string& name) {
  CsvTable table;
  std::vector<std::string> record;
  std::string field;
  std::size_t i = 0;
  int line = 1;
  int record_line = 1;
  bool record_has_content = false;

  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;

  auto end_record = [&] {
    record.push_back(std::move(field));
    field.clear();
    // A blank line is a record of one empty field: skip it.
    const bool blank = record.size() == 1 && record[0].empty() && !record_has_content;
    if (!blank) {
      if (table.header.empty() && table.rows.empty()) {
        table.header = std::move(record);
      } else {
        table.rows.push_back(std::move(record));
        table.row_lines.push_back(record_line);
      }
    }
    record.clear();
    record_has_content = false;
  };

  while (i < text.size()) {
    const char c = text[i];
    if (c == '"' && field.empty()) {
      // A quoted field: read to the closing quote; "" inside is one quote.
      const int opened = line;
      record_has_content = true;
      ++i;
      while (true) {
        TORUS_REQUIRE(
            i < text.size(),
            "a quoted field opened on line " + std::to_string(opened) + " is never closed",
            name + " line " + std::to_string(opened),
            "close the field with a double quote (write quotes inside it as \"\")");
        if (text[i] == '"') {
          if (i + 1 < text.size() && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        if (text[i] == '\n') ++line;
        field += text[i++];
      }
      const bool at_end = i >= text.size() || text[i] == ',' || text[i] == '\n' ||
                          (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ||
                          (text[i] == '\r' && i + 1 == text.size());
      TORUS_REQUIRE(at_end,
                    "text follows the closing quote of a field on line " + std::to_string(line),
                    name + " line " + std::to_string(line),
                    "quote the whole field and double the quotes inside it");
      // The quoted content may itself be empty (""); mark the field as present.
      if (field.empty()) record_has_content = true;
      continue;
    }
    if (c == ',') {
      record.push_back(std::move(field));
      field.clear();
      record_has_content = true;
      ++i;
      continue;
    }
    if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      ++i;
      continue;
    }
    if (c == '\n') {
      end_record();
      ++line;
      record_line = line;
      ++i;
      continue;
    }
    field += c;
    record_has_content = true;
    ++i;
  }
  if (!field.empty() || !record.empty() || record_has_content) end_record();

  TORUS_REQUIRE(!table.header.empty(), "the CSV has no header line", name,
                "give a header naming the columns");
  return table;
}

CsvTable read_csv_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  TORUS_REQUIRE(in.good(), "cannot open the CSV file", path, "check the path and its permissions");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_csv(text.str(), path);
}

}  // namespace torus::crystal
