"""torus neighbour lists against pymatgen's Structure.get_neighbor_list on the shared crystal
sets (every edge i -> j + n within the cutoff, the same distances), plus the max_neighbors and
fully connected variants on the same crystals."""

import warnings

import numpy as np
import pytest

pytest.importorskip("pymatgen.core")
from pymatgen.core import Structure  # noqa: E402

crystal_matching = pytest.importorskip("torus._torus").crystal_matching

from crystal_data import read_rows  # noqa: E402


def structures(count):
    rows = read_rows("carbon_24/val.csv")
    rng = np.random.default_rng(3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [Structure.from_str(rows[i]["cif"], fmt="cif")
                for i in rng.choice(len(rows), count, replace=False)]


def arrays(s):
    return (np.array(s.lattice.matrix), np.array(s.frac_coords),
            np.array([site.specie.Z for site in s], dtype=np.int32))


def edge_dict(src, dst, image, distance):
    return {(int(i), int(j), *map(int, np.rint(n))): d
            for i, j, n, d in zip(src, dst, image, distance)}


@pytest.mark.parametrize("cutoff", [2.0, 5.0, 9.0])
def test_neighbor_list_matches_pymatgen(cutoff):
    for s in structures(12):
        ours = crystal_matching.neighbor_list(*arrays(s), cutoff)
        got = edge_dict(ours["src"], ours["dst"], ours["image"], ours["distance"])
        ref = edge_dict(*s.get_neighbor_list(cutoff))
        # Edges within 1e-9 of the cutoff may fall either side of it in either code.
        near = {k for k, d in {**got, **ref}.items() if abs(d - cutoff) < 1e-9}
        assert set(got) - near == set(ref) - near
        for key in set(ref) - near:
            assert abs(got[key] - ref[key]) < 1e-10


def test_max_neighbors_and_fully_connected():
    for s in structures(6):
        full = crystal_matching.neighbor_list(*arrays(s), 6.0)
        cut = crystal_matching.neighbor_list(*arrays(s), 6.0, max_neighbors=12)
        for i in range(len(s)):
            d_full = np.sort(full["distance"][full["src"] == i])
            d_cut = cut["distance"][cut["src"] == i]
            assert len(d_cut) == min(12, len(d_full))
            np.testing.assert_array_equal(d_cut, d_full[:len(d_cut)])
        graph = crystal_matching.fully_connected_graph(*arrays(s))
        n = len(s)
        assert len(graph["src"]) == n * (n - 1)
        expected = s.lattice.get_all_distances(s.frac_coords, s.frac_coords)
        np.testing.assert_allclose(graph["distance"], expected[graph["src"], graph["dst"]],
                                   atol=1e-10)
