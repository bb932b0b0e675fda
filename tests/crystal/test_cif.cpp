// CIF reading and writing: symmetry expansion, malformed files, round trips (also over the
// perov_5 test split when the shared data is present). Serial checks, repeated on every rank.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>

#include "support.hpp"
#include "torus/core/error.hpp"
#include "torus/crystal/cdvae_csv.hpp"
#include "torus/crystal/cif_read.hpp"
#include "torus/crystal/cif_write.hpp"
#include "torus/crystal/csv.hpp"
#include "torus/crystal/lattice.hpp"

namespace torus::crystal {
namespace {

// Rock salt in Fm-3m with its two sites. The loop lists 13 of the 192 operations of Fm-3m (a few
// point operations and the F-centrings): every listed operation maps the sites into the
// structure, the duplicates must merge, and the centrings must create the other 6 atoms. The
// whole group is exercised by the next test, through the space group's name.
const char* nacl_with_ops = R"(data_NaCl
_cell_length_a 5.64
_cell_length_b 5.64
_cell_length_c 5.64
_cell_angle_alpha 90
_cell_angle_beta 90
_cell_angle_gamma 90
_symmetry_space_group_name_H-M 'F m -3 m'
loop_
_symmetry_equiv_pos_as_xyz
'x, y, z'
'-x, -y, z'
'-x, y, -z'
'x, -y, -z'
'z, x, y'
'y, z, x'
'-y, -x, -z'
'x, y+1/2, z+1/2'
'-x, -y+1/2, z+1/2'
'x+1/2, y, z+1/2'
'-x+1/2, y, -z+1/2'
'x+1/2, y+1/2, z'
'x+1/2, -y+1/2, -z'
loop_
_atom_site_label
_atom_site_type_symbol
_atom_site_fract_x
_atom_site_fract_y
_atom_site_fract_z
_atom_site_occupancy
Na1 Na+ 0.0 0.0 0.0 1.0
Cl1 Cl- 0.5 0.5 0.5 1.0
)";

int count(const Crystal& c, int z) {
  return static_cast<int>(std::count(c.numbers.begin(), c.numbers.end(), z));
}

// True when every atom of `a` has an atom of the same element in `b` at fractional distance
// below tol (mod 1), and the counts agree.
bool same_sites(const Crystal& a, const Crystal& b, double tol) {
  if (a.size() != b.size()) return false;
  for (int i = 0; i < a.size(); ++i) {
    bool found = false;
    for (int j = 0; j < b.size() && !found; ++j) {
      if (a.numbers[i] != b.numbers[j]) continue;
      double worst = 0;
      for (int k = 0; k < 3; ++k) {
        double d = a.frac_coords[i][k] - b.frac_coords[j][k];
        worst = std::max(worst, std::abs(d - std::round(d)));
      }
      found = worst < tol;
    }
    if (!found) return false;
  }
  return true;
}

TEST(CifRead, RockSaltOperationsExpandToEightAtoms) {
  const Crystal c = read_cif_string(nacl_with_ops, "NaCl");
  EXPECT_EQ(c.size(), 8);
  EXPECT_EQ(count(c, 11), 4);
  EXPECT_EQ(count(c, 17), 4);
  EXPECT_TRUE(same_sites(c, testing::rock_salt(), 1e-12));
}

TEST(CifRead, SpaceGroupNameAloneExpandsThroughGemmiTables) {
  std::string text = nacl_with_ops;
  const auto begin = text.find("loop_\n_symmetry_equiv_pos_as_xyz");
  const auto end = text.find("loop_\n_atom_site_label");
  text.erase(begin, end - begin);
  const Crystal c = read_cif_string(text, "NaCl by name");
  EXPECT_EQ(c.size(), 8);
  EXPECT_TRUE(same_sites(c, testing::rock_salt(), 1e-12));
}

TEST(CifRead, NearlyCoincidentImagesMerge) {
  // Printed coordinates 0.3333 / 0.6667 of a hexagonal site: the 3-fold images land within
  // 1e-3 Å of each other and are one atom each, not three.
  const char* text = R"(data_x
_cell_length_a 3.0
_cell_length_b 3.0
_cell_length_c 5.0
_cell_angle_alpha 90
_cell_angle_beta 90
_cell_angle_gamma 120
loop_
_space_group_symop_operation_xyz
'x, y, z'
'-y, x-y, z'
'-x+y, -x, z'
loop_
_atom_site_type_symbol
_atom_site_fract_x
_atom_site_fract_y
_atom_site_fract_z
C 0.3333 0.6667 0.25
)";
  EXPECT_EQ(read_cif_string(text).size(), 1);
}

std::string problem_of(const std::string& text) {
  try {
    read_cif_string(text, "bad.cif");
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("bad.cif"), std::string::npos) << e.what();
    return e.what();
  }
  return "no error";
}

TEST(CifRead, BadFilesFailNamingTheProblem) {
  const std::string cell =
      "data_x\n_cell_length_a 4\n_cell_length_b 4\n_cell_length_c 4\n"
      "_cell_angle_alpha 90\n_cell_angle_beta 90\n_cell_angle_gamma 90\n";
  const std::string sites =
      "loop_\n_atom_site_type_symbol\n_atom_site_fract_x\n_atom_site_fract_y\n"
      "_atom_site_fract_z\n_atom_site_occupancy\n";

  // A loop with a value missing: gemmi names the line (the loop starts on line 8).
  const std::string truncated = problem_of(cell + sites + "Na 0 0 0 1\nCl 0.5 0.5\n");
  EXPECT_NE(truncated.find("malformed CIF"), std::string::npos) << truncated;
  EXPECT_NE(truncated.find("bad.cif:"), std::string::npos) << truncated;

  const std::string unknown = problem_of(cell + sites + "Xq 0 0 0 1\n");
  EXPECT_NE(unknown.find("names no chemical element"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("line 8"), std::string::npos) << unknown;

  std::string no_cell = cell;
  no_cell.erase(no_cell.find("_cell_length_b"), std::string("_cell_length_b 4\n").size());
  const std::string missing = problem_of(no_cell + sites + "Na 0 0 0 1\n");
  EXPECT_NE(missing.find("_cell_length_b (missing cell)"), std::string::npos) << missing;

  const std::string partial = problem_of(cell + sites + "Na 0 0 0 0.5\n");
  EXPECT_NE(partial.find("partial occupancy"), std::string::npos) << partial;

  const std::string clash = problem_of(cell + sites + "Na 0 0 0 1\nCl 0 0 0 1\n");
  EXPECT_NE(clash.find("share one position"), std::string::npos) << clash;

  const std::string no_sites = problem_of(cell);
  EXPECT_NE(no_sites.find("no atom sites"), std::string::npos) << no_sites;

  const std::string unterminated = problem_of(cell + sites + "Na 0 0 0 1\n'Cl 0.5 0.5 0.5 1\n");
  EXPECT_NE(unterminated.find("malformed CIF"), std::string::npos) << unterminated;

  EXPECT_THROW(read_cif_file("no-such-file.cif"), Error);
}

TEST(CifWrite, TriclinicCrystalRoundTrips) {
  Crystal c;
  c.lattice = lattice_from_parameters({5.1, 7.3, 4.2, 71.0, 95.5, 101.25});
  c.frac_coords = {{0.1, 0.2, 0.3}, {0.9, 0.05, 0.5}, {0.0, 0.999999999, 0.75}};
  c.numbers = {26, 8, 3};
  const std::string path = testing::scratch("triclinic", ".cif");
  write_cif_file(c, path);
  const Crystal back = read_cif_file(path);
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) EXPECT_NEAR(back.lattice[i][j], c.lattice[i][j], 1e-9);
  }
  EXPECT_EQ(back.numbers, c.numbers);
  EXPECT_TRUE(same_sites(back, c, 1e-9));
  std::remove(path.c_str());
}

TEST(CifWrite, EveryPerov5TestCrystalRoundTrips) {
  const std::string data = testing::data_dir();
  if (data.empty())
    GTEST_SKIP() << "shared data not found ($TORUS_DATA or ../shared/data): "
                    "the perov_5 round trip needs crystals/perov_5/test.csv";
  const CsvConversion set = read_cdvae_csv(data + "/crystals/perov_5/test.csv");
  EXPECT_TRUE(set.failures.empty());
  ASSERT_EQ(set.set.size(), 3785);
  int round_trips = 0;
  for (const Crystal& c : set.set.crystals) {
    const Crystal back = read_cif_string(write_cif(c));
    double worst = 0;
    for (int i = 0; i < 3; ++i) {
      for (int j = 0; j < 3; ++j)
        worst = std::max(worst, std::abs(back.lattice[i][j] - c.lattice[i][j]));
    }
    round_trips += worst < 1e-6 && back.numbers == c.numbers && same_sites(back, c, 1e-6);
  }
  EXPECT_EQ(round_trips, 3785);
}

}  // namespace
}  // namespace torus::crystal
