// RFC 4180 CSV, CDVAE CSV conversion with failing rows, and HDF5 crystal sets (write, read all,
// read a range). Every rank works on its own files.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <fstream>

#include "support.hpp"
#include "torus/core/error.hpp"
#include "torus/crystal/cdvae_csv.hpp"
#include "torus/crystal/cif_write.hpp"
#include "torus/crystal/crystal_set.hpp"
#include "torus/crystal/csv.hpp"

namespace torus::crystal {
namespace {

TEST(Csv, QuotedFieldsHoldCommasQuotesAndLineBreaks) {
  const std::string text =
      "\xEF\xBB\xBF,id,text\r\n"
      "0,a,\"line one\nline two, with comma\"\r\n"
      "\n"
      "1,b,\"say \"\"hi\"\"\"\n"
      "2,c,\n";
  const CsvTable t = parse_csv(text, "t.csv");
  ASSERT_EQ(t.header, (std::vector<std::string>{"", "id", "text"}));
  ASSERT_EQ(t.rows.size(), 3u);
  EXPECT_EQ(t.rows[0][2], "line one\nline two, with comma");
  EXPECT_EQ(t.rows[1][2], "say \"hi\"");
  EXPECT_EQ(t.rows[2], (std::vector<std::string>{"2", "c", ""}));
  EXPECT_EQ(t.row_lines, (std::vector<int>{2, 5, 6}));
}

TEST(Csv, UnclosedQuoteNamesItsLine) {
  try {
    parse_csv("a,b\n1,\"open\n2,3\n", "t.csv");
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.input(), "t.csv line 2");
    EXPECT_NE(e.problem().find("never closed"), std::string::npos);
  }
  EXPECT_THROW(parse_csv("a,b\n1,\"x\"y\n", "t.csv"), Error);
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

TEST(CdvaeCsv, BadRowsAreReportedAndTheRestConverted) {
  const std::string good = write_cif(testing::rock_salt());
  std::string bad = good;
  bad.replace(bad.find("_cell_length_c"), 14, "_cell_length_q");
  const std::string csv_path = testing::scratch("rows", ".csv");
  {
    std::ofstream out(csv_path);
    out << ",material_id,cif,energy,note\n";
    out << "0,m-good," << quoted(good) << ",-1.5,plain\n";
    out << "1,m-bad-cif," << quoted(bad) << ",-2.0,x\n";
    out << "2,m-short," << quoted(good) << "\n";
    out << "3,m-good-2," << quoted(good) << ",,\"with, comma\"\n";
  }
  const CsvConversion result = read_cdvae_csv(csv_path);
  EXPECT_EQ(result.rows, 4);
  ASSERT_EQ(result.set.size(), 2);
  EXPECT_EQ(result.set.ids, (std::vector<std::string>{"m-good", "m-good-2"}));
  ASSERT_EQ(result.failures.size(), 2u);
  EXPECT_EQ(result.failures[0].id, "m-bad-cif");
  EXPECT_NE(result.failures[0].reason.find("_cell_length_c (missing cell)"), std::string::npos)
      << result.failures[0].reason;
  EXPECT_EQ(result.failures[1].id, "m-short");
  EXPECT_NE(result.failures[1].reason.find("3 fields, the header 5"), std::string::npos)
      << result.failures[1].reason;

  // index and energy are numeric (an empty energy is NaN), note is text.
  ASSERT_EQ(result.set.numeric.size(), 2u);
  EXPECT_EQ(result.set.numeric[0].name, "index");
  EXPECT_EQ(result.set.numeric[0].values, (std::vector<double>{0, 3}));
  EXPECT_EQ(result.set.numeric[1].name, "energy");
  EXPECT_EQ(result.set.numeric[1].values[0], -1.5);
  EXPECT_TRUE(std::isnan(result.set.numeric[1].values[1]));
  ASSERT_EQ(result.set.text.size(), 1u);
  EXPECT_EQ(result.set.text[0].values, (std::vector<std::string>{"plain", "with, comma"}));
  std::remove(csv_path.c_str());

  EXPECT_THROW(read_cdvae_csv("no-such.csv"), Error);
}

TEST(CrystalSet, WritesAndReadsBackWholeAndRanges) {
  CrystalSet set;
  for (int i = 0; i < 5; ++i) {
    Crystal c = testing::rock_salt();
    c.lattice[0][0] += 0.1 * i;
    c.frac_coords.resize(2 + i);  // ragged: 2 ... 6 atoms
    c.numbers.resize(2 + i);
    set.crystals.push_back(c);
    set.ids.push_back("id-" + std::to_string(i));
  }
  set.numeric.push_back({"energy", {0.5, 1.5, 2.5, 3.5, 4.5}});
  set.text.push_back({"formula", {"a", "bb", "ccc", "", "e"}});
  const std::string path = testing::scratch("set", ".h5");
  write_crystal_set(path, set, "test");
  EXPECT_EQ(crystal_set_size(path), 5);

  const CrystalSet all = read_crystal_set(path);
  ASSERT_EQ(all.size(), 5);
  EXPECT_EQ(all.ids, set.ids);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(all.crystals[i].lattice, set.crystals[i].lattice);
    EXPECT_EQ(all.crystals[i].frac_coords, set.crystals[i].frac_coords);
    EXPECT_EQ(all.crystals[i].numbers, set.crystals[i].numbers);
  }
  ASSERT_EQ(all.numeric.size(), 1u);
  EXPECT_EQ(all.numeric[0].values, set.numeric[0].values);
  ASSERT_EQ(all.text.size(), 1u);
  EXPECT_EQ(all.text[0].values, set.text[0].values);

  const CrystalSet part = read_crystal_set(path, 2, 4);
  ASSERT_EQ(part.size(), 2);
  EXPECT_EQ(part.ids, (std::vector<std::string>{"id-2", "id-3"}));
  EXPECT_EQ(part.crystals[1].numbers, set.crystals[3].numbers);
  EXPECT_EQ(part.crystals[0].frac_coords, set.crystals[2].frac_coords);
  EXPECT_EQ(part.numeric[0].values, (std::vector<double>{2.5, 3.5}));
  EXPECT_EQ(part.text[0].values, (std::vector<std::string>{"ccc", ""}));

  EXPECT_THROW(read_crystal_set(path, 3, 9), Error);
  CrystalSet bad = set;
  bad.numeric[0].values.pop_back();
  EXPECT_THROW(write_crystal_set(path, bad), Error);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace torus::crystal
