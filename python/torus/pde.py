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

__all__ = ["ns2d", "gaussian_random_field", "schemes", "scheme_order", "PRESETS", "preset"]

#: The published protocols, as keyword arguments of :func:`ns2d` plus the resolutions and times.
#: ``resolution`` is the simulated grid, ``stored`` the grid of the stored snapshots (every
#: ``resolution // stored``-th point), ``warmup`` the time before the first stored snapshot.
PRESETS = {
    "fno-1e-3": dict(nu=1e-3, t_end=50.0, dt=1e-4, save_every=1.0, forcing="fno",
                     scheme="fno-cn", resolution=256, stored=64, warmup=0.0),
    "fno-1e-4": dict(nu=1e-4, t_end=30.0, dt=1e-4, save_every=1.0, forcing="fno",
                     scheme="fno-cn", resolution=256, stored=64, warmup=0.0),
    "spectral-refiner": dict(nu=1e-3, t_end=50.0, dt=1e-4, save_every=0.2, forcing="fno",
                             scheme="fno-cn", resolution=256, stored=64, warmup=30.0),
}


def preset(name):
    """Return a copy of :data:`PRESETS` ``[name]``; raise :class:`KeyError` naming the choices."""
    if name not in PRESETS:
        raise KeyError(f"unknown preset {name!r}; choose one of {sorted(PRESETS)}")
    return dict(PRESETS[name])


def schemes():
    """Return the names of the time schemes :func:`ns2d` accepts."""
    return list(_low.schemes())


def scheme_order(scheme):
    """Return the order of accuracy in time of ``scheme``."""
    return _low.scheme_order(scheme)


def ns2d(w0, nu, t_end, dt=1e-4, forcing="fno", scheme="fno-cn", save_every=None, *,
         wavenumber=4, amplitude=1.0, drag=0.0, lengths=(1.0, 1.0), check_every=100,
         max_cfl=1.0):
    """Simulate 2-D Navier–Stokes from the vorticity ``w0`` and return the stored snapshots.

    Parameters
    ----------
    w0 : array_like, shape (x, y) or (batch, x, y)
        Initial vorticity, converted to float64. Its mean should be zero (the stream function
        drops the mean).
    nu : float
        Kinematic viscosity, > 0.
    t_end : float
        Final time, > 0; the run starts at t = 0.
    dt : float
        Time step (``"fno-cn"``: exact, and every stored time must be a multiple of it; other
        schemes: the largest step, shortened to land on every stored time).
    forcing : {"fno", "kolmogorov", "none"}
    scheme : str
        ``"fno-cn"`` or a name of :func:`schemes`.
    save_every : float, optional
        Time between stored snapshots; snapshots are stored at ``save_every, 2 save_every, ...,
        t_end`` (not at t = 0, as in FNO's generator). Default: only ``t_end``.
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
    w = np.asarray(w0, dtype=np.float64)
    single = w.ndim == 2
    if save_every is None:
        save_every = t_end
    snapshots, times = _low.ns2d(np.ascontiguousarray(w), float(nu), float(t_end), float(dt),
                                 str(scheme), str(forcing), int(wavenumber), float(amplitude),
                                 float(drag), float(save_every),
                                 (float(lengths[0]), float(lengths[1])), int(check_every),
                                 float(max_cfl))
    return (snapshots[0] if single else snapshots), times


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
