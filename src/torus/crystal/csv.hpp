#pragma once
/// \file
/// A small reader of comma-separated values as RFC 4180 defines them: fields in double quotes
/// may hold commas, line breaks and doubled quotes (""), which is how CDVAE's CSV files carry a
/// whole CIF in one field.

#include <string>
#include <vector>

namespace torus::crystal {

/// A CSV file: its header and its records, each with the line where it starts.
struct CsvTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  /// 1-based line of the file where each row begins (rows may span several lines).
  std::vector<int> row_lines;
};

/// Parses CSV text. Records end at a line break (LF or CRLF) outside quotes; a UTF-8 byte order
/// mark is skipped; blank lines are ignored. Rows are kept as read even when their number of
/// fields differs from the header's: the caller decides what such a row means.
/// Throws torus::Error naming `name` and the line when a quoted field is never closed, when a
/// quote is followed by anything but a comma or the end of the record, or when there is no
/// header.
CsvTable parse_csv(const std::string& text, const std::string& name = "CSV text");

/// parse_csv of the file at `path`; throws torus::Error when it cannot be read.
CsvTable read_csv_file(const std::string& path);

}  // namespace torus::crystal
