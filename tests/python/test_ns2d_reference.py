"""Tests of the NumPy reference of the fno-cn Navier-Stokes scheme (tests/python/reference).

These check the reference against exact facts, without the C++ solver: the Crank-Nicolson
decay of a Taylor-Green vortex, conservation of the mean, the discrete energy/enstrophy budget of
one step, that the state stays Hermitian (real fields), agreement with an independent
rfft2/irfft2 (half-spectrum) implementation, and the exact Nyquist multipliers a C++ r2c/c2r
implementation must use to reproduce the reference.

Tolerances: double precision round-off of FFTs at these sizes is a few 1e-16 relative to the
largest entry; chained over tens of steps it stays below 1e-13, so 1e-12 is the round-off bound.
"""

import math

import numpy as np
import pytest

from reference import ns2d_fno_numpy as ref

TWO_PI = 2.0 * math.pi


def smooth_field(n, batch, seed, band=None, tau=7.0, alpha=2.5):
    """A zero-mean random field with the FNO Gaussian-random-field spectrum shape
    (4 pi^2 |k|^2 + tau^2)^(-alpha/2), optionally cut to |kx|, |ky| <= band. It has small but
    non-zero content on the Nyquist row and column unless band < n/2."""
    rng = np.random.default_rng(seed)
    kx, ky, _, _ = ref.fno_operators(n)
    amplitude = (4.0 * math.pi**2 * (kx**2 + ky**2) + tau**2) ** (-alpha / 2.0)
    amplitude[0, 0] = 0.0
    if band is not None:
        amplitude *= (np.abs(kx) <= band) & (np.abs(ky) <= band)
    spectrum = np.fft.fft2(rng.standard_normal((batch, n, n))) * amplitude
    w = np.fft.ifft2(spectrum).real
    return w / np.abs(w).max()


def relative_error(got, expected):
    return np.abs(got - expected).max() / np.abs(expected).max()


# ---- Taylor-Green: a single |k| shell whose advection vanishes ---------------------------------
@pytest.mark.parametrize("m", [1, 3])
def test_taylor_green_decays_by_the_crank_nicolson_factor(m):
    n, nu, dt, steps, every, velocity = 32, 0.01, 0.01, 120, 10, 1.5
    kappa = TWO_PI * m
    x = np.arange(n) / n
    X, Y = np.meshgrid(x, x, indexing="ij")
    w0 = 2.0 * velocity * kappa * np.sin(kappa * X) * np.sin(kappa * Y)

    snapshots, times = ref.fno_cn(w0, None, nu, dt, steps, every)
    assert snapshots.shape == (1, steps // every, n, n)
    assert snapshots.dtype == np.float64

    # The four modes (+-m, +-m) share lap = 4 pi^2 (2 m^2) = 2 kappa^2, so a = dt nu kappa^2.
    a = 0.5 * dt * nu * (2.0 * kappa**2)
    for c in range(steps // every):
        factor = ((1.0 - a) / (1.0 + a)) ** ((c + 1) * every)
        assert relative_error(snapshots[0, c], factor * w0) < 1e-12
        # And the exact decay exp(-2 nu kappa^2 t), up to CN's O(dt^3) error per step.
        exact = math.exp(-2.0 * nu * kappa**2 * times[c])
        lam_dt = 2.0 * nu * kappa**2 * dt
        assert abs(factor - exact) <= (c + 1) * every * lam_dt**3 / 12.0 * 1.01
    np.testing.assert_allclose(times, dt * every * np.arange(1, steps // every + 1), rtol=1e-12)


# ---- mean, reality ----------------------------------------------------------------------------
def test_zero_mean_field_keeps_zero_mean():
    n = 64
    w0 = smooth_field(n, 3, seed=1)
    snapshots, _ = ref.fno_cn(w0, ref.fno_forcing(n), 1e-3, 1e-3, 60, 20)
    assert np.abs(w0.mean(axis=(1, 2))).max() < 1e-15
    assert np.abs(snapshots.mean(axis=(2, 3))).max() < 1e-13


def test_state_stays_hermitian_so_fields_are_real():
    n = 32
    kx, ky, lap, dealias = ref.fno_operators(n)
    rng = np.random.default_rng(2)
    w_h = np.fft.fft2(rng.standard_normal((2, n, n)))  # O(1) content on the Nyquist lines
    f_h = np.fft.fft2(ref.fno_forcing(n))
    for _ in range(40):
        w_h = ref.fno_cn_step(w_h, f_h, 1e-3, 1e-3, kx, ky, lap, dealias)
    mirror = np.roll(np.flip(w_h, axis=(1, 2)), 1, axis=(1, 2))  # w_h[-kx, -ky]
    assert np.abs(w_h - np.conj(mirror)).max() < 1e-12 * np.abs(w_h).max()
    field = np.fft.ifft2(w_h)
    assert np.abs(field.imag).max() < 1e-13 * np.abs(field.real).max()
    np.testing.assert_allclose(ref.irfft2_full(w_h), field.real, rtol=0, atol=1e-13)


# ---- energy and enstrophy ---------------------------------------------------------------------
def test_advection_conserves_energy_and_enstrophy_for_dealiased_fields():
    # Band-limited to |k| <= n/4 < n/3, the cubic products are resolved exactly on the grid, so
    # <w_h, F_h> (enstrophy) and <psi_h, F_h> (energy) vanish to round-off.
    n = 48
    kx, ky, lap, dealias = ref.fno_operators(n)
    w_h = np.fft.fft2(smooth_field(n, 2, seed=3, band=n // 4))
    F_h = ref.fno_nonlinear_term(w_h, kx, ky, lap, dealias)
    scale = np.sum(np.abs(w_h) * np.abs(F_h), axis=(1, 2))
    enstrophy_rate = np.sum(np.conj(w_h) * F_h, axis=(1, 2)).real
    energy_rate = np.sum(np.conj(w_h / lap) * F_h, axis=(1, 2)).real
    assert np.all(np.abs(enstrophy_rate) < 1e-13 * scale)
    assert np.all(np.abs(energy_rate) < 1e-13 * scale)


@pytest.mark.parametrize("forced", [False, True])
def test_one_step_enstrophy_budget(forced):
    # Crank-Nicolson in Euler form: w1 - w0 = dt (f - F0 - nu lap (w0 + w1) / 2). The inner
    # product with (w0 + w1) / 2 gives the exact discrete budget
    #   Z1 - Z0 = dt Re<(w0 + w1)/2, f - F0> - dt nu sum lap |(w0 + w1)/2|^2,   Z = sum |w_h|^2 / 2
    n, nu, dt = 32, 2e-3, 5e-3
    kx, ky, lap, dealias = ref.fno_operators(n)
    w0_h = np.fft.fft2(smooth_field(n, 2, seed=4))
    f_h = np.fft.fft2(ref.fno_forcing(n)) if forced else np.zeros((n, n), complex)
    w1_h = ref.fno_cn_step(w0_h, f_h, nu, dt, kx, ky, lap, dealias)
    F0_h = ref.fno_nonlinear_term(w0_h, kx, ky, lap, dealias)

    def enstrophy(s):
        return 0.5 * np.sum(np.abs(s) ** 2, axis=(-2, -1))

    mid = 0.5 * (w0_h + w1_h)
    change = enstrophy(w1_h) - enstrophy(w0_h)
    budget = dt * np.sum(np.conj(mid) * (f_h - F0_h), axis=(-2, -1)).real - dt * nu * np.sum(
        lap * np.abs(mid) ** 2, axis=(-2, -1))
    assert np.all(change < 0)  # viscous dissipation dominates at this size
    np.testing.assert_allclose(change, budget, rtol=1e-10, atol=1e-12 * enstrophy(w0_h).max())


def test_unforced_energy_and_enstrophy_decay():
    n = 32
    kx, ky, lap, _ = ref.fno_operators(n)
    w0 = smooth_field(n, 2, seed=5, band=n // 4)
    snapshots, _ = ref.fno_cn(w0, None, 1e-2, 2e-3, 200, 20)
    fields = np.concatenate([w0[:, None], snapshots], axis=1)
    w_h = np.fft.fft2(fields)
    enstrophy = np.sum(np.abs(w_h) ** 2, axis=(-2, -1))
    energy = np.sum(np.abs(w_h) ** 2 / lap, axis=(-2, -1))
    assert np.all(np.diff(enstrophy, axis=1) < 0)
    assert np.all(np.diff(energy, axis=1) < 0)
    # Viscous decay is at least exp(-2 nu lap_min t) for energy (no forcing, advection
    # conserves it up to forward Euler's O(dt^2) gain), lap_min = 4 pi^2.
    t = 200 * 2e-3
    assert np.all(energy[:, -1] >= energy[:, 0] * math.exp(-2 * 1e-2 * lap[kx != 0].max() * t))
    assert np.all(energy[:, -1] <= energy[:, 0] * math.exp(-2 * 1e-2 * 4 * math.pi**2 * t) * 1.001)


# ---- an independent half-spectrum implementation -----------------------------------------------
def half_spectrum_fno_cn(w0, forcing, nu, dt, steps):
    """The same scheme written on the r2c half spectrum: rfft2 forward, irfft2 inverse, and the
    multipliers of the full-spectrum scheme restricted to ky = 0..n/2 (ky = -n/2 at the Nyquist
    column, as in the reference's wavenumber list). Returns the final field."""
    n = w0.shape[-1]
    h = n // 2 + 1
    kx, ky, lap, dealias = (a[:, :h] for a in ref.fno_operators(n))
    w_h = np.fft.rfft2(w0)
    f_h = np.fft.rfft2(forcing)
    for _ in range(steps):
        psi_h = w_h / lap
        u = np.fft.irfft2(TWO_PI * 1j * ky * psi_h, s=(n, n))
        v = np.fft.irfft2(-TWO_PI * 1j * kx * psi_h, s=(n, n))
        w_x = np.fft.irfft2(TWO_PI * 1j * kx * w_h, s=(n, n))
        w_y = np.fft.irfft2(TWO_PI * 1j * ky * w_h, s=(n, n))
        F_h = np.fft.rfft2(u * w_x + v * w_y) * dealias
        a = 0.5 * dt * nu * lap
        w_h = (-dt * F_h + dt * f_h + (1.0 - a) * w_h) / (1.0 + a)
    return np.fft.irfft2(w_h, s=(n, n))


def test_matches_a_half_spectrum_implementation():
    n, steps = 64, 100
    w0 = smooth_field(n, 2, seed=6)
    forcing = ref.fno_forcing(n)
    snapshots, times = ref.fno_cn(w0, forcing, 1e-3, 1e-3, steps, steps)
    assert times.shape == (1,) and abs(times[0] - 0.1) < 1e-14
    expected = half_spectrum_fno_cn(w0, forcing, 1e-3, 1e-3, steps)
    assert relative_error(snapshots[:, -1], expected) < 1e-12


def test_single_input_and_recording_layout():
    n = 16
    w0 = smooth_field(n, 1, seed=7)
    batched, times_b = ref.fno_cn(w0, ref.fno_forcing(n), 1e-3, 1e-2, 10, 3)
    single, times_s = ref.fno_cn(w0[0], ref.fno_forcing(n), 1e-3, 1e-2, 10, 3)
    assert batched.shape == single.shape == (1, 3, n, n)
    np.testing.assert_array_equal(batched, single)
    np.testing.assert_array_equal(times_b, times_s)
    # record after steps 3, 6, 9 (t accumulated by repeated addition)
    t, expected = 0.0, []
    for j in range(10):
        t += 1e-2
        if (j + 1) % 3 == 0:
            expected.append(t)
    np.testing.assert_array_equal(times_b, expected)
    # the snapshot after step 3 is three single steps
    kx, ky, lap, dealias = ref.fno_operators(n)
    w_h = np.fft.fft2(w0)
    f_h = np.fft.fft2(ref.fno_forcing(n))
    for _ in range(3):
        w_h = ref.fno_cn_step(w_h, f_h, 1e-3, 1e-2, kx, ky, lap, dealias)
    np.testing.assert_array_equal(batched[:, 0], ref.irfft2_full(w_h))


def test_fno_forcing():
    n = 64
    f = ref.fno_forcing(n)
    assert f.shape == (n, n)
    x = np.arange(n) / n
    assert abs(f[3, 5] - 0.1 * (math.sin(TWO_PI * (x[3] + x[5])) + math.cos(TWO_PI * (x[3] + x[5])))) < 1e-15
    f_h = np.fft.fft2(f) / n**2
    # 0.1 (sin + cos)(2 pi (x + y)): modes (1, 1) = 0.05 (1 - i) and (-1, -1) = 0.05 (1 + i)
    assert abs(f_h[1, 1] - 0.05 * (1 - 1j)) < 1e-15
    assert abs(f_h[-1, -1] - 0.05 * (1 + 1j)) < 1e-15
    f_h[1, 1] = f_h[-1, -1] = 0
    assert np.abs(f_h).max() < 1e-15


# ---- the Nyquist convention, for r2c/c2r implementations ---------------------------------------
def hermitian_inverse(half, n):
    """A c2r transform that never discards anything: complete the half spectrum to a full one
    (columns 1..n/2-1 mirrored as conj(H[-kx, ky]); the ky = 0 and ky = n/2 columns taken as
    they are) and run the complex ifft2. Returns the complex result; its imaginary part is zero
    only if the half spectrum was Hermitian-consistent."""
    full = np.zeros(half.shape[:-1] + (n,), dtype=complex)
    full[..., : n // 2 + 1] = half
    mirrored = np.conj(np.roll(np.flip(half[..., 1 : n // 2], axis=(-2, -1)), 1, axis=-2))
    full[..., n // 2 + 1 :] = mirrored
    return np.fft.ifft2(full)


def test_nyquist_multipliers_on_the_half_spectrum_reproduce_the_reference():
    n, h = 16, 9
    kx, ky, _, _ = ref.fno_operators(n)
    rng = np.random.default_rng(8)
    w = rng.standard_normal((4, n, n))  # white noise: O(1) Nyquist content
    w_h = np.fft.fft2(w)
    half = np.fft.rfft2(w)
    mx, my = ref.half_spectrum_derivative_multipliers(n)

    # the stated multipliers
    assert mx[n // 2, 0] == 0 and mx[n // 2, n // 2] == 0
    np.testing.assert_array_equal(mx[n // 2, 1 : n // 2], TWO_PI * 1j * (-n / 2))
    np.testing.assert_array_equal(my[:, n // 2], 0)
    np.testing.assert_array_equal(my[:, : n // 2], TWO_PI * 1j * ky[:, : n // 2])

    for m, k in ((mx, kx), (my, ky)):
        expected = ref.irfft2_full(TWO_PI * 1j * k * w_h)
        product = m * half
        # same real field with numpy's c2r ...
        assert relative_error(np.fft.irfft2(product, s=(n, n)), expected) < 1e-14
        # ... and with a c2r that uses every entry: the product is Hermitian-consistent (its
        # ky = 0 and ky = n/2 columns satisfy P[-kx] = conj(P[kx])), so any c2r agrees
        for col in (0, n // 2):
            column = product[:, :, col]
            mirror = np.roll(np.flip(column, axis=-1), 1, axis=-1)
            assert np.abs(column - np.conj(mirror)).max() < 1e-12 * np.abs(product).max()
        full_inverse = hermitian_inverse(product, n)
        assert np.abs(full_inverse.imag).max() < 1e-14 * np.abs(expected).max()
        assert relative_error(full_inverse.real, expected) < 1e-14

    # The statement is sharp: on the Nyquist row of d/dx, dropping the -n/2 entries or using +n/2
    # changes the field at O(1); the plain multiplier 2 pi i (-n/2) on the self-conjugate entries
    # gives a non-Hermitian product (numpy's c2r happens to discard it, another c2r need not).
    expected_x = ref.irfft2_full(TWO_PI * 1j * kx * w_h)
    for value in (0.0, n / 2):
        wrong = mx.copy()
        wrong[n // 2, 1 : n // 2] = TWO_PI * 1j * value
        assert relative_error(np.fft.irfft2(wrong * half, s=(n, n)), expected_x) > 0.1
    plain = TWO_PI * 1j * kx[:, :h]
    assert np.abs(hermitian_inverse(plain * half, n).imag).max() > 1e-3 * np.abs(expected_x).max()
    plain_y = TWO_PI * 1j * ky[:, :h]  # -n/2 on the Nyquist column
    assert np.abs(hermitian_inverse(plain_y * half, n).imag).max() > 1e-3 * np.abs(expected_x).max()
