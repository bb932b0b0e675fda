"""Pseudo-spectral 2-D Navier–Stokes on NumPy arrays, computed by torus.

The vorticity equation on the periodic box [0, L0) x [0, L1) (the unit square by default),

    d omega/dt + u . grad omega = nu lap omega - mu omega + q,    u = (d psi/dy, -d psi/dx),
    -lap psi = omega,

with ``x`` along the first axis of an array and ``y`` along the second (``omega[i, j]`` is the
value at ``x = i L0 / n0``, ``y = j L1 / n1``). Forcings ``q``:

- ``"fno"``: ``0.1 (sin 2 pi (x + y) + cos 2 pi (x + y))``, the forcing of the FNO data sets;
- ``"kolmogorov"``: the curl of the body force ``(amplitude sin(kappa y), 0)``,
  ``kappa = 2 pi wavenumber / L1``, usually with ``drag``;
- ``"none"``: decaying turbulence.

Schemes (:func:`schemes`): ``"fno-cn"`` is the scheme of the FNO data generator
(Crank–Nicolson diffusion, explicit Euler advection, FNO's dealiasing and Nyquist conventions)
and reproduces it to round-off; ``"arkimex:<type>"`` and ``"rk:<type>"`` run PETSc's IMEX
additive Runge–Kutta (diffusion implicit, solved exactly) and explicit Runge–Kutta schemes with
the 2/3 dealias rule applied to the factors and the product.

Every call is independent of the others and of MPI: under ``mpiexec`` each rank simulates its
own arrays. The computation releases the GIL. Bad input raises :class:`torus.TorusError`; a
blow-up (CFL number above ``max_cfl`` or a non-finite value) raises it too, naming the time and
a stable ``dt``.
"""

import numpy as np

from . import _torus

_low = _torus.pde

__all__ = ["ns2d", "generate", "gaussian_random_field", "schemes", "scheme_order", "presets",
           "preset"]


def presets():
    """Return the names of the data-set presets of ``torus ns2d generate``."""
    return list(_low.preset_names())


def preset(name):
    """Return the preset ``name`` of ``torus ns2d generate`` as a dict.

    Keys: ``n`` (simulated points per side), ``stored`` (points per side of each stored copy:
    every ``n // m``-th point), ``samples`` and ``batch`` (defaults), ``field`` (the Gaussian
    random field's ``alpha``, ``tau``, ``sigma``) and ``ns2d``, the keyword arguments of
    :func:`ns2d` (``nu``, ``dt``, ``scheme``, ``forcing``, ``wavenumber``, ``amplitude``,
    ``drag`` and the stored ``times``; a time 0 stores the initial field, a first time above 0
    follows an unstored warm-up). So one sample of a preset is::

        p = torus.pde.preset("fno-1e-3")
        w0 = torus.pde.gaussian_random_field(p["n"], 1, seed=0, **p["field"])
        snapshots, t = torus.pde.ns2d(w0, **p["ns2d"])
        stored = snapshots[..., ::p["n"] // p["stored"][0], ::p["n"] // p["stored"][0]]

    Raises :class:`torus.TorusError` naming the choices for an unknown name.
    """
    return _low.preset(str(name))


def schemes():
    """Return the names of the time schemes :func:`ns2d` accepts."""
    return list(_low.schemes())


def scheme_order(scheme):
    """Return the order of accuracy in time of ``scheme``."""
    return _low.scheme_order(scheme)


def ns2d(w0, nu, t_end=None, dt=1e-4, forcing="fno", scheme="fno-cn", save_every=None, *,
         times=None, wavenumber=4, amplitude=1.0, drag=0.0, lengths=(1.0, 1.0),
         check_every=100, max_cfl=1.0):
    """Simulate 2-D Navier–Stokes from the vorticity ``w0`` and return the stored snapshots.

    Parameters
    ----------
    w0 : array_like, shape (x, y) or (batch, x, y)
        Initial vorticity at t = 0, converted to float64. Its mean should be zero (the stream
        function drops the mean).
    nu : float
        Kinematic viscosity, > 0.
    t_end : float, optional
        Final time, > 0. With ``save_every``, snapshots are stored at ``save_every,
        2 save_every, ..., t_end`` (not at t = 0, as in FNO's generator); without it, only at
        ``t_end``. Give either ``t_end`` or ``times``.
    dt : float
        Time step (``"fno-cn"``: exact, and every stored time must be a multiple of it; other
        schemes: the largest step, shortened to land on every stored time).
    forcing : {"fno", "kolmogorov", "none"}
    scheme : str
        ``"fno-cn"`` or a name of :func:`schemes`.
    save_every : float, optional
        Time between stored snapshots; must divide ``t_end``.
    times : sequence of float, optional
        The stored times, increasing and >= 0 (0 stores ``w0``); what :func:`preset` gives.
    wavenumber, amplitude : Kolmogorov forcing's whole periods per side and amplitude.
    drag : float
        Linear drag ``mu >= 0``.
    lengths : (float, float)
        The box ``(L0, L1)``.
    check_every : int
        Steps between CFL and NaN checks.
    max_cfl : float
        Largest accepted CFL number.

    Returns
    -------
    snapshots : ndarray, shape (batch, times, x, y) (no batch axis when ``w0`` had none)
    times : ndarray, shape (times,)
    """
    if (times is None) == (t_end is None):
        raise TypeError("give either t_end (with an optional save_every) or times")
    if times is None:
        t_end = float(t_end)
        if not t_end > 0:
            raise _torus.TorusError(f"t_end must be > 0, got {t_end}")
        step = t_end if save_every is None else float(save_every)
        count = t_end / step if step > 0 else float("nan")
        if not (step > 0 and abs(count - round(count)) < 1e-9 * max(1.0, count)):
            raise _torus.TorusError(
                f"t_end = {t_end} is not a whole number of save_every = {save_every}")
        count = int(round(count))
        times = [t_end if s == count else s * step for s in range(1, count + 1)]
    w = np.asarray(w0, dtype=np.float64)
    single = w.ndim == 2
    snapshots, stored = _low.ns2d(np.ascontiguousarray(w), float(nu),
                                  [float(t) for t in times], float(dt), str(scheme),
                                  str(forcing), int(wavenumber), float(amplitude), float(drag),
                                  (float(lengths[0]), float(lengths[1])), int(check_every),
                                  float(max_cfl))
    return (snapshots[0] if single else snapshots), stored


def generate(preset, output, samples=0, seed=0, *, batch=0, resample="stride"):
    """Generate (or resume) the data set of ``preset`` into the HDF5 file ``output``.

    The same as ``torus ns2d generate``: samples are spread over the MPI ranks torus runs on
    (call it on every rank), each finished batch is kept as a part file so that a killed run
    called again with the same arguments resumes, and the output is written atomically. Layout:
    docs/hdf5.md. ``samples = 0`` takes the preset's count. Returns a dict with
    ``samples_simulated``, ``samples_resumed``, ``already_complete`` and ``seconds``.
    """
    return _low.generate(str(preset), int(samples), int(seed), str(output), int(batch),
                         str(resample))


def gaussian_random_field(n, samples=1, seed=0, first_sample=0, *, alpha=2.5, tau=7.0,
                          sigma=None, lengths=(1.0, 1.0)):
    """Return ``samples`` fields of the FNO Gaussian random field on an ``n`` grid.

    The spectrum is ``sigma (4 pi^2 |k|^2 + tau^2)^(-alpha/2)`` with zero mean and
    ``sigma = tau^(alpha - 1)`` by default (FNO's initial vorticity). Sample ``s`` depends only
    on ``seed``, ``s`` and the grid, so ``first_sample`` picks a block of a larger data set.

    ``n`` is an int (square grid) or a pair. Returns an array of shape (samples, n0, n1).
    """
    n0, n1 = (n, n) if np.isscalar(n) else n
    return _low.gaussian_random_field(int(n0), int(n1), int(samples), int(seed),
                                      int(first_sample), float(alpha), float(tau),
                                      None if sigma is None else float(sigma),
                                      (float(lengths[0]), float(lengths[1])))
