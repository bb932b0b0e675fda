"""torus.fft against numpy.fft (FFTs) and scipy.fft (DCT-II), which are the independent truth.

Tolerances are relative to the largest entry of the reference. Double precision: FFT round-off
grows like eps * O(log N), a few 1e-16 at these sizes, so 1e-12 leaves a wide margin and still
catches any wrong coefficient. Single precision: torus computes in float32 while the reference
computes in double on the same float32 input, so the error is float32 round-off, eps = 1.2e-7
times O(log N): 2e-5 (the C++ plan tests use the same bound).
"""

import concurrent.futures

import numpy as np
import pytest
import scipy.fft

import torus
import torus.fft as tfft

NORMS = [None, "backward", "ortho", "forward"]
SHAPES_2D = [(8, 8), (7, 5), (6, 9), (5, 12), (1, 4)]
SHAPES_3D = [(4, 6, 8), (5, 3, 7), (6, 5, 4), (3, 3, 3)]
REAL_TYPES = [np.float32, np.float64]


def tolerance(dtype):
    single = np.dtype(dtype) in (np.dtype(np.float32), np.dtype(np.complex64))
    return 2e-5 if single else 1e-12


def assert_close(got, expected, dtype):
    """`got` has `expected`'s shape, the dtype `dtype`, and its values within tolerance."""
    assert got.shape == expected.shape
    assert got.dtype == np.dtype(dtype)
    scale = max(np.max(np.abs(expected), initial=0.0), 1e-300)
    error = np.max(np.abs(got - expected), initial=0.0)
    assert error <= tolerance(dtype) * scale, f"error {error:.3g} relative to {scale:.3g}"


def complex_of(dtype):
    return np.complex64 if np.dtype(dtype) == np.float32 else np.complex128


@pytest.fixture
def rng():
    return np.random.default_rng(20240607)


def random_spectrum(rng, shape, dtype=np.complex128):
    """Arbitrary complex coefficients: not Hermitian along any axis, as users pass them."""
    return (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dtype)


# ---- forward and inverse against NumPy -----------------------------------------------------------


@pytest.mark.parametrize("dtype", REAL_TYPES)
@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("shape", SHAPES_2D + SHAPES_3D)
def test_rfftn_matches_numpy(rng, shape, norm, dtype):
    x = rng.standard_normal(shape).astype(dtype)
    assert_close(tfft.rfftn(x, norm=norm), np.fft.rfftn(x, norm=norm), complex_of(dtype))


@pytest.mark.parametrize("dtype", [np.complex64, np.complex128])
@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("shape", SHAPES_2D + SHAPES_3D)
def test_irfftn_matches_numpy_for_even_and_odd_outputs(rng, shape, norm, dtype):
    real = np.float32 if dtype == np.complex64 else np.float64
    spectral = shape[:-1] + (shape[-1] // 2 + 1,)
    c = random_spectrum(rng, spectral, dtype)
    # Without s the last output axis is 2 * (m - 1) long; with s it can be odd.
    if spectral[-1] > 1:
        assert_close(tfft.irfftn(c, norm=norm), np.fft.irfftn(c, norm=norm), real)
    assert_close(tfft.irfftn(c, s=shape, norm=norm), np.fft.irfftn(c, s=shape, norm=norm), real)


@pytest.mark.parametrize("norm", NORMS)
def test_rfft2_and_irfft2_transform_the_last_two_axes_of_a_batch(rng, norm):
    x = rng.standard_normal((3, 2, 6, 5))
    assert_close(tfft.rfft2(x, norm=norm), np.fft.rfft2(x, norm=norm), np.complex128)
    c = random_spectrum(rng, (2, 3, 7, 4))
    for s in [None, (7, 7), (7, 6)]:
        assert_close(tfft.irfft2(c, s=s, norm=norm), np.fft.irfft2(c, s=s, norm=norm), np.float64)


def test_batch_fields_are_transformed_independently(rng):
    x = rng.standard_normal((4, 5, 6))
    batched = tfft.rfft2(x)
    for b in range(4):
        assert_close(batched[b], tfft.rfft2(x[b]), np.complex128)


# ---- s: cropping and zero-padding ----------------------------------------------------------------


@pytest.mark.parametrize("s", [(4, 6), (9, 11), (5, 13), (10, 3), (1, 1)])
def test_rfftn_s_crops_and_pads(rng, s):
    x = rng.standard_normal((2, 7, 8))
    assert_close(tfft.rfftn(x, s=s), np.fft.rfftn(x, s=s), np.complex128)
    assert_close(tfft.rfft2(x, s=s, axes=(0, 2)), np.fft.rfft2(x, s=s, axes=(0, 2)), np.complex128)


@pytest.mark.parametrize("s", [(4, 5, 6), (8, 9, 7), (2, 12, 3), (6, 5, 14)])
def test_rfftn_s_in_3d(rng, s):
    x = rng.standard_normal((6, 5, 8))
    assert_close(tfft.rfftn(x, s=s), np.fft.rfftn(x, s=s), np.complex128)


@pytest.mark.parametrize("s", [(4, 6), (9, 11), (6, 5), (10, 14), (3, 2), (5, 1)])
def test_irfftn_s_crops_and_pads_the_spectrum(rng, s):
    c = random_spectrum(rng, (3, 6, 5))
    assert_close(tfft.irfftn(c, s=s), np.fft.irfftn(c, s=s), np.float64)
    assert_close(tfft.irfft2(c, s=s, axes=(2, 0)), np.fft.irfft2(c, s=s, axes=(2, 0)), np.float64)


def test_irfftn_s_in_3d(rng):
    c = random_spectrum(rng, (4, 6, 5))
    for s in [(4, 6, 8), (3, 7, 9), (6, 4, 2), (5, 8, 11)]:
        assert_close(tfft.irfftn(c, s=s), np.fft.irfftn(c, s=s), np.float64)


# ---- axes ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "axes", [(0, 1), (1, 0), (0, 2), (2, 0), (-1, -3), (-3, 1), (0, 1, 2), (2, 0, 1), (-2, 0, -1)]
)
def test_rfftn_and_irfftn_on_any_axes(rng, axes):
    x = rng.standard_normal((6, 5, 4))
    assert_close(tfft.rfftn(x, axes=axes), np.fft.rfftn(x, axes=axes), np.complex128)
    c = random_spectrum(rng, (6, 5, 4))
    assert_close(tfft.irfftn(c, axes=axes), np.fft.irfftn(c, axes=axes), np.float64)
    s = [7, 3, 9][: len(axes)]
    assert_close(tfft.irfftn(c, s=s, axes=axes), np.fft.irfftn(c, s=s, axes=axes), np.float64)


def test_axes_with_a_batch_in_the_middle(rng):
    x = rng.standard_normal((5, 3, 6, 2))
    axes = (0, 2)
    assert_close(tfft.rfftn(x, axes=axes), np.fft.rfftn(x, axes=axes), np.complex128)
    assert_close(tfft.rfft2(x, axes=(-1, 0)), np.fft.rfft2(x, axes=(-1, 0)), np.complex128)
    c = random_spectrum(rng, (5, 3, 6, 2))
    assert_close(tfft.irfftn(c, axes=axes), np.fft.irfftn(c, axes=axes), np.float64)


def test_s_without_axes_takes_the_last_axes(rng):
    x = rng.standard_normal((3, 4, 6, 5))
    assert_close(tfft.rfftn(x, s=(4, 4)), np.fft.rfftn(x, s=(4, 4)), np.complex128)
    assert_close(tfft.rfftn(x, s=(2, 6, 7)), np.fft.rfftn(x, s=(2, 6, 7)), np.complex128)


# ---- round trips, dtypes and inputs --------------------------------------------------------------


@pytest.mark.parametrize("dtype", REAL_TYPES)
@pytest.mark.parametrize("norm", NORMS)
@pytest.mark.parametrize("shape", [(2, 7, 6), (3, 4, 5, 9), (8, 8)])
def test_round_trip_is_the_identity(rng, shape, norm, dtype):
    x = rng.standard_normal(shape).astype(dtype)
    axes = (-3, -2, -1) if len(shape) == 4 else (-2, -1)
    y = tfft.irfftn(tfft.rfftn(x, axes=axes, norm=norm), s=[shape[a] for a in axes], axes=axes,
                    norm=norm)
    assert_close(y, x.astype(np.float64) if dtype == np.float64 else x, dtype)


def test_precision_follows_the_input():
    x = np.arange(48).reshape(6, 8)
    cases = {
        np.float16: np.complex64,
        np.float32: np.complex64,
        np.float64: np.complex128,
        np.int32: np.complex128,
        np.int64: np.complex128,
        np.uint8: np.complex128,
        np.bool_: np.complex128,
    }
    for real, spectral in cases.items():
        got = tfft.rfft2(x.astype(real))
        assert got.dtype == spectral, real
        assert_close(got, np.fft.rfft2(x.astype(real)), spectral)
    c = np.fft.rfft2(x)
    assert tfft.irfft2(c.astype(np.complex64)).dtype == np.float32
    assert tfft.irfft2(c).dtype == np.float64
    # Real input to the inverse is taken as complex, as NumPy does.
    assert_close(tfft.irfft2(c.real), np.fft.irfft2(c.real), np.float64)
    assert_close(tfft.irfft2(c.real.astype(np.float32)), np.fft.irfft2(c.real), np.float32)
    # Lists are arrays.
    assert_close(tfft.rfft2([[1.0, 2.0], [3.0, 4.0]]), np.fft.rfft2([[1.0, 2.0], [3.0, 4.0]]),
                 np.complex128)


def test_inputs_are_not_modified(rng):
    x = rng.standard_normal((3, 6, 8))
    x_kept = x.copy()
    tfft.rfftn(x)
    assert np.array_equal(x, x_kept)
    # The complex-to-real transform destroys its input internally; the caller's array survives,
    # whether torus could use it directly (contiguous) or not.
    c = random_spectrum(rng, (3, 6, 5))
    for given in [c, c[:, :, :], np.asfortranarray(c), c.transpose(0, 2, 1)]:
        kept = given.copy()
        tfft.irfftn(given, axes=(-2, -1) if given.shape[-1] == 5 else (-1, -2))
        assert np.array_equal(given, kept)


def test_strided_read_only_and_misaligned_inputs(rng):
    x = rng.standard_normal((8, 10, 12))
    strided = x[::2, 1::2, ::-1]
    assert_close(tfft.rfftn(strided), np.fft.rfftn(strided), np.complex128)
    read_only = x.copy()
    read_only.setflags(write=False)
    assert_close(tfft.rfftn(read_only), np.fft.rfftn(read_only), np.complex128)
    # A float64 array one byte into a buffer: not aligned for double.
    raw = np.zeros(x.nbytes + 1, dtype=np.uint8)
    misaligned = np.frombuffer(raw.data, dtype=np.float64, count=x.size, offset=1).reshape(x.shape)
    assert not misaligned.flags.aligned
    misaligned[...] = x
    assert_close(tfft.rfftn(misaligned), np.fft.rfftn(x), np.complex128)
    c = np.fft.rfftn(x)
    craw = np.zeros(c.nbytes + 8, dtype=np.uint8)
    cmis = np.frombuffer(craw.data, dtype=np.complex128, count=c.size, offset=8).reshape(c.shape)
    cmis[...] = c
    assert_close(tfft.irfftn(cmis, s=x.shape), np.fft.irfftn(c, s=x.shape), np.float64)


def test_empty_batch_gives_an_empty_result():
    x = np.zeros((0, 4, 6))
    assert tfft.rfft2(x).shape == np.fft.rfft2(x).shape == (0, 4, 4)
    c = np.zeros((2, 0, 4, 4), dtype=np.complex64)
    assert tfft.irfft2(c).shape == (2, 0, 4, 6)
    assert tfft.irfft2(c).dtype == np.float32


def test_concurrent_calls_from_threads(rng):
    # Transforms release the GIL and share cached plans under one lock.
    fields = [rng.standard_normal((4, 16, 12)) for _ in range(8)]
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda f: tfft.irfftn(tfft.rfftn(f, axes=(1, 2)), s=(16, 12)),
                                 fields))
    for f, r in zip(fields, results):
        assert_close(r, f, np.float64)


def test_plans_are_cached_and_reused(rng):
    tfft.clear_plan_cache()
    assert torus._torus.fft.plan_cache_size() == 0
    x = rng.standard_normal((2, 6, 8))
    tfft.rfftn(x, axes=(1, 2))
    tfft.rfftn(x, axes=(1, 2))
    tfft.irfftn(tfft.rfftn(x, axes=(1, 2)), s=(6, 8), axes=(1, 2))
    # One plan serves forward and inverse of one (precision, batch, shape).
    assert torus._torus.fft.plan_cache_size() == 1
    tfft.rfftn(x.astype(np.float32), axes=(1, 2))
    tfft.rfftn(x, axes=(0, 1, 2))
    assert torus._torus.fft.plan_cache_size() == 3
    for n in range(4, 40):  # more shapes than the cache holds
        tfft.rfft2(np.ones((n, 4)))
    assert 0 < torus._torus.fft.plan_cache_size() <= 3 * 16
    tfft.clear_plan_cache()
    assert torus._torus.fft.plan_cache_size() == 0
    assert_close(tfft.rfftn(x), np.fft.rfftn(x), np.complex128)


def test_measured_plans_give_the_same_transforms(rng):
    x = rng.standard_normal((2, 12, 10))
    assert tfft.planning() == "estimate"
    try:
        tfft.set_planning("measure")
        assert tfft.planning() == "measure"
        assert_close(tfft.rfftn(x), np.fft.rfftn(x), np.complex128)
    finally:
        tfft.set_planning("estimate")


# ---- errors --------------------------------------------------------------------------------------


def test_bad_norm_is_a_value_error(rng):
    x = rng.standard_normal((4, 4))
    for function in (tfft.rfftn, tfft.irfftn, tfft.rfft2, tfft.irfft2):
        with pytest.raises(ValueError, match="unknown FFT normalisation 'unitary'") as error:
            function(x, norm="unitary")
        assert isinstance(error.value, torus.TorusError)
    with pytest.raises(ValueError):
        np.fft.rfftn(x, norm="unitary")  # the behaviour matched


def test_only_two_or_three_axes(rng):
    with pytest.raises(ValueError, match="2 or 3 axes, got 1"):
        tfft.rfftn(rng.standard_normal(8))
    with pytest.raises(ValueError, match="2 or 3 axes, got 4"):
        tfft.rfftn(rng.standard_normal((2, 2, 2, 2)))
    with pytest.raises(ValueError, match="2 or 3 axes, got 1"):
        tfft.irfftn(rng.standard_normal((4, 4)), axes=(0,))
    with pytest.raises(ValueError, match="2 or 3 axes, got 0"):
        tfft.rfftn(np.float64(1.0))
    with pytest.raises(ValueError, match="2 or 3 axes, got 4"):
        tfft.rfftn(rng.standard_normal((2, 2, 2, 2, 2)), s=(2, 2, 2, 2))


def test_repeated_axes_are_refused(rng):
    x = rng.standard_normal((4, 4, 4))
    for axes in [(0, 0), (1, -2), (0, 1, 0)]:
        with pytest.raises(ValueError, match="repeated axes"):
            tfft.rfftn(x, axes=axes)
        with pytest.raises(ValueError, match="repeated axes"):
            tfft.irfftn(x, axes=axes)


def test_s_and_axes_of_different_lengths(rng):
    x = rng.standard_normal((4, 4, 4))
    with pytest.raises(ValueError, match="different lengths"):
        tfft.rfftn(x, s=(4, 4), axes=(0, 1, 2))
    with pytest.raises(ValueError, match="different lengths"):
        tfft.irfft2(x, s=(4, 4, 4))
    with pytest.raises(ValueError):
        np.fft.rfftn(x, s=(4, 4), axes=(0, 1, 2))


def test_axes_out_of_range(rng):
    x = rng.standard_normal((4, 4))
    for axes in [(0, 2), (-3, 1)]:
        with pytest.raises(IndexError):
            tfft.rfftn(x, axes=axes)
        with pytest.raises(IndexError):
            np.fft.rfftn(x, axes=axes)
    with pytest.raises(ValueError):  # numpy.AxisError is both
        tfft.irfftn(x, axes=(0, 5))
    with pytest.raises(TypeError):
        tfft.rfftn(x, axes=(0.0, 1))


def test_invalid_lengths(rng):
    x = rng.standard_normal((4, 6))
    for s in [(0, 6), (4, -1)]:
        with pytest.raises(ValueError, match="invalid number of FFT data points"):
            tfft.rfftn(x, s=s)
        with pytest.raises(ValueError):
            np.fft.rfftn(x, s=s)
    with pytest.raises(ValueError, match=r"invalid number of FFT data points \(0\)"):
        tfft.rfft2(np.zeros((4, 0)))
    # Without s, a last spectral axis of length 1 means an output of length 2 * (1 - 1) = 0.
    with pytest.raises(ValueError, match=r"invalid number of FFT data points \(0\)"):
        tfft.irfft2(np.zeros((4, 1), dtype=complex))
    with pytest.raises(ValueError):
        np.fft.irfft2(np.zeros((4, 1), dtype=complex))


def test_complex_or_non_numeric_input_to_rfftn():
    with pytest.raises(TypeError, match="takes real input"):
        tfft.rfftn(np.ones((4, 4), dtype=complex))
    with pytest.raises(TypeError):
        tfft.rfft2(np.ones((4, 4), dtype=object))
    with pytest.raises(TypeError):
        tfft.irfft2(np.array([["a", "b"], ["c", "d"]]))


# ---- DCT-II against scipy.fft --------------------------------------------------------------------

DCT_NORMS = ["backward", "ortho", "forward"]


@pytest.mark.parametrize("dtype", REAL_TYPES)
@pytest.mark.parametrize("norm", DCT_NORMS)
@pytest.mark.parametrize("shape", [(8, 8), (7, 5), (1, 6), (4, 6, 8), (5, 3, 7)])
def test_dctn_matches_scipy(rng, shape, norm, dtype):
    x = rng.standard_normal((2,) + shape).astype(dtype)
    axes = tuple(range(1, len(shape) + 1))
    y = tfft.dctn(x, axes=axes, norm=norm)
    assert_close(y, scipy.fft.dctn(x.astype(np.float64), type=2, axes=axes, norm=norm), dtype)
    assert_close(tfft.idctn(y, axes=axes, norm=norm),
                 scipy.fft.idctn(y.astype(np.float64), type=2, axes=axes, norm=norm), dtype)
    assert_close(tfft.idctn(y, axes=axes, norm=norm), x, dtype)


def test_dct2_defaults_to_ortho_on_the_last_two_axes(rng):
    x = rng.standard_normal((3, 6, 5))
    y = tfft.dct2(x)
    assert_close(y, scipy.fft.dctn(x, type=2, axes=(-2, -1), norm="ortho"), np.float64)
    assert_close(tfft.idct2(y), x, np.float64)
    # None is SciPy's default, "backward".
    assert_close(tfft.dct2(x, norm=None), scipy.fft.dctn(x, axes=(-2, -1)), np.float64)
    assert_close(tfft.dctn(x), scipy.fft.dctn(x, norm="ortho"), np.float64)


@pytest.mark.parametrize("axes", [(0, 2), (2, 0), (-1, -3), (2, 0, 1)])
def test_dct_on_any_axes(rng, axes):
    x = rng.standard_normal((6, 4, 5))
    for norm in DCT_NORMS:
        y = tfft.dctn(x, axes=axes, norm=norm)
        assert_close(y, scipy.fft.dctn(x, type=2, axes=axes, norm=norm), np.float64)
        assert_close(tfft.idctn(x, axes=axes, norm=norm),
                     scipy.fft.idctn(x, type=2, axes=axes, norm=norm), np.float64)
    if len(axes) == 2:
        assert_close(tfft.dct2(x, axes=axes), scipy.fft.dctn(x, axes=axes, norm="ortho"),
                     np.float64)


def test_dct_dtypes_and_errors(rng):
    x = np.arange(20).reshape(4, 5)
    assert tfft.dct2(x).dtype == np.float64
    assert tfft.dct2(x.astype(np.float32)).dtype == np.float32
    with pytest.raises(TypeError, match="takes real input"):
        tfft.dct2(x + 1j)
    with pytest.raises(ValueError, match="unknown FFT normalisation"):
        tfft.dct2(x, norm="unitary")
    with pytest.raises(ValueError, match="2 or 3 axes"):
        tfft.dctn(np.ones(5))
    with pytest.raises(ValueError, match="repeated axes"):
        tfft.dct2(x, axes=(0, 0))
    kept = x.astype(np.float64)
    copy = kept.copy()
    tfft.idct2(kept)
    assert np.array_equal(kept, copy)
