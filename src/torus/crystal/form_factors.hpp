#pragma once
/// \file
/// X-ray atomic form factors f(s) of neutral atoms, s = sin(theta) / lambda = |g| / 2 in 1/Å
/// (g the reciprocal-lattice vector, |g| = 1/d). Two parametrisations as sums of Gaussians:
///
/// - Cromer-Mann (the default, crystal/data/form_factors.csv, International Tables Vol. C,
///   Table 6.1.1.4): f(s) = sum_i a_i exp(-b_i s^2) + c.
/// - Mott-Bethe: f(s) = Z - K s^2 sum_i a_i exp(-b_i s^2), K = 8 pi^2 a0 = 41.78214 Å, with
///   a_i, b_i fitted to the electron scattering factor. pymatgen's XRDCalculator uses this form;
///   torus ships no coefficients for it, callers supply them (form_factor_table_mott_bethe).

#include <string>
#include <vector>

namespace torus::crystal {

/// The constant of the Mott-Bethe formula, 8 pi^2 a0 in Å (a0 the Bohr radius).
inline constexpr double mott_bethe_constant = 41.78214;

/// Which of the two formulas in the file comment a table's coefficients belong to.
enum class FormFactorForm { cromer_mann, mott_bethe };

/// The Gaussians of one element: a_i in electrons (Cromer-Mann) or Å (Mott-Bethe), b_i in Å^2.
struct FormFactorGaussians {
  std::vector<double> a, b;
  /// Cromer-Mann's constant c; unused by the Mott-Bethe form.
  double c = 0.0;
};

/// Form-factor coefficients for the elements Z = 1 ... 100, some of which may be missing.
class FormFactorTable {
 public:
  /// A table of `form`; `by_z[z]` holds element z (index 0 unused; empty `a` means missing).
  /// `source` names the table in messages. Throws torus::Error when a row's a and b differ in
  /// length, a b_i is negative, or there are more than 101 entries.
  FormFactorTable(FormFactorForm form, std::vector<FormFactorGaussians> by_z, std::string source);

  /// f(s) of element `z` at s^2 = (sin(theta) / lambda)^2, in electrons. Throws torus::Error
  /// naming the element when the table has no coefficients for it.
  double operator()(int z, double s2) const;

  /// The coefficients of element `z`; throws as operator() does.
  const FormFactorGaussians& gaussians(int z) const;

  /// True when the table has coefficients for element `z`.
  bool has(int z) const;

  FormFactorForm form() const { return form_; }
  const std::string& source() const { return source_; }

 private:
  FormFactorForm form_;
  std::vector<FormFactorGaussians> by_z_;
  std::string source_;
};

/// The Cromer-Mann table of crystal/data/form_factors.csv (Z = 1 ... 98), parsed once.
const FormFactorTable& form_factor_table_cromer_mann();

}  // namespace torus::crystal
