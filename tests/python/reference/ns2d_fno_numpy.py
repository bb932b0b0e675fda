"""Reference NumPy transcription of the "fno-cn" 2-D Navier-Stokes scheme.

This is the pseudo-spectral vorticity solver that produced the Navier-Stokes data sets of the
Fourier Neural Operator paper (Li et al. 2021), rewritten step by step in float64 NumPy. It is
deliberately *not* optimised: every line mirrors one line of the algorithm, so that it can serve
as the independent truth in a round-off comparison with the C++ solver.

Problem: vorticity w(x, y, t) on the unit square [0, 1)^2, periodic, N x N grid, x along axis 0
and y along axis 1 (grid points x_i = i / N),

    dw/dt + u . grad w = nu lap w + f,   u = (u, v) = (d psi/dy, -d psi/dx),   -lap psi = w.

Conventions (exactly those of the original code)
------------------------------------------------
* Spectra are *full* complex 2-D FFTs with NumPy's backward normalisation:
  w_h = numpy.fft.fft2(w), w = ifft2(w_h) (1/N^2 on the inverse).
* Integer wavenumbers kx (along axis 0) and ky (along axis 1) are both
  [0, 1, ..., N/2 - 1, -N/2, ..., -1]; the Nyquist index N/2 carries the value -N/2 and is not
  zeroed.
* lap = 4 pi^2 (kx^2 + ky^2) (the symbol of -Laplacian), with lap[0, 0] = 1 to avoid 0/0.
* dealias = (|kx| <= (2/3)(N/2)) & (|ky| <= (2/3)(N/2)).
* Every inverse transform is "irfft2 of the full spectrum": irfft2(X[:, :N//2 + 1], s=(N, N)).
  Only the ky >= 0 half is read, and the c2r transform along axis 1 keeps the real part of the
  ky = 0 and ky = N/2 columns (after the complex inverse along axis 0). This is what the
  original torch.irfft(..., onesided=False) did, and it decides how the Nyquist entries of a
  derivative spectrum count (see `nyquist_note` below and the tests).

One step, from w_h (time t) to w_h (time t + dt):

    psi_h = w_h / lap
    u   = irfft2( 2 pi i ky psi_h)      v   = irfft2(-2 pi i kx psi_h)
    w_x = irfft2( 2 pi i kx w_h)        w_y = irfft2( 2 pi i ky w_h)
    F_h = fft2(u w_x + v w_y) * dealias
    w_h = (-dt F_h + dt f_h + (1 - dt nu lap / 2) w_h) / (1 + dt nu lap / 2)

i.e. Crank-Nicolson for the viscous term and forward Euler for advection and forcing. With
steps = ceil(T / dt) and record_every = floor(steps / record_steps), the field
w = irfft2(w_h) and the time t (accumulated as t += dt) are stored after every record_every-th
step.

Nyquist note
------------
For a real field w (Hermitian w_h) the half-spectrum inverse makes the derivative multipliers
act as follows on the r2c half spectrum H[kx, ky], kx in 0..N-1 (value -N/2 at index N/2),
ky in 0..N/2:

* d/dy (multiplier 2 pi i ky): the whole ky = N/2 column contributes nothing (the c2r takes the
  real part of a column that is purely "anti-Hermitian"); everything else uses ky as listed.
* d/dx (multiplier 2 pi i kx): the kx = N/2 row contributes with kx = -N/2 for
  1 <= ky <= N/2 - 1 (so its mirror images at negative ky effectively get +N/2), while the two
  self-conjugate entries (N/2, 0) and (N/2, N/2) contribute nothing.

Multiplying H by those explicit multipliers (zeros where stated) gives a half spectrum whose
ky = 0 and ky = N/2 columns are Hermitian, so *any* correct c2r transform (FFTW, pocketfft,
MKL) reproduces this reference; see `half_spectrum_derivative_multipliers`.
"""

import math

import numpy as np

__all__ = [
    "wavenumbers",
    "fno_operators",
    "irfft2_full",
    "fno_nonlinear_term",
    "fno_cn_step",
    "fno_cn",
    "fno_forcing",
    "half_spectrum_derivative_multipliers",
]


def wavenumbers(n):
    """The integer wavenumbers [0, 1, ..., n/2 - 1, -n/2, ..., -1] (n even), as float64."""
    if n % 2:
        raise ValueError(f"the fno-cn scheme needs an even grid size, got {n}")
    half = n // 2
    return np.concatenate([np.arange(0, half), np.arange(-half, 0)]).astype(np.float64)


def fno_operators(n):
    """The (n, n) arrays kx, ky (integer wavenumbers along axes 0, 1), lap and dealias."""
    k = wavenumbers(n)
    kx = np.repeat(k[:, None], n, axis=1)  # varies along axis 0
    ky = np.repeat(k[None, :], n, axis=0)  # varies along axis 1
    lap = 4.0 * math.pi**2 * (kx**2 + ky**2)
    lap[0, 0] = 1.0
    k_max = n // 2
    dealias = (np.abs(kx) <= (2.0 / 3.0) * k_max) & (np.abs(ky) <= (2.0 / 3.0) * k_max)
    return kx, ky, lap, dealias.astype(np.float64)


def irfft2_full(x_h):
    """Real field from a full (..., n, n) spectrum, reading only its ky >= 0 half.

    This is the original torch.irfft(x, 2, onesided=False): numpy.fft.irfft2 of
    x_h[..., :n//2 + 1] with the output size (n, n).
    """
    n = x_h.shape[-1]
    return np.fft.irfft2(x_h[..., : n // 2 + 1], s=(n, n))


def fno_nonlinear_term(w_h, kx, ky, lap, dealias):
    """The dealiased advection spectrum F_h = fft2(u w_x + v w_y) * dealias of one state."""
    two_pi = 2.0 * math.pi
    psi_h = w_h / lap
    u = irfft2_full(two_pi * 1j * ky * psi_h)
    v = irfft2_full(-two_pi * 1j * kx * psi_h)
    w_x = irfft2_full(two_pi * 1j * kx * w_h)
    w_y = irfft2_full(two_pi * 1j * ky * w_h)
    return np.fft.fft2(u * w_x + v * w_y) * dealias


def fno_cn_step(w_h, f_h, nu, dt, kx, ky, lap, dealias):
    """One Crank-Nicolson / forward-Euler step of the full spectrum w_h (returns a new array)."""
    F_h = fno_nonlinear_term(w_h, kx, ky, lap, dealias)
    return (-dt * F_h + dt * f_h + (1.0 - 0.5 * dt * nu * lap) * w_h) / (1.0 + 0.5 * dt * nu * lap)


def fno_cn(w0, forcing, nu, dt, steps, record_every):
    """Run the fno-cn scheme from w0 for `steps` steps of size dt.

    Parameters
    ----------
    w0 : array (batch, N, N) or (N, N)
        Initial vorticity (real; converted to float64).
    forcing : array (N, N), (batch, N, N) or None
        The forcing field f (time independent); None means no forcing.
    nu, dt : float
        Viscosity and time step.
    steps : int
        Number of steps (the original takes steps = ceil(T / dt)).
    record_every : int
        Store the field after every record_every-th step (the original's
        record_time = floor(steps / record_steps)).

    Returns
    -------
    snapshots : array (batch, steps // record_every, N, N), float64
        (a leading batch axis of 1 when w0 was (N, N)).
    times : array (steps // record_every,), float64
        The time of each snapshot, accumulated as t += dt like the original.
    """
    w0 = np.asarray(w0, dtype=np.float64)
    if w0.ndim == 2:
        w0 = w0[None]
    if w0.ndim != 3 or w0.shape[1] != w0.shape[2]:
        raise ValueError(f"w0 must be (batch, N, N) or (N, N), got {w0.shape}")
    if record_every < 1:
        raise ValueError("record_every must be at least 1")
    batch, n, _ = w0.shape
    kx, ky, lap, dealias = fno_operators(n)

    w_h = np.fft.fft2(w0)
    if forcing is None:
        f_h = np.zeros((n, n), dtype=np.complex128)
    else:
        f_h = np.fft.fft2(np.asarray(forcing, dtype=np.float64))

    n_records = steps // record_every
    snapshots = np.zeros((batch, n_records, n, n))
    times = np.zeros(n_records)
    t = 0.0
    c = 0
    for j in range(steps):
        w_h = fno_cn_step(w_h, f_h, nu, dt, kx, ky, lap, dealias)
        t += dt
        if (j + 1) % record_every == 0:
            snapshots[:, c] = irfft2_full(w_h)
            times[c] = t
            c += 1
    return snapshots, times


def fno_forcing(n):
    """The FNO forcing f(x, y) = 0.1 (sin(2 pi (x + y)) + cos(2 pi (x + y))), x along axis 0."""
    grid = np.linspace(0.0, 1.0, n + 1)[:-1]
    x, y = np.meshgrid(grid, grid, indexing="ij")
    return 0.1 * (np.sin(2.0 * math.pi * (x + y)) + np.cos(2.0 * math.pi * (x + y)))


def half_spectrum_derivative_multipliers(n):
    """Multipliers (d/dx, d/dy) on the r2c half spectrum that reproduce this reference exactly.

    Both are complex (n, n//2 + 1) arrays for H = numpy.fft.rfft2(field) (kx along axis 0, full;
    ky along axis 1, 0..n/2):

    * d/dx: 2 pi i kx with kx = [0..n/2-1, -n/2, ..., -1]; on the Nyquist row kx = n/2 the value
      -n/2 is used for 1 <= ky <= n/2 - 1, and the entries (n/2, 0) and (n/2, n/2) are 0.
    * d/dy: 2 pi i ky for ky = 0..n/2 - 1; the Nyquist column ky = n/2 is 0.

    irfft2(M * H, s=(n, n)) then equals irfft2_full(2 pi i k * fft2(field)) for every real field,
    and the products M * H are Hermitian in their ky = 0 and ky = n/2 columns, so the result does
    not depend on how a c2r transform treats non-Hermitian input.
    """
    half = n // 2
    k = wavenumbers(n)
    two_pi = 2.0 * math.pi
    mx = np.repeat((two_pi * 1j * k)[:, None], half + 1, axis=1)
    mx[half, 0] = 0.0
    mx[half, half] = 0.0
    ky = np.arange(half + 1, dtype=np.float64)
    ky[half] = 0.0
    my = np.repeat((two_pi * 1j * ky)[None, :], n, axis=0)
    return mx, my
