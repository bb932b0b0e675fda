"""Real FFTs and the real DCT-II over 2 or 3 axes of NumPy arrays, computed by torus.

The FFTs take NumPy's arguments and follow :mod:`numpy.fft`'s semantics: ``s`` crops or
zero-pads the input along the transformed axes, ``axes`` may be given in any order and with
negative entries, and ``norm`` is ``None``/``"backward"``, ``"ortho"`` or ``"forward"``. The
axes that are not transformed are a batch: every field of the batch is transformed on its own
with one cached plan. The DCTs follow :func:`scipy.fft.dctn` (``type=2``).

Where torus differs from NumPy (every function's docstring repeats what applies to it):

- torus transforms 2 or 3 axes; other numbers of axes raise :class:`ValueError`.
- ``float32`` input (and ``float16``) is computed in single precision and gives ``complex64``
  (``irfft*``: ``complex64`` gives ``float32``), like :mod:`scipy.fft`; NumPy 1.x always
  computes in double. Other real and integer types are computed in double.
- Complex input to ``rfft*`` raises :class:`TypeError` (NumPy 1.x silently drops the imaginary
  part with a ``ComplexWarning``; NumPy 2 raises ``TypeError`` too).
- Repeated axes raise :class:`ValueError` (NumPy transforms such an axis twice).
- Axes out of range raise :class:`numpy.AxisError`, which is both an ``IndexError`` (what
  NumPy 1.x raises in most such cases) and a ``ValueError``.

Plans are made with FFTW's ``estimate`` effort and cached per precision, batch size and shape;
see :func:`set_planning`. Transforms release the GIL.
"""

import operator

import numpy as np

from . import _torus

_low = _torus.fft

__all__ = [
    "rfft2",
    "irfft2",
    "rfftn",
    "irfftn",
    "dct2",
    "idct2",
    "dctn",
    "idctn",
    "set_planning",
    "planning",
    "clear_plan_cache",
]

_AxisError = getattr(np, "exceptions", np).AxisError


# ---- arguments -----------------------------------------------------------------------------------


def _real_input(a, caller):
    """`a` as a float32 or float64 array (the precision torus computes it in)."""
    a = np.asarray(a)
    kind = a.dtype.kind
    if kind == "c":
        raise TypeError(
            f"torus.fft.{caller} takes real input, got {a.dtype}; transform a.real (or use "
            "numpy.fft.fftn for complex data)"
        )
    if kind == "f" and a.dtype.itemsize <= 4:
        return a.astype(np.float32, copy=False)
    if kind in "fbiu":
        return a.astype(np.float64, copy=False)
    raise TypeError(f"torus.fft.{caller} takes real numbers, got an array of dtype {a.dtype}")


def _complex_input(a, caller):
    """`a` as a complex64 or complex128 array, and whether that is a new array torus owns."""
    a = np.asarray(a)
    kind = a.dtype.kind
    if kind in "fc" and a.dtype.itemsize <= (8 if kind == "c" else 4):
        target = np.complex64
    elif kind in "fcbiu":
        target = np.complex128
    else:
        raise TypeError(f"torus.fft.{caller} takes numbers, got an array of dtype {a.dtype}")
    converted = a.astype(target, copy=False)
    return converted, converted.dtype != a.dtype


def _axes_of(a, axes, s, caller):
    """The transformed axes of `a`, non-negative, in the caller's order, checked."""
    if axes is None:
        axes = range(a.ndim) if s is None else range(-len(s), 0)
    axes = [operator.index(axis) for axis in axes]
    if s is not None and len(s) != len(axes):
        raise ValueError(
            f"torus.fft.{caller}: s and axes have different lengths ({len(s)} and {len(axes)})"
        )
    for axis in axes:
        if not -a.ndim <= axis < a.ndim:
            raise _AxisError(axis, a.ndim)
    axes = [axis % a.ndim for axis in axes]
    if len(set(axes)) != len(axes):
        raise ValueError(f"torus.fft.{caller}: repeated axes {axes}; each axis can appear once")
    if len(axes) not in (2, 3):
        raise ValueError(
            f"torus.fft.{caller} transforms 2 or 3 axes, got {len(axes)} (axes {axes} of an "
            f"array of shape {a.shape}); use numpy.fft or scipy.fft for other numbers of axes"
        )
    return axes


def _lengths(a, s, axes, inverse, caller):
    """The transform lengths: `s`, or for irfft* the input's with the last axis 2 * (m - 1)."""
    if s is None:
        lengths = [a.shape[axis] for axis in axes]
        if inverse:
            lengths[-1] = 2 * (lengths[-1] - 1)
    else:
        lengths = [operator.index(n) for n in s]
    for axis, n in zip(axes, lengths):
        if n < 1:
            raise ValueError(
                f"torus.fft.{caller}: invalid number of FFT data points ({n}) along axis {axis}"
            )
    return lengths


def _fit(a, axes, lengths):
    """`a` cropped or zero-padded at the end of each axis in `axes` to `lengths`, and whether
    that made a new array (a crop alone is a view)."""
    shape = list(a.shape)
    for axis, n in zip(axes, lengths):
        shape[axis] = n
    if all(n <= m for n, m in zip(shape, a.shape)):
        return a[tuple(slice(0, n) for n in shape)], False
    common = tuple(slice(0, min(n, m)) for n, m in zip(shape, a.shape))
    fitted = np.zeros(shape, dtype=a.dtype)
    fitted[common] = a[common]
    return fitted, True


def _to_back(a, axes):
    """`a` with `axes` moved, in order, to the end: the fields of a batch."""
    return np.moveaxis(a, axes, range(-len(axes), 0))


def _from_back(a, axes):
    return np.moveaxis(a, range(-len(axes), 0), axes)


def _norm(norm):
    """The canonical name of `norm`; the library raises TorusError (a ValueError) if unknown."""
    return _low.parse_norm(norm)


# ---- FFTs ----------------------------------------------------------------------------------------


def rfftn(a, s=None, axes=None, norm=None):
    """Real-to-complex DFT over 2 or 3 axes, as :func:`numpy.fft.rfftn`.

    Parameters
    ----------
    a : array_like
        Real input. The axes not in `axes` are a batch of independent fields.
    s : sequence of ints, optional
        Lengths of the transformed axes: the input is cropped or zero-padded (at the end) to
        them. Default: the input's lengths.
    axes : sequence of ints, optional
        The axes to transform, 2 or 3 of them, in any order, negative allowed. The last one is
        halved in the output. Default: the last ``len(s)`` axes, or all axes if `s` is None.
    norm : {None, "backward", "ortho", "forward"}, optional
        Normalisation, as in :mod:`numpy.fft` (None is "backward": no scaling forward).

    Returns
    -------
    numpy.ndarray
        Complex array, shaped like the (cropped/padded) input with the last transformed axis
        ``s[-1] // 2 + 1`` long: ``complex64`` for ``float32``/``float16`` input, else
        ``complex128``.

    Raises
    ------
    TypeError
        For complex input (NumPy 1.x drops the imaginary part instead) or non-numbers.
    ValueError
        For other than 2 or 3 axes, repeated axes (NumPy transforms them twice), `s` and `axes`
        of different lengths, or a length below 1. :class:`torus.TorusError` (a ValueError) for
        an unknown `norm`. :class:`numpy.AxisError` for an axis out of range.
    """
    a = _real_input(a, "rfftn")
    axes = _axes_of(a, axes, s, "rfftn")
    lengths = _lengths(a, s, axes, False, "rfftn")
    norm = _norm(norm)
    a, _ = _fit(a, axes, lengths)
    return _from_back(_low.r2c(_to_back(a, axes), len(axes), norm), axes)


def irfftn(a, s=None, axes=None, norm=None):
    """Inverse of :func:`rfftn` (complex-to-real), as :func:`numpy.fft.irfftn`.

    Parameters
    ----------
    a : array_like
        Spectral input, Hermitian-symmetric in the last transformed axis (its other half is
        implied). Real input is taken as complex. Axes not in `axes` are a batch.
    s : sequence of ints, optional
        Output lengths of the transformed axes. The input is cropped or zero-padded to `s`
        along all but the last axis, and to ``s[-1] // 2 + 1`` along the last. Default: the
        input's lengths, with the last one ``2 * (m - 1)`` for an input of length m (pass `s`
        for odd output lengths).
    axes : sequence of ints, optional
        The axes to transform, 2 or 3 of them, in any order, negative allowed. Default: the last
        ``len(s)`` axes, or all axes if `s` is None.
    norm : {None, "backward", "ortho", "forward"}, optional
        Normalisation, as in :mod:`numpy.fft` (None is "backward": 1/n on the inverse).

    Returns
    -------
    numpy.ndarray
        Real array with the transformed axes of lengths `s`: ``float32`` for ``complex64``,
        ``float32`` or ``float16`` input, else ``float64``.

    Raises
    ------
    TypeError
        For non-numbers.
    ValueError
        As :func:`rfftn`.
    """
    a, owned = _complex_input(a, "irfftn")
    axes = _axes_of(a, axes, s, "irfftn")
    lengths = _lengths(a, s, axes, True, "irfftn")
    norm = _norm(norm)
    a, padded = _fit(a, axes, lengths[:-1] + [lengths[-1] // 2 + 1])
    # The transform destroys its input: it may use the array only if torus made it here.
    x = _to_back(a, axes)
    return _from_back(_low.c2r(x, lengths, norm, overwrite_input=owned or padded), axes)


def rfft2(a, s=None, axes=(-2, -1), norm=None):
    """Real-to-complex 2-D DFT, as :func:`numpy.fft.rfft2`: :func:`rfftn` over `axes`.

    The axes not in `axes` (by default all but the last two) are a batch. ``float32`` input
    gives ``complex64`` (single precision, like :mod:`scipy.fft`), other real input
    ``complex128``; complex input raises :class:`TypeError`. See :func:`rfftn` for `s`,
    `norm` and the errors.
    """
    return rfftn(a, s, axes, norm)


def irfft2(a, s=None, axes=(-2, -1), norm=None):
    """Inverse of :func:`rfft2`, as :func:`numpy.fft.irfft2`: :func:`irfftn` over `axes`.

    ``complex64`` input gives ``float32`` (single precision, like :mod:`scipy.fft`),
    ``complex128`` input ``float64``. Without `s` the last output axis is ``2 * (m - 1)`` long;
    pass `s` for odd lengths. See :func:`irfftn` for `s`, `norm` and the errors.
    """
    return irfftn(a, s, axes, norm)


# ---- DCT-II --------------------------------------------------------------------------------------


def _dct(x, axes, norm, inverse, caller):
    x = _real_input(x, caller)
    axes = _axes_of(x, axes, None, caller)
    if any(x.shape[axis] < 1 for axis in axes):
        raise ValueError(f"torus.fft.{caller}: transformed axes of shape {x.shape} must be 1 or "
                         "longer")
    norm = _norm(norm)
    transform = _low.idct if inverse else _low.dct
    return _from_back(transform(_to_back(x, axes), len(axes), norm), axes)


def dctn(x, axes=None, norm="ortho"):
    """DCT-II over 2 or 3 axes, as ``scipy.fft.dctn(x, type=2, axes=axes, norm=norm)``.

    Parameters
    ----------
    x : array_like
        Real input; the axes not in `axes` are a batch.
    axes : sequence of ints, optional
        The 2 or 3 axes to transform (any order, negative allowed). Default: all axes.
    norm : {"ortho", "backward", "forward", None}, optional
        SciPy's normalisations: "ortho" (the default here, unlike SciPy's "backward") makes the
        transform orthonormal; "backward" (also None) leaves the forward transform unscaled
        (``y_k = 2 sum_n x_n cos(pi k (2n + 1) / (2N))`` per axis); "forward" scales it by
        ``1 / (2N)`` per axis.

    Returns
    -------
    numpy.ndarray
        Real array of the input's shape: ``float32`` for ``float32``/``float16`` input, else
        ``float64``.

    Raises
    ------
    TypeError
        For complex input (SciPy transforms real and imaginary parts; do that explicitly).
    ValueError
        As :func:`rfftn` for the axes and `norm`.
    """
    return _dct(x, axes, norm, False, "dctn")


def idctn(x, axes=None, norm="ortho"):
    """Inverse of :func:`dctn` with the same `norm`, as ``scipy.fft.idctn(x, type=2, ...)``.

    ``idctn(dctn(x, axes, norm), axes, norm)`` is `x` for every `norm`. Defaults, dtypes and
    errors as :func:`dctn`.
    """
    return _dct(x, axes, norm, True, "idctn")


def dct2(x, axes=(-2, -1), norm="ortho"):
    """2-D DCT-II over `axes` (default the last two), as ``scipy.fft.dctn(x, type=2, ...)``.

    The default `norm` is "ortho" (SciPy's is "backward"). See :func:`dctn`.
    """
    return _dct(x, axes, norm, False, "dct2")


def idct2(x, axes=(-2, -1), norm="ortho"):
    """Inverse of :func:`dct2` with the same `norm`, as ``scipy.fft.idctn(x, type=2, ...)``.

    The default `norm` is "ortho" (SciPy's is "backward"). See :func:`dctn`.
    """
    return _dct(x, axes, norm, True, "idct2")


# ---- plans ---------------------------------------------------------------------------------------


def set_planning(effort):
    """Set FFTW's planning effort for plans made from now on and empty the plan cache.

    "estimate" (the default) plans instantly and gives the same bits on every run; "measure"
    and "patient" time candidate algorithms once per shape (milliseconds to seconds) for faster
    transforms of large fields used many times. Raises :class:`torus.TorusError` otherwise.
    """
    _low.set_planning(effort)


def planning():
    """Return the current planning effort: "estimate", "measure" or "patient"."""
    return _low.planning()


def clear_plan_cache():
    """Free every cached plan and its memory; the next transforms plan again."""
    _low.clear_plan_cache()
