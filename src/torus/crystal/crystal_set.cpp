#include "torus/crystal/crystal_set.hpp"

#include <Kokkos_Core.hpp>

#include <set>
#include <string>

#include "torus/core/error.hpp"
#include "torus/crystal/set_strings.hpp"
#include "torus/crystal/validate.hpp"
#include "torus/io/attributes.hpp"
#include "torus/io/views.hpp"

namespace torus::crystal {
namespace {

constexpr const char* format_name = "torus crystal set";
constexpr std::int64_t format_version = 1;
constexpr const char* set_fix = "give a crystal set written by `torus crystal convert`";

template <class T>
using HostView = Kokkos::View<T, Kokkos::LayoutRight, Kokkos::HostSpace>;

void check_shape(const CrystalSet& set, const std::string& path) {
  const std::int64_t n = set.size();
  TORUS_REQUIRE(n > 0, "the crystal set is empty", path, "give at least one crystal");
  TORUS_REQUIRE(static_cast<std::int64_t>(set.ids.size()) == n,
                "the set has " + std::to_string(set.ids.size()) + " ids for " + std::to_string(n) +
                    " crystals",
                path, "give one id per crystal");
  std::set<std::string> names;
  auto check_column = [&](const std::string& name, std::size_t size) {
    TORUS_REQUIRE(!name.empty() && name.find('/') == std::string::npos,
                  "column name '" + name + "' is empty or holds '/'", path,
                  "name every column, without slashes");
    TORUS_REQUIRE(names.insert(name).second, "two columns are named '" + name + "'", path,
                  "give every column its own name");
    TORUS_REQUIRE(static_cast<std::int64_t>(size) == n,
                  "column '" + name + "' has " + std::to_string(size) + " values for " +
                      std::to_string(n) + " crystals",
                  path, "give one value per crystal");
  };
  for (const auto& c : set.numeric) check_column(c.name, c.values.size());
  for (const auto& c : set.text) check_column(c.name, c.values.size());
}

}  // namespace

void write_crystal_set(const std::string& path, const CrystalSet& set, const std::string& source) {
  check_shape(set, path);
  const std::int64_t n = set.size();
  std::int64_t total = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    validate(set.crystals[i], path + ", crystal " + set.ids[i]);
    total += set.crystals[i].size();
  }

  HostView<double***> lattice("lattice", n, 3, 3);
  HostView<double**> frac("frac_coords", total, 3);
  HostView<std::int32_t*> numbers("numbers", total);
  HostView<std::int64_t*> offsets("offsets", n + 1);
  std::int64_t atom = 0;
  for (std::int64_t i = 0; i < n; ++i) {
    const Crystal& c = set.crystals[i];
    offsets(i) = atom;
    for (int r = 0; r < 3; ++r) {
      for (int k = 0; k < 3; ++k) lattice(i, r, k) = c.lattice[r][k];
    }
    for (int a = 0; a < c.size(); ++a, ++atom) {
      for (int k = 0; k < 3; ++k) frac(atom, k) = c.frac_coords[a][k];
      numbers(atom) = c.numbers[a];
    }
  }
  offsets(n) = atom;

  io::File file = io::File::create(path);
  io::write(file, "lattice", lattice);
  io::write(file, "frac_coords", frac);
  io::write(file, "numbers", numbers);
  io::write(file, "offsets", offsets);
  detail::write_strings(file, "material_id", set.ids);
  for (const auto& column : set.numeric) {
    HostView<double*> values("values", n);
    for (std::int64_t i = 0; i < n; ++i) values(i) = column.values[i];
    io::write(file, "properties/" + column.name, values);
  }
  for (const auto& column : set.text) {
    detail::write_strings(file, "properties/" + column.name, column.values);
  }
  io::write_attribute(file, "/", "format", format_name);
  io::write_attribute(file, "/", "version", format_version);
  io::write_attribute(file, "/", "source", source);
  file.commit();
}

namespace {

io::File open_set(const std::string& path) {
  io::File file = io::File::open(path);
  TORUS_REQUIRE(io::has_attribute(file, "/", "format") &&
                    io::read_attribute<std::string>(file, "/", "format") == format_name,
                "the file is not a torus crystal set", path, set_fix);
  const auto version = io::read_attribute<std::int64_t>(file, "/", "version");
  TORUS_REQUIRE(version == format_version,
                "the crystal set has format version " + std::to_string(version) +
                    ", this torus reads version " + std::to_string(format_version),
                path, "convert the data again with this torus");
  return file;
}

std::int64_t size_of(const io::File& file) {
  const auto extents = io::dataset_extents(file, "offsets");
  TORUS_REQUIRE(extents.size() == 1 && extents[0] >= 1, "'offsets' is not a vector of N+1 entries",
                file.path(), set_fix);
  return extents[0] - 1;
}

}  // namespace

std::int64_t crystal_set_size(const std::string& path) { return size_of(open_set(path)); }

CrystalSet read_crystal_set(const std::string& path, std::int64_t begin, std::int64_t end) {
  io::File file = open_set(path);
  const std::int64_t n = size_of(file);
  if (end < 0) end = n;
  TORUS_REQUIRE(begin >= 0 && begin <= end && end <= n,
                "crystals " + std::to_string(begin) + " ... " + std::to_string(end) +
                    " lie outside the set of " + std::to_string(n),
                path, "ask for a range within 0 ... " + std::to_string(n));
  const std::int64_t count = end - begin;

  // Offsets of the range (count + 1 entries) say which atoms to read.
  std::vector<std::int64_t> offsets(count + 1);
  io::read_hyperslab(file, "offsets", io::Hyperslab{{begin}, {count + 1}, {}}, offsets.data());
  const auto atom_extents = io::dataset_extents(file, "numbers");
  TORUS_REQUIRE(atom_extents.size() == 1, "'numbers' is not a vector", path, set_fix);
  const std::int64_t first = offsets[0], atoms = offsets[count] - offsets[0];
  for (std::int64_t i = 0; i < count; ++i) {
    TORUS_REQUIRE(offsets[i] <= offsets[i + 1],
                  "the offsets decrease at crystal " + std::to_string(begin + i), path, set_fix);
  }
  TORUS_REQUIRE(first >= 0 && offsets[count] <= atom_extents[0],
                "the offsets point outside the " + std::to_string(atom_extents[0]) + " atoms", path,
                set_fix);

  std::vector<double> lattice(count * 9), frac(atoms * 3);
  std::vector<std::int32_t> numbers(atoms);
  if (count > 0) {
    io::read_hyperslab(file, "lattice", io::Hyperslab{{begin, 0, 0}, {count, 3, 3}, {}},
                       lattice.data());
  }
  if (atoms > 0) {
    io::read_hyperslab(file, "frac_coords", io::Hyperslab{{first, 0}, {atoms, 3}, {}}, frac.data());
    io::read_hyperslab(file, "numbers", io::Hyperslab{{first}, {atoms}, {}}, numbers.data());
  }

  CrystalSet set;
  set.ids = detail::read_strings(file, "material_id", begin, count);
  set.crystals.reserve(count);
  for (std::int64_t i = 0; i < count; ++i) {
    Crystal c;
    for (int r = 0; r < 3; ++r) {
      for (int k = 0; k < 3; ++k) c.lattice[r][k] = lattice[i * 9 + r * 3 + k];
    }
    for (std::int64_t a = offsets[i] - first; a < offsets[i + 1] - first; ++a) {
      c.frac_coords.push_back({frac[a * 3], frac[a * 3 + 1], frac[a * 3 + 2]});
      c.numbers.push_back(numbers[a]);
    }
    validate(c, path + ", crystal " + set.ids[i]);
    set.crystals.push_back(std::move(c));
  }

  if (detail::has_group(file, "properties")) {
    for (const std::string& name : file.datasets("properties")) {
      const std::string column = name.substr(std::string("properties/").size());
      if (detail::is_string_dataset(file, name)) {
        set.text.push_back({column, detail::read_strings(file, name, begin, count)});
      } else {
        std::vector<double> values(count);
        if (count > 0) {
          io::read_hyperslab(file, name, io::Hyperslab{{begin}, {count}, {}}, values.data());
        }
        set.numeric.push_back({column, std::move(values)});
      }
    }
  }
  return set;
}

}  // namespace torus::crystal
