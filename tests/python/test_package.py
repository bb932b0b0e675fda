"""The torus package itself: version, errors from the library, runtime lifetime."""

import os
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import torus

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def test_version_is_the_project_version():
    with open(os.path.join(ROOT, "CMakeLists.txt")) as cmake:
        match = re.search(r"project\(torus VERSION ([0-9.]+)", cmake.read())
    assert match, "no project(torus VERSION ...) in CMakeLists.txt"
    assert torus.__version__ == match.group(1)


def test_torus_error_is_a_value_error_named_in_the_package():
    assert issubclass(torus.TorusError, ValueError)
    assert torus.TorusError.__module__ == "torus"
    assert torus.TorusError.__name__ == "TorusError"
    assert torus.TorusError is torus._torus.TorusError


def test_library_errors_arrive_as_torus_error_with_their_parts():
    # A bad norm string straight to the extension: torus::fft::parse_norm throws torus::Error.
    with pytest.raises(torus.TorusError) as error:
        torus._torus.fft.r2c(np.ones((4, 4)), 2, "unitary")
    message = str(error.value)
    assert "unknown FFT normalisation 'unitary'" in message
    assert "[input: norm]" in message and "\"ortho\"" in message
    assert error.value.problem == "unknown FFT normalisation 'unitary'"
    assert error.value.input == "norm"
    assert "forward" in error.value.fix


def test_low_level_shape_and_rank_errors():
    with pytest.raises(torus.TorusError, match="torus transforms 2 or 3 axes, not 4"):
        torus._torus.fft.r2c(np.ones((2, 2, 2, 2)), 4, None)
    with pytest.raises(torus.TorusError, match=r"x has shape \(4, 6\) but an output of 4x6"):
        torus._torus.fft.c2r(np.ones((4, 6), dtype=complex), [4, 6])
    with pytest.raises(torus.TorusError, match="fewer axes than a 3-D transform needs"):
        torus._torus.fft.r2c(np.ones((4, 4)), 3)
    with pytest.raises(TypeError, match="float32 or float64"):
        torus._torus.fft.r2c(np.ones((4, 4), dtype=np.int64), 2)
    with pytest.raises(TypeError, match="complex64 or complex128"):
        torus._torus.fft.c2r(np.ones((4, 3)), [4, 4])
    with pytest.raises(torus.TorusError, match="unknown FFT planning effort 'fast'"):
        torus.fft.set_planning("fast")


def test_the_low_level_transforms_keep_their_contract():
    x = np.random.default_rng(1).standard_normal((3, 4, 6))
    spectrum = torus._torus.fft.r2c(x, 2, "ortho")
    assert np.allclose(spectrum, np.fft.rfft2(x, norm="ortho"), rtol=0, atol=1e-13)
    assert torus._torus.fft.parse_norm(None) == "backward"
    kept = spectrum.copy()
    back = torus._torus.fft.c2r(spectrum, [4, 6], "ortho")
    assert np.array_equal(spectrum, kept)  # overwrite_input defaults to False
    assert np.allclose(back, x, rtol=0, atol=1e-13)


def test_mpi_rank_and_size():
    size = torus.mpi_size()
    assert size == int(os.environ.get("OMPI_COMM_WORLD_SIZE", "1"))
    assert 0 <= torus.mpi_rank() < size


def run_python(code):
    """Runs `code` in a fresh interpreter that can import this build's torus."""
    environment = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    # A child of an mpiexec rank must not join the parent's MPI job.
    for name in list(environment):
        if name.startswith(("OMPI_", "PMIX_")):
            del environment[name]
    return subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=environment,
                          capture_output=True, text=True, timeout=60)


def test_interpreter_exit_finalises_cleanly():
    # Cached plans (Views, FFTW plans) must be freed before Kokkos and MPI finalise at exit.
    result = run_python("""
        import numpy as np
        import torus
        x = np.ones((2, 8, 8), dtype=np.float32)
        torus.fft.irfft2(torus.fft.rfft2(x), s=(8, 8))
        torus.fft.dct2(np.ones((4, 4)))
        assert torus._torus.fft.plan_cache_size() >= 2
        print("done")
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "done"
    assert result.stderr == ""


def test_calls_after_shutdown_raise_torus_error():
    # atexit handlers run last-registered first: this one runs after torus has shut down.
    result = run_python("""
        import atexit
        import numpy as np

        def late():
            import torus
            try:
                torus.fft.rfft2(np.ones((4, 4)))
            except torus.TorusError as error:
                print("late:", error.problem)

        atexit.register(late)
        import torus
    """)
    assert result.returncode == 0, result.stderr
    assert "late: torus has already been shut down" in result.stdout


@pytest.mark.skipif(not os.path.exists("/proc/self/status"), reason="reads Linux's /proc")
def test_import_keeps_pythons_signal_handling():
    # Python ignores SIGPIPE (a closed pipe raises BrokenPipeError); starting PETSc must not
    # switch it back to terminating the process.
    result = run_python("""
        import signal

        def ignored():
            for line in open("/proc/self/status"):
                if line.startswith("SigIgn:"):
                    mask = int(line.split()[1], 16)
                    return [bool(mask >> (s - 1) & 1) for s in (signal.SIGPIPE, signal.SIGXFSZ)]

        before = ignored()
        import torus
        print(before, ignored(), signal.getsignal(signal.SIGINT) is signal.default_int_handler)
    """)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == "[True, True] [True, True] True"
