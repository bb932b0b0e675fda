"""torus.crystal's spglib results against Debian's spglib Python bindings: space groups,
Wyckoff letters and equivalent atoms at symprec 0.01, 0.1 and 0.5 on every crystal of
perov_5/test.csv and carbon_24/val.csv; Niggli-reduced lattices; primitive, standard and refined
cells. Both call the same C library, so they must agree exactly (tolerance 1e-10 on cells).
Needs ../shared/data (or $TORUS_DATA): skips without it.
"""


import numpy as np
import pytest

import torus
import torus.crystal as tc

spglib = pytest.importorskip("spglib", reason="spglib's Python bindings are the reference")

from crystal_data import needs_crystals, read_rows  # noqa: E402

pytestmark = needs_crystals

_cache = {}


def crystals(name):
    if name not in _cache:
        _cache[name] = [(r["material_id"], tc.read_cif(r["cif"])) for r in read_rows(name)]
    return _cache[name]


def cell(c):
    return (c.lattice, c.frac_coords, c.numbers)


@pytest.mark.parametrize("symprec", [0.01, 0.1, 0.5])
@pytest.mark.parametrize("name", ["perov_5/test.csv", "carbon_24/val.csv"])
def test_space_groups_wyckoffs_and_orbits_match_spglib(name, symprec):
    mismatches, both_failed = [], 0
    for mid, c in crystals(name):
        ref = spglib.get_symmetry_dataset(cell(c), symprec=symprec)
        try:
            mine = tc.spacegroup(c, symprec=symprec)
        except torus.TorusError:
            if ref is None:
                both_failed += 1
                continue
            mismatches.append((mid, "torus failed"))
            continue
        if ref is None:
            mismatches.append((mid, "spglib failed"))
            continue
        same = (mine.number == ref["number"] and mine.international == ref["international"]
                and mine.hall_number == ref["hall_number"]
                and list(mine.wyckoffs) == list(ref["wyckoffs"])
                and list(mine.equivalent_atoms) == list(ref["equivalent_atoms"])
                and np.array_equal(mine.rotations, ref["rotations"])
                and np.allclose(mine.translations, ref["translations"], atol=1e-10))
        if not same:
            mismatches.append((mid, mine.number, ref["number"]))
    assert not mismatches, f"{len(mismatches)} of {len(crystals(name))} differ: {mismatches[:5]}"
    assert both_failed < len(crystals(name))


@pytest.mark.parametrize("name", ["perov_5/test.csv", "carbon_24/val.csv"])
def test_niggli_reduction_matches_spglib(name):
    for mid, c in crystals(name):
        ref = spglib.niggli_reduce(c.lattice, eps=1e-5)
        np.testing.assert_allclose(tc.niggli_reduce(c.lattice), ref, atol=1e-10, err_msg=mid)


def compare_cells(mine, ref, mid):
    lattice, positions, numbers = ref
    np.testing.assert_allclose(mine.lattice, lattice, atol=1e-10, err_msg=mid)
    assert list(mine.numbers) == list(numbers), mid
    d = mine.frac_coords - np.asarray(positions)
    assert np.abs(d - np.round(d)).max() < 1e-10, mid


@pytest.mark.parametrize("name", ["perov_5/test.csv", "carbon_24/val.csv"])
def test_standard_cells_match_spglib(name):
    for mid, c in crystals(name)[:300]:
        for mine_fn, ref_fn in [
                (tc.refine, lambda x: spglib.refine_cell(x, symprec=0.1)),
                (tc.primitive, lambda x: spglib.find_primitive(x, symprec=0.1)),
                (tc.standardize, lambda x: spglib.standardize_cell(x, symprec=0.1))]:
            ref = ref_fn(cell(c))
            if ref is None:
                with pytest.raises(torus.TorusError):
                    mine_fn(c, symprec=0.1)
                continue
            compare_cells(mine_fn(c, symprec=0.1), ref, mid)


def test_operations_of_hall_match_spglib():
    for hall in (1, 2, 100, 400, 517, 523, 530):
        rotations, translations = tc.operations_of_hall(hall)
        ref = spglib.get_symmetry_from_database(hall)
        assert np.array_equal(rotations, ref["rotations"])
        np.testing.assert_allclose(translations, ref["translations"], atol=1e-12)
