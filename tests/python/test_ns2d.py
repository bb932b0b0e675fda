"""torus.pde.ns2d against the independent NumPy implementation of the FNO scheme.

The fno-cn scheme must reproduce the FNO data generator (tests/python/reference) to round-off:
200 steps from the same Gaussian random field, with the Nyquist modes of the initial field
present (the FNO field has them), at 64^2 and at the 256^2 of the published data sets. Double
precision FFT round-off is a few 1e-16 of the largest entry per transform; over 200 steps of a
smooth, viscous flow it stays near 1e-14, so 1e-11 is a round-off bound that still fails for any
wrong mode, sign or Nyquist convention (those give errors of 1e-6 and more, see the
Nyquist-convention test below).

Also: the Gaussian random field is real, zero-mean and the same for any batch split; the other
schemes agree with fno-cn to their time error; bad input raises TorusError.
"""

import numpy as np
import pytest

import torus
import torus.pde as pde
from reference import ns2d_fno_numpy as ref


def relative_error(got, want):
    return np.max(np.abs(got - want)) / np.max(np.abs(want))


@pytest.mark.parametrize("n,batch", [(64, 3), (256, 1)])
def test_fno_scheme_matches_the_numpy_reference_over_200_steps(n, batch):
    w0 = pde.gaussian_random_field(n, batch, seed=2024)
    nu, dt, steps = 1e-3, 1e-4, 200
    want, want_t = ref.fno_cn(w0, ref.fno_forcing(n), nu, dt, steps, record_every=100)
    got, got_t = pde.ns2d(w0, nu, t_end=steps * dt, dt=dt, forcing="fno", scheme="fno-cn",
                          save_every=100 * dt)
    assert got.shape == want.shape == (batch, 2, n, n)
    np.testing.assert_allclose(got_t, want_t, rtol=1e-12)
    assert relative_error(got, want) < 1e-11
    # The flow moved: the comparison is not of two copies of w0.
    assert relative_error(w0, want[:, -1]) > 1e-4


def test_the_nyquist_convention_matters_at_this_tolerance():
    # A standard-convention scheme from the same field differs far above round-off, so the
    # round-off agreement above really tests FNO's conventions.
    n = 64
    w0 = pde.gaussian_random_field(n, 1, seed=5)
    want, _ = ref.fno_cn(w0, ref.fno_forcing(n), 1e-3, 1e-4, 50, record_every=50)
    other, _ = pde.ns2d(w0, 1e-3, t_end=50e-4, dt=1e-4, scheme="arkimex:2c")
    assert relative_error(other, want[:, -1]) > 1e-7


def test_gaussian_random_field_is_real_zero_mean_and_split_independent():
    whole = pde.gaussian_random_field(32, 4, seed=9)
    assert whole.shape == (4, 32, 32) and whole.dtype == np.float64
    assert np.all(np.abs(whole.mean(axis=(1, 2))) < 1e-14 * np.abs(whole).max())
    tail = pde.gaussian_random_field(32, 2, seed=9, first_sample=2)
    # Same coefficients; the transforms of batches of 4 and 2 may round differently.
    assert relative_error(tail, whole[2:]) < 1e-14
    assert not np.allclose(whole[0], whole[1])


@pytest.mark.parametrize("scheme", ["arkimex:3", "rk:4"])
def test_other_schemes_agree_with_fno_cn_to_its_time_error(scheme):
    # A smooth field resolved by the grid (no Nyquist content): the conventions then agree and
    # the difference is fno-cn's first-order time error, dt * O(1).
    n = 64
    w0 = pde.gaussian_random_field(n, 1, seed=3, alpha=4.0, tau=3.0)
    w0 *= 5.0 / np.abs(w0).max()
    fno, _ = pde.ns2d(w0, 1e-2, t_end=0.1, dt=1e-4)
    other, _ = pde.ns2d(w0, 1e-2, t_end=0.1, dt=1e-3, scheme=scheme)
    error = relative_error(other, fno)
    assert 1e-7 < error < 1e-3


def test_single_field_in_single_field_out():
    w0 = pde.gaussian_random_field(32, 1, seed=1)[0]
    snapshots, times = pde.ns2d(w0, 1e-3, t_end=2e-3, dt=1e-4, save_every=1e-3)
    assert snapshots.shape == (2, 32, 32)
    np.testing.assert_allclose(times, [1e-3, 2e-3], rtol=1e-12)


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        (dict(nu=0.0), "viscosity"),
        (dict(nu=-1.0), "viscosity"),
        (dict(dt=0.0), "time step"),
        (dict(scheme="euler"), "scheme"),
        (dict(forcing="gravity"), "forcing"),
        (dict(save_every=3e-4), "whole number"),
        (dict(dt=3e-4), "whole number of steps"),
    ],
)
def test_bad_input_raises_torus_error(kwargs, fragment):
    w0 = pde.gaussian_random_field(16, 1, seed=1)
    arguments = dict(nu=1e-3, t_end=1e-3, dt=1e-4)
    arguments.update(kwargs)
    with pytest.raises(torus.TorusError, match=fragment):
        pde.ns2d(w0, **arguments)


def test_a_blow_up_names_a_stable_step():
    w0 = 100 * pde.gaussian_random_field(32, 1, seed=5)
    with pytest.raises(torus.TorusError, match=r"blew up at t = .*dt <="):
        pde.ns2d(w0, 1e-4, t_end=1.0, dt=0.05, check_every=5)


def test_bad_shapes_raise():
    with pytest.raises(torus.TorusError):
        pde.ns2d(np.zeros(16), 1e-3, 1e-3)
    with pytest.raises(torus.TorusError):
        pde.ns2d(np.zeros((1, 1, 16, 16)), 1e-3, 1e-3)
    with pytest.raises(torus.TorusError, match="not finite"):
        pde.ns2d(np.full((16, 16), np.nan), 1e-3, 1e-3)


def test_presets_are_the_commands_and_reproduce_a_generated_sample(tmp_path):
    assert set(pde.presets()) >= {"fno-1e-3", "fno-1e-4", "spectral-refiner", "small"}
    fno = pde.preset("fno-1e-3")
    assert fno["n"] == 256 and fno["stored"] == [64]
    assert fno["ns2d"]["nu"] == 1e-3 and fno["ns2d"]["dt"] == 1e-4
    assert fno["ns2d"]["scheme"] == "fno-cn" and fno["ns2d"]["forcing"] == "fno"
    np.testing.assert_allclose(fno["ns2d"]["times"], np.arange(51.0))
    refiner = pde.preset("spectral-refiner")
    assert len(refiner["ns2d"]["times"]) == 100 and refiner["ns2d"]["times"][0] > 30

    # One sample of the small preset, by hand, equals the generated data set's.
    import h5py

    small = pde.preset("small")
    output = tmp_path / "small.h5"
    report = pde.generate("small", str(output), samples=2, seed=4)
    assert report["samples_simulated"] == 2
    with h5py.File(output, "r") as f:
        stored = f["vorticity"][...]
    w0 = pde.gaussian_random_field(small["n"], 2, seed=4, **small["field"])
    snapshots, _ = pde.ns2d(w0, **small["ns2d"])
    stride = small["n"] // small["stored"][0]
    mine = snapshots[:, :, ::stride, ::stride]
    assert mine.shape == stored.shape
    assert relative_error(mine, stored) < 1e-11
    # Resuming a complete data set does nothing.
    assert pde.generate("small", str(output), samples=2, seed=4)["already_complete"]


def test_unknown_preset_and_both_time_arguments_raise():
    with pytest.raises(torus.TorusError, match="preset"):
        pde.preset("fno-1e-9")
    w0 = pde.gaussian_random_field(16, 1, seed=1)
    with pytest.raises(TypeError):
        pde.ns2d(w0, 1e-3, t_end=1e-3, times=[1e-3])
    with pytest.raises(torus.TorusError, match="increasing"):
        pde.ns2d(w0, 1e-3, times=[2e-3, 1e-3])
