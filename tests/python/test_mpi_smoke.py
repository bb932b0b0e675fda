"""Every rank of an mpiexec job imports torus and transforms its own data.

Run by ctest as `mpiexec -n 2 python -m pytest test_mpi_smoke.py`; it also passes on one process.
The transforms are undistributed (each rank holds whole fields), so every rank must agree with
NumPy on its own data, whatever the other ranks do.
"""

import os

import numpy as np

import torus
import torus.fft as tfft


def test_each_rank_sees_the_job_and_transforms_its_own_data():
    size = torus.mpi_size()
    rank = torus.mpi_rank()
    assert size == int(os.environ.get("OMPI_COMM_WORLD_SIZE", "1"))
    assert rank == int(os.environ.get("OMPI_COMM_WORLD_RANK", "0"))

    rng = np.random.default_rng(100 + rank)  # different data on every rank
    x = rng.standard_normal((2, 6 + rank, 8))
    spectrum = tfft.rfft2(x, norm="ortho")
    expected = np.fft.rfft2(x, norm="ortho")
    assert spectrum.shape == expected.shape
    assert np.max(np.abs(spectrum - expected)) <= 1e-12 * np.max(np.abs(expected))
    back = tfft.irfft2(spectrum, s=x.shape[-2:], norm="ortho")
    assert np.max(np.abs(back - x)) <= 1e-12 * np.max(np.abs(x))

    y = rng.standard_normal((4, 5, 6)).astype(np.float32)
    assert np.allclose(tfft.rfftn(y), np.fft.rfftn(y), rtol=0, atol=2e-5 * np.abs(y).sum())
