"""The benchmark rivals (benchmarks/ns2d_solver/rivals.py) compute the reference's scheme.

They are fast rewrites (half spectrum, folded constants, explicit Nyquist multipliers), so they
must agree with tests/python/reference/ns2d_fno_numpy.py to round-off; a wrong Nyquist
convention shows up at about 1e-8 here, far above the 1e-12 bound.
"""

import importlib.util
import os

import numpy as np
import pytest

from reference import ns2d_fno_numpy as ref

RIVALS_PATH = os.path.join(os.path.dirname(__file__), "..", "..", "benchmarks", "ns2d_solver",
                           "rivals.py")


def load_rivals():
    spec = importlib.util.spec_from_file_location("ns2d_rivals", RIVALS_PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("impl", ["numpy", "torch"])
def test_rival_matches_reference(impl):
    if impl == "torch":
        pytest.importorskip("torch")
    rivals = load_rivals()
    n, steps, nu, dt = 32, 100, 1e-3, 1e-3
    w0 = rivals.initial_vorticity(n, 2, seed=3)
    forcing = ref.fno_forcing(n)
    np.testing.assert_array_equal(forcing, rivals.fno_forcing(n))
    expected, _ = ref.fno_cn(w0, forcing, nu, dt, steps, steps)
    rival = rivals.IMPLEMENTATIONS[impl](w0, forcing, nu, dt)
    rival.run(steps)
    got = rival.field()
    assert got.shape == (2, n, n)
    assert np.abs(got - expected[:, -1]).max() < 1e-12 * np.abs(expected[:, -1]).max()


def test_rival_multipliers_are_the_reference_ones():
    rivals = load_rivals()
    for n in (8, 16, 64):
        _, _, lap, dealias, mx, my = rivals.half_spectrum_multipliers(n)
        _, _, lap_ref, dealias_ref = ref.fno_operators(n)
        mx_ref, my_ref = ref.half_spectrum_derivative_multipliers(n)
        np.testing.assert_array_equal(lap, lap_ref[:, : n // 2 + 1])
        np.testing.assert_array_equal(dealias, dealias_ref[:, : n // 2 + 1])
        np.testing.assert_array_equal(mx, mx_ref)
        np.testing.assert_array_equal(my, my_ref)
