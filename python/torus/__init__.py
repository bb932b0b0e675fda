"""torus: learning and simulation on periodic domains.

Importing the package starts the torus runtime of the process: MPI (unless mpi4py or a host code
already started it), Kokkos and PETSc. They are finalised at interpreter exit. Under ``mpiexec``
every rank imports torus and works on its own arrays unless a function says otherwise.

Submodules:

- :mod:`torus.pde` -- the 2-D Navier–Stokes solver and its initial fields.
- :mod:`torus.operators` -- neural operators (FNO2d, T1): train, evaluate and predict on
  NumPy arrays or data sets.
- :mod:`torus.crystal` -- crystals, CIF, crystal sets and spglib symmetry.
- :mod:`torus.fft` -- real FFTs (NumPy's ``rfft2``/``rfftn`` conventions) and the DCT-II
  (SciPy's ``dctn`` conventions) over 2 or 3 axes.

Errors in the input reported by the library raise :class:`TorusError`, a :class:`ValueError`.
"""

from . import _torus, crystal, fft, operators, pde
from ._torus import TorusError, __version__

__all__ = ["TorusError", "__version__", "crystal", "fft", "operators", "pde", "mpi_rank", "mpi_size"]


def mpi_rank():
    """Return this process's rank among the ranks torus runs on (0 without ``mpiexec``)."""
    return _torus.mpi_rank()


def mpi_size():
    """Return the number of ranks torus runs on (1 without ``mpiexec``)."""
    return _torus.mpi_size()
