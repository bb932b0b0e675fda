#include "torus/crystal/form_factors.hpp"

#include <cmath>
#include <string>

#include "torus/core/error.hpp"
#include "torus/crystal/data_table.hpp"
#include "torus/crystal/elements.hpp"

namespace torus::crystal {
namespace {

// The CSV of crystal/data/form_factors.csv as one string literal (see src/CMakeLists.txt).
constexpr const char* form_factors_csv =
#include "torus/crystal/form_factors.inc"
    ;

// A malformed table is a defect of the build, not of the user's input; the message still says
// which line is wrong.
FormFactorTable parse_cromer_mann() {
  std::vector<FormFactorGaussians> by_z(max_atomic_number + 1);
  detail::for_each_table_row(form_factors_csv, "crystal/data/form_factors.csv", 11,
                             [&](const auto& fields, const auto& where) {
                               const int z = std::stoi(fields[0]);
                               TORUS_REQUIRE(z >= 1 && z <= max_atomic_number &&
                                                 by_z[z].a.empty() &&
                                                 element(z).symbol == fields[1],
                                             "the form-factor table has a bad or repeated element",
                                             where, "repair the data file and rebuild");
                               auto& g = by_z[z];
                               for (int i = 0; i < 4; ++i) {
                                 g.a.push_back(std::stod(fields[2 + 2 * i]));
                                 g.b.push_back(std::stod(fields[3 + 2 * i]));
                               }
                               g.c = std::stod(fields[10]);
                             });
  return FormFactorTable(FormFactorForm::cromer_mann, std::move(by_z),
                         "Cromer-Mann coefficients (International Tables Vol. C, Table 6.1.1.4)");
}

}  // namespace

FormFactorTable::FormFactorTable(FormFactorForm form, std::vector<FormFactorGaussians> by_z,
                                 std::string source)
    : form_(form), by_z_(std::move(by_z)), source_(std::move(source)) {
  TORUS_REQUIRE(by_z_.size() <= static_cast<std::size_t>(max_atomic_number + 1),
                "a form-factor table has " + std::to_string(by_z_.size()) + " entries", source_,
                "index the entries by Z = 1 ... 100 (entry 0 unused)");
  by_z_.resize(max_atomic_number + 1);
  for (std::size_t z = 0; z < by_z_.size(); ++z) {
    const auto& g = by_z_[z];
    const std::string where = source_ + ", Z = " + std::to_string(z);
    TORUS_REQUIRE(g.a.size() == g.b.size(), "the a and b coefficients differ in number", where,
                  "give one b_i for every a_i");
    for (double b : g.b) {
      TORUS_REQUIRE(std::isfinite(b) && b >= 0, "a Gaussian width b_i is negative or not finite",
                    where, "give b_i >= 0 in Å^2");
    }
  }
}

bool FormFactorTable::has(int z) const {
  return z >= 1 && z <= max_atomic_number && !by_z_[z].a.empty();
}

const FormFactorGaussians& FormFactorTable::gaussians(int z) const {
  TORUS_REQUIRE(has(z),
                "no X-ray form factor for " + (z >= 1 && z <= max_atomic_number
                                                   ? element(z).symbol
                                                   : "atomic number " + std::to_string(z)),
                source_, "use elements the table covers (the Cromer-Mann table ends at Cf, 98)");
  return by_z_[z];
}

double FormFactorTable::operator()(int z, double s2) const {
  const auto& g = gaussians(z);
  double sum = 0.0;
  for (std::size_t i = 0; i < g.a.size(); ++i) sum += g.a[i] * std::exp(-g.b[i] * s2);
  // Cromer-Mann: f = sum a_i exp(-b_i s^2) + c;  Mott-Bethe: f = Z - K s^2 sum a_i exp(-b_i s^2).
  return form_ == FormFactorForm::cromer_mann ? sum + g.c : z - mott_bethe_constant * s2 * sum;
}

const FormFactorTable& form_factor_table_cromer_mann() {
  static const FormFactorTable table = parse_cromer_mann();
  return table;
}

}  // namespace torus::crystal
