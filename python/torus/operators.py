"""Neural operators for 2-D Navier–Stokes, trained and run on NumPy arrays by torus.

The task is the one of ``torus train`` (docs/design.md, "The neural core and the operators"):
from a trajectory of vorticity snapshots ``w[sample, time, x, y]`` a model reads a window of
``input_steps`` snapshots and predicts the next one; rolled out ``output_steps`` times, each
prediction joins the window and the oldest snapshot leaves it. The window's snapshots are the
time indices ``first + k * stride``, ``k < input_steps + output_steps``: FNO's benchmark is
``input_steps=10, output_steps=40, stride=1``; the single map ``w(0) -> w(T)`` is
``input_steps=1, output_steps=1, stride=T``.

Models (:func:`models`):

- ``"fno"``: FNO2d (options ``width``, ``modes``, ``modes1``, ``modes2``, ``layers``,
  ``projection``); works on any grid.
- ``"t1"``: Transform-Once T1 with the DCT (options ``width``, ``modes``, ``hidden``,
  ``layers``, ``keep_high``, ``init``, ...); made for one grid, trained in frequency space.

Training and evaluation run on every rank torus runs on (call them on every rank of an
``mpiexec`` job, with the same arguments); an :class:`Operator` belongs to the process that
holds it. Models compute in float32. Long computations release the GIL but cannot be interrupted
with Ctrl-C: bound a training run with ``epochs`` or ``time_budget``. Bad input raises
:class:`torus.TorusError`.

Example::

    result = torus.operators.train(train_w, test_w, "t1", {"width": 16, "modes": 8},
                                   input_steps=2, output_steps=3, epochs=50, batch=4)
    model = torus.operators.Operator.load(result.best)
    prediction = model.predict(test_w[:, :2])        # (samples, 3, x, y)
"""

import json
import os
import tempfile
from dataclasses import dataclass, field

import numpy as np

from . import _torus

_low = _torus.operators

__all__ = ["Operator", "TrainingResult", "train", "evaluate", "models"]


def _error(problem, input="", fix=""):
    """A TorusError composed as the library composes its own (problem [input: ...] -> fix)."""
    message = problem + (f" [input: {input}]" if input else "") + (f" -> {fix}" if fix else "")
    error = _torus.TorusError(message)
    error.problem, error.input, error.fix = problem, input, fix
    return error


def models():
    """Return the names of the models torus trains: ``["fno", "t1"]``."""
    return list(_low.operator_names())


def _model_name(model):
    if model not in models():
        raise _error(f"unknown model {model!r}", "model", "use one of " + ", ".join(models()))
    return model


def _options_json(options):
    """Model options given as None, a dict or a JSON object, as JSON text."""
    if options is None:
        return "{}"
    if isinstance(options, str):
        return options
    if isinstance(options, dict):
        return json.dumps(options)
    raise TypeError(f"model_options must be a dict or a JSON string, not {type(options).__name__}")


def _is_path(data):
    return isinstance(data, (str, bytes, os.PathLike))


def _write_data(data, name, path, collective):
    """Write the array ``data`` (samples, time, x, y) as a data set at ``path``; return the path."""
    a = np.asarray(data)
    if a.dtype.kind not in "fiub":
        raise _error(f"{name} holds values of dtype {a.dtype}, not real numbers", name,
                     "pass real vorticity values (float64 or float32)")
    times = np.arange(a.shape[1] if a.ndim == 4 else 0, dtype=np.float64)
    _low.write_dataset(path, np.ascontiguousarray(a, dtype=np.float64), times, name, collective)
    return path


def _single_process():
    return _torus.mpi_size() == 1


@dataclass
class TrainingResult:
    """What :func:`train` did.

    Attributes
    ----------
    records : list of dict
        One dict per epoch (resumed ones included), the rows of ``log.csv``: ``epoch``,
        ``train_loss`` (the summed per-step relative L2 loss of the rollout, averaged over the
        training samples), ``test_error`` (the mean relative L2 error of whole predicted
        trajectories on the test set, FNO's reported error), ``learning_rate``, ``seconds``
        and ``total_seconds``.
    first_epoch_run : int
        The first epoch this call ran (after a resume, the one after the checkpoint's).
    best_test_error : float
    output : str
        The folder holding ``checkpoint.h5``, ``best.h5``, ``log.csv`` and, for data given as
        arrays, ``train.h5`` and ``test.h5``.
    checkpoint, best, log : str
        The last checkpoint, the checkpoint with the lowest test error and the CSV log.
    """

    records: list
    first_epoch_run: int
    best_test_error: float
    output: str
    checkpoint: str = field(init=False)
    best: str = field(init=False)
    log: str = field(init=False)

    def __post_init__(self):
        self.checkpoint = os.path.join(self.output, "checkpoint.h5")
        self.best = os.path.join(self.output, "best.h5")
        self.log = os.path.join(self.output, "log.csv")

    @property
    def history(self):
        """The records as a dict of arrays, one per column (``history["test_error"]``)."""
        keys = ["epoch", "train_loss", "test_error", "learning_rate", "seconds", "total_seconds"]
        return {k: np.array([r[k] for r in self.records]) for k in keys}


def train(train, test, model="t1", model_options=None, *, input_steps=10, output_steps=40,
          first=0, stride=1, train_samples=0, test_samples=0, epochs=500, batch=20,
          optimizer="adam", learning_rate=1e-3, weight_decay=1e-4, schedule="step",
          step_size=100, gamma=0.5, clip_norm=0.0, ema_decay=0.0, seed=0, output=None,
          resume=False, time_budget=0.0, progress=False, dataset="vorticity"):
    """Train a neural operator on Navier–Stokes trajectories, as ``torus train`` does.

    Parameters
    ----------
    train, test : str, path or array_like, shape (samples, time, x, y)
        The training set and the test set validated on after every epoch: HDF5 files of
        ``torus ns2d generate`` (or any file with a ``dataset`` of that shape), or arrays, which
        are written as ``train.h5`` and ``test.h5`` into ``output`` first.
    model : {"t1", "fno"}
    model_options : dict or str, optional
        The model's options overriding its defaults (module docstring), as a dict or a JSON
        object. T1 trained on a rollout (``output_steps > 1``) starts from PyTorch's
        initialisation unless ``init`` says otherwise.
    input_steps, output_steps, first, stride : int
        The window (module docstring); it must fit the stored times.
    train_samples, test_samples : int
        Use only the first this many samples of each set (0: all).
    epochs, batch : int
        Epochs, and the global batch (split over the ranks).
    optimizer : {"adam", "adamw"}
    learning_rate, weight_decay : float
    schedule : {"step", "cosine", "onecycle", "plateau", "constant"}
        The learning-rate schedule, stepped per epoch (onecycle: per batch); ``step`` multiplies
        the rate by ``gamma`` every ``step_size`` epochs.
    clip_norm : float
        Clip the global gradient norm to this (0: no clipping).
    ema_decay : float
        Keep an exponential moving average of the weights (0: none); validation and
        ``best.h5`` then use the averaged weights.
    seed : int
        Initialisation and shuffling.
    output : str or path, optional
        The folder for checkpoints and the log; a new temporary folder (kept, named in the
        result) when omitted. Required with ``resume`` and under ``mpiexec``.
    resume : bool
        Continue from ``output/checkpoint.h5`` (if it exists) with the options of the
        interrupted run; the result is the run that was not interrupted.
    time_budget : float
        Stop after the first epoch that ends later than this many seconds (0: no limit).
    progress : bool
        Show a progress bar per epoch on the standard error of rank 0 (a terminal; in a
        notebook it goes to the server's log). Each epoch is also logged at level info
        (``TORUS_LOG``).
    dataset : str
        The dataset of HDF5 files holding the trajectories.

    Returns
    -------
    TrainingResult
    """
    model = _model_name(model)
    if output is None:
        if resume:
            raise _error("resume=True without an output folder", "output",
                         "give the output folder of the interrupted run")
        if not _single_process():
            raise _error("no output folder under mpiexec", "output",
                         "give every rank the same output folder")
        output = tempfile.mkdtemp(prefix="torus-train-")
    output = os.fspath(output)
    os.makedirs(output, exist_ok=True)
    data = {}
    for name, given in (("train", train), ("test", test)):
        data[name] = (os.fspath(given) if _is_path(given) else
                      _write_data(given, name, os.path.join(output, name + ".h5"), True))

    options = _low.TrainingOptions()
    options.model = model
    options.model_options = _options_json(model_options)
    options.input_steps = int(input_steps)
    options.output_steps = int(output_steps)
    options.first = int(first)
    options.stride = int(stride)
    options.train_data = data["train"]
    options.test_data = data["test"]
    options.dataset = str(dataset)
    options.train_samples = int(train_samples)
    options.test_samples = int(test_samples)
    options.epochs = int(epochs)
    options.batch = int(batch)
    options.optimizer = str(optimizer)
    options.learning_rate = float(learning_rate)
    options.weight_decay = float(weight_decay)
    options.schedule = str(schedule)
    options.step_size = int(step_size)
    options.gamma = float(gamma)
    options.clip_norm = float(clip_norm)
    options.ema_decay = float(ema_decay)
    options.seed = int(seed)
    options.output = output
    options.resume = bool(resume)
    options.time_budget = float(time_budget)
    options.progress = bool(progress)
    report = _low.train(options)
    return TrainingResult(records=list(report["records"]),
                          first_epoch_run=report["first_epoch_run"],
                          best_test_error=report["best_test_error"], output=output)


def evaluate(checkpoint, data, *, samples=0, batch=20, dataset="vorticity", png=None,
             pictures=4):
    """Measure a trained operator on a data set, as ``torus eval`` does.

    The checkpoint's model is rolled out over the window it was trained for, on every sample of
    ``data``, and compared with the stored snapshots.

    Parameters
    ----------
    checkpoint : str or path
        ``checkpoint.h5`` or ``best.h5`` of :func:`train`, or a file of :meth:`Operator.save`.
    data : str, path or array_like, shape (samples, time, x, y)
        An HDF5 data set or an array (written to a temporary file, removed afterwards).
    samples : int
        Use the first this many samples (0: all).
    batch : int
        Samples per evaluation batch.
    dataset : str
        The dataset of an HDF5 file.
    png : str or path, optional
        A folder for PNGs of the last input, the last true and predicted snapshots and their
        difference, for the first ``pictures`` samples.
    pictures : int

    Returns
    -------
    dict
        ``relative_l2`` (the mean over samples of ``||p - w|| / ||w||`` over each sample's
        predicted snapshots), ``samples``, ``seconds`` and ``pictures`` (the PNG paths).
    """
    options = _low.EvaluationOptions()
    options.checkpoint = os.fspath(checkpoint)
    options.dataset = str(dataset)
    options.samples = int(samples)
    options.batch = int(batch)
    options.png_folder = "" if png is None else os.fspath(png)
    options.pictures = int(pictures)
    if _is_path(data):
        options.data = os.fspath(data)
        return dict(_low.evaluate(options))
    # Every rank reads the whole set itself, so a private file per rank will do.
    with tempfile.TemporaryDirectory(prefix="torus-eval-") as folder:
        options.data = _write_data(data, "data", os.path.join(folder, "data.h5"), False)
        return dict(_low.evaluate(options))


class Operator:
    """A neural operator that predicts vorticity snapshots from the ones before them.

    ``Operator(model, model_options, ...)`` builds an untrained model (the weights
    :func:`train` starts from with the same ``seed``); :meth:`load` reads a trained one.

    Parameters
    ----------
    model : {"t1", "fno"}
    model_options : dict or str, optional
        The model's options overriding its defaults (module docstring).
    input_steps : int
        The snapshots the model reads.
    output_steps : int
        The rollout length :meth:`predict` uses by default.
    grid : int or (int, int), optional
        The grid of the fields; required for T1, which is made for one grid.
    seed : int
        Initialisation.
    """

    def __init__(self, model="t1", model_options=None, *, input_steps=10, output_steps=1,
                 grid=None, seed=0):
        model = _model_name(model)
        if grid is None:
            if model == "t1":
                raise _error("T1 is made for one grid and none was given", "grid",
                             "pass grid=(x, y), the shape of the fields it will read")
            grid = 64  # FNO2d takes any grid; the number is not used
        n0, n1 = (grid, grid) if np.isscalar(grid) else grid
        self._op = _low.Operator.build(model, _options_json(model_options), int(input_steps),
                                       int(output_steps), (int(n0), int(n1)), int(seed))

    @classmethod
    def load(cls, path):
        """Read the operator of a checkpoint of :func:`train` (or :meth:`save`).

        Its window is the one it was trained for. Raises :class:`torus.TorusError` for a
        missing file or one that is not such a checkpoint.
        """
        self = cls.__new__(cls)
        self._op = _low.Operator.load(os.fspath(path))
        return self

    @property
    def name(self):
        """``"t1"`` or ``"fno"``."""
        return self._op.name

    @property
    def model_options(self):
        """The model's options with every default filled in (a dict)."""
        return json.loads(self._op.options)

    @property
    def window(self):
        """The window as a dict: ``input_steps``, ``output_steps``, ``first``, ``stride``."""
        return dict(self._op.window)

    @property
    def input_steps(self):
        """The snapshots the model reads (axis 1 of :meth:`predict`'s input)."""
        return self._op.window["input_steps"]

    @property
    def output_steps(self):
        """The rollout length the model was trained for (:meth:`predict`'s default)."""
        return self._op.window["output_steps"]

    @property
    def parameter_count(self):
        """The number of trainable values."""
        return self._op.parameter_count

    def predict(self, w, steps=None, *, batch=32):
        """Roll the model out from the snapshots ``w``.

        Parameters
        ----------
        w : array_like, shape (samples, input_steps, x, y)
            The last ``input_steps`` snapshots of each sample, oldest first. ``float32`` is
            used as given; other real types are converted (the model computes in float32).
        steps : int, optional
            The number of snapshots to predict; :attr:`output_steps` by default.
        batch : int
            Samples per pass through the model (bounds the memory).

        Returns
        -------
        ndarray, shape (samples, steps, x, y)
            The predicted snapshots, ``float32`` for ``float32`` input and ``float64`` otherwise.
        """
        a = np.asarray(w)
        if a.dtype.kind not in "fiub":
            raise TypeError(f"Operator.predict takes real snapshots, got dtype {a.dtype}")
        if a.dtype != np.float32:
            a = a.astype(np.float64, copy=False)
        steps = self.output_steps if steps is None else int(steps)
        return self._op.predict(a, steps, int(batch))

    def save(self, path):
        """Write the model and its window to the checkpoint ``path``.

        :meth:`load` and :func:`evaluate` read it; it holds no optimiser state, so
        :func:`train` cannot resume from it. Under ``mpiexec`` call it on one rank.
        """
        self._op.save(os.fspath(path))

    def __repr__(self):
        w = self.window
        return (f"Operator({self.name!r}, {self.parameter_count} parameters, "
                f"input_steps={w['input_steps']}, output_steps={w['output_steps']})")
