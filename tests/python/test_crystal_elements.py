"""The element table of torus.crystal against pymatgen's Element, for Z = 1 ... 100.

Masses agree to 1e-2 u, Pauling electronegativities to 1e-2, the common oxidation states
(``common_oxidation_states``), all oxidation states (``oxidation_states``, compared as sorted
tuples) and the metal flag exactly, except for the differences listed in KNOWN, each with its
reason. No oxidation-state list differs: the compositional-validity metric depends on them.
"""

import math
import warnings

import pytest

import torus.crystal as tc

pymatgen_core = pytest.importorskip("pymatgen.core", reason="pymatgen is the reference here")

# (Z, field) -> why torus differs from pymatgen 2022.11 on purpose.
KNOWN = {
    (30, "mass"): "IUPAC revised Zn to 65.38 in 2007; pymatgen keeps 65.409",
    (32, "mass"): "IUPAC revised Ge to 72.630 in 2009; pymatgen keeps 72.64",
    (34, "mass"): "IUPAC revised Se to 78.971 in 2013; pymatgen keeps 78.96",
    (42, "mass"): "IUPAC revised Mo to 95.95 in 2013; pymatgen keeps 95.94",
    (84, "mass"): "torus uses the longest-lived isotope Po-209; pymatgen Po-210",
    (86, "mass"): "torus uses the longest-lived isotope Rn-222; pymatgen Rn-220",
}


def differences(z):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pymatgen warns on elements without electronegativity
        ref = pymatgen_core.Element.from_Z(z)
        ref_x = ref.X
    mine = tc.element(z)
    found = {}
    if mine["symbol"] != ref.symbol:
        found["symbol"] = (mine["symbol"], ref.symbol)
    if abs(mine["mass"] - float(ref.atomic_mass)) > 1e-2:
        found["mass"] = (mine["mass"], float(ref.atomic_mass))
    x = mine["electronegativity"]
    if not ((math.isnan(x) and math.isnan(ref_x)) or abs(x - ref_x) <= 1e-2):
        found["electronegativity"] = (x, ref_x)
    if tuple(mine["oxidation_states"]) != tuple(ref.common_oxidation_states):
        found["oxidation_states"] = (mine["oxidation_states"], ref.common_oxidation_states)
    if tuple(mine["all_oxidation_states"]) != tuple(sorted(ref.oxidation_states)):
        found["all_oxidation_states"] = (mine["all_oxidation_states"], ref.oxidation_states)
    if mine["metal"] != ref.is_metal:
        found["metal"] = (mine["metal"], ref.is_metal)
    return found


@pytest.mark.parametrize("z", range(1, 101))
def test_element_matches_pymatgen(z):
    found = differences(z)
    unexpected = {k: v for k, v in found.items() if (z, k) not in KNOWN}
    assert not unexpected, f"Z={z}: torus vs pymatgen {unexpected}"


def test_known_differences_are_still_differences():
    # A listed difference that pymatgen no longer has should leave the list.
    for (z, field), why in KNOWN.items():
        assert field in differences(z), f"Z={z} {field} now agrees ({why}); remove it from KNOWN"


def test_unknown_atomic_number_is_an_error():
    import torus
    with pytest.raises(torus.TorusError):
        tc.element(101)
