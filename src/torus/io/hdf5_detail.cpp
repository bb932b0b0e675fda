#include "torus/io/hdf5_detail.hpp"

#include <vector>

#include "torus/core/error.hpp"

namespace torus::io::detail {
namespace {

herr_t collect(unsigned /*n*/, const H5E_error2_t* entry, void* data) {
  auto& lines = *static_cast<std::vector<std::string>*>(data);
  std::string line = entry->desc != nullptr ? entry->desc : "";
  if (line.empty()) {
    char minor[256] = {0};
    if (H5Eget_msg(entry->min_num, nullptr, minor, sizeof minor) > 0) line = minor;
  }
  if (!line.empty()) lines.push_back(line);
  return 0;
}

}  // namespace

QuietErrors::QuietErrors() {
  H5Eget_auto2(H5E_DEFAULT, &previous_, &previous_data_);
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

QuietErrors::~QuietErrors() { H5Eset_auto2(H5E_DEFAULT, previous_, previous_data_); }

std::string error_stack() {
  // Walking downward visits the API call first and the innermost cause (often an errno text)
  // last; those two say what failed and why, the frames between only repeat them.
  std::vector<std::string> lines;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, collect, &lines);
  H5Eclear2(H5E_DEFAULT);
  if (lines.empty()) return {};
  if (lines.size() == 1 || lines.front() == lines.back()) return lines.front();
  return lines.front() + ": " + lines.back();
}

void fail(const std::string& problem, const std::string& input, const std::string& fix,
          const char* file, int line) {
  const std::string reason = error_stack();
  throw Error(reason.empty() ? problem : problem + " (HDF5: " + reason + ")", input, fix, file,
              line);
}

std::string describe_type(hid_t type) {
  const std::string bits = std::to_string(8 * H5Tget_size(type)) + "-bit ";
  switch (H5Tget_class(type)) {
    case H5T_FLOAT:
      return bits + "floats";
    case H5T_INTEGER:
      return bits + (H5Tget_sign(type) == H5T_SGN_NONE ? "unsigned" : "signed") + " integers";
    case H5T_STRING:
      return "strings";
    case H5T_COMPOUND: {
      std::string text = "a compound of (";
      const int members = H5Tget_nmembers(type);
      for (int m = 0; m < members; ++m) {
        char* member = H5Tget_member_name(type, static_cast<unsigned>(m));
        text += (m ? ", " : "") + std::string(member ? member : "?");
        H5free_memory(member);
      }
      return text + ")";
    }
    default:
      return "values of HDF5 type class " + std::to_string(H5Tget_class(type));
  }
}

std::string describe_file(const std::string& path) { return "HDF5 file '" + path + "'"; }

}  // namespace torus::io::detail
