"""torus.operators: training, evaluation and prediction of FNO2d and T1 from NumPy arrays.

The data is a tiny set of the `small` preset (32^2 stored, 5 times), simulated by torus.pde; the
models are a few thousand parameters, trained for 3 epochs, so the file runs in seconds. What is
checked:

- the training log has every epoch, with finite losses that decrease;
- Operator.load(best).predict, scored in NumPy, gives the error evaluate() reports. Both score
  the same float32 predictions against the same float32 truth in double precision, so they
  agree to the rounding of the sums (1e-12 relative); 1e-5 leaves room for the T1 inputs being
  transformed in other batch shapes (float32 round-off, ~1e-7) and still fails for any wrong
  window, time index or sample;
- an operator built by name predicts the right shape and dtype, and save/load keeps it;
- a run interrupted by its time budget and resumed ends on the log line of a run that was not;
- bad input raises TorusError; the example notebook runs.
"""

import csv
import json
import os
import re

import numpy as np
import pytest

import torus
import torus.operators as ops
import torus.pde as pde

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
NOTEBOOK = os.path.join(ROOT, "python", "examples", "train_t1.ipynb")

TRAIN, TEST = 6, 4
WINDOW = dict(input_steps=2, output_steps=3)  # of the preset's 5 stored times
TINY = {
    "t1": {"width": 8, "modes": 8, "hidden": 16, "layers": 2},
    "fno": {"width": 8, "modes": 6, "layers": 2, "projection": 16},
}
TRAINING = dict(WINDOW, epochs=3, batch=4, learning_rate=3e-3, seed=11)


@pytest.fixture(scope="module")
def vorticity():
    """(10, 5, 32, 32) trajectories of the `small` preset."""
    p = pde.preset("small")
    w0 = pde.gaussian_random_field(p["n"], TRAIN + TEST, seed=4, **p["field"])
    snapshots, _ = pde.ns2d(w0, **p["ns2d"])
    step = p["n"] // p["stored"][0]
    return snapshots[..., ::step, ::step]


@pytest.fixture(scope="module")
def trained(vorticity, tmp_path_factory):
    """The result of a 3-epoch run of each model."""
    results = {}
    for model in TINY:
        output = tmp_path_factory.mktemp(model)
        results[model] = ops.train(vorticity[:TRAIN], vorticity[TRAIN:], model, TINY[model],
                                   output=output, **TRAINING)
    return results


def relative_l2(prediction, truth):
    """FNO's error: the mean over samples of ||p - w|| / ||w|| over the predicted snapshots."""
    difference = ((prediction - truth) ** 2).sum(axis=(1, 2, 3))
    return np.mean(np.sqrt(difference / (truth**2).sum(axis=(1, 2, 3))))


@pytest.mark.parametrize("model", list(TINY))
def test_training_logs_every_epoch_with_decreasing_finite_losses(trained, model):
    result = trained[model]
    history = result.history
    assert list(history["epoch"]) == [1, 2, 3]
    assert result.first_epoch_run == 1
    assert np.all(np.isfinite(history["train_loss"])) and np.all(np.isfinite(history["test_error"]))
    assert history["train_loss"][-1] < history["train_loss"][0]
    assert result.best_test_error == pytest.approx(history["test_error"].min())
    for path in (result.checkpoint, result.best, os.path.join(result.output, "train.h5")):
        assert os.path.isfile(path)
    with open(result.log) as log:
        rows = list(csv.DictReader(log))
    assert [int(r["epoch"]) for r in rows] == [1, 2, 3]
    np.testing.assert_allclose([float(r["test_relative_l2"]) for r in rows],
                               history["test_error"], rtol=1e-8)


@pytest.mark.parametrize("model", list(TINY))
def test_loaded_checkpoint_predicts_what_evaluate_reports(trained, vorticity, model):
    result = trained[model]
    operator = ops.Operator.load(result.best)
    assert operator.name == model
    assert operator.window == dict(WINDOW, first=0, stride=1)
    assert operator.model_options["width"] == TINY[model]["width"]

    test = vorticity[TRAIN:]
    prediction = operator.predict(test[:, :2])
    assert prediction.shape == (TEST, 3, 32, 32) and prediction.dtype == np.float64
    # The data sets are read as float32, as the models compute.
    truth = test[:, 2:5].astype(np.float32).astype(np.float64)
    reported = ops.evaluate(result.best, test)
    assert reported["samples"] == TEST
    assert relative_l2(prediction, truth) == pytest.approx(reported["relative_l2"], rel=1e-5)
    # The same number from the file train() wrote, and the one it logged for the best epoch.
    from_file = ops.evaluate(result.best, os.path.join(result.output, "test.h5"))
    assert from_file["relative_l2"] == pytest.approx(reported["relative_l2"], rel=1e-12)
    assert result.best_test_error == pytest.approx(reported["relative_l2"], rel=1e-5)


@pytest.mark.parametrize("model", list(TINY))
def test_operator_built_by_name_predicts_shapes_and_dtypes_and_saves(vorticity, tmp_path, model):
    operator = ops.Operator(model, TINY[model], input_steps=2, output_steps=3, grid=32, seed=5)
    assert operator.parameter_count > 0
    w = vorticity[:3, :2]
    single = operator.predict(w.astype(np.float32))
    assert single.shape == (3, 3, 32, 32) and single.dtype == np.float32
    double = operator.predict(w, steps=1, batch=2)
    assert double.shape == (3, 1, 32, 32) and double.dtype == np.float64
    # One step is the first step of the rollout, whatever the batching.
    np.testing.assert_allclose(double[:, 0], single[:, 0], rtol=0, atol=1e-5 * np.abs(single).max())
    assert np.all(np.isfinite(single))

    operator.save(tmp_path / "model.h5")
    loaded = ops.Operator.load(tmp_path / "model.h5")
    assert loaded.parameter_count == operator.parameter_count
    assert loaded.window == operator.window
    np.testing.assert_array_equal(loaded.predict(w.astype(np.float32)), single)


def test_resumed_run_ends_on_the_uninterrupted_runs_log_line(trained, vorticity, tmp_path):
    data = (vorticity[:TRAIN], vorticity[TRAIN:], "t1", TINY["t1"])
    # A budget spent by the first epoch stops the run there, as a killed job would be.
    stopped = ops.train(*data, output=tmp_path, time_budget=1e-9, **TRAINING)
    assert [r["epoch"] for r in stopped.records] == [1]
    resumed = ops.train(*data, output=tmp_path, resume=True, **TRAINING)
    assert resumed.first_epoch_run == 2
    assert [r["epoch"] for r in resumed.records] == [1, 2, 3]
    whole = trained["t1"].records[-1]
    for key in ("train_loss", "test_error", "learning_rate"):
        assert resumed.records[-1][key] == pytest.approx(whole[key], rel=1e-6)


def test_bad_input_raises_torus_error(trained, vorticity, tmp_path):
    train, test = vorticity[:TRAIN], vorticity[TRAIN:]
    nan = train.copy()
    nan[2, 1, 3, 4] = np.nan
    cases = {
        "samples, time, x, y": lambda: ops.train(train[0], test, output=tmp_path / "a"),
        "non-finite value": lambda: ops.train(nan, test, output=tmp_path / "b"),
        "unknown model": lambda: ops.train(train, test, "unet", output=tmp_path / "c"),
        "missing.h5": lambda: ops.train(str(tmp_path / "missing.h5"), test,
                                        output=tmp_path / "d", **WINDOW),
        "unknown option 'depth'": lambda: ops.Operator("fno", {"depth": 3}),
        "as JSON": lambda: ops.Operator("fno", "{width: 3"),
        "T1 is made for one grid": lambda: ops.Operator("t1"),
        "needs time index": lambda: ops.train(train, test, "t1", TINY["t1"], input_steps=2,
                                              output_steps=4, output=tmp_path / "e"),
        "not a torus": lambda: ops.Operator.load(os.path.join(trained["t1"].output, "test.h5")),
        "nowhere.h5": lambda: ops.Operator.load(tmp_path / "nowhere.h5"),
        "resume=True without": lambda: ops.train(train, test, resume=True),
    }
    model = ops.Operator.load(trained["t1"].best)
    cases["not (batch, n_in, x, y)"] = lambda: model.predict(test[0, :2])
    cases["NaN or inf"] = lambda: model.predict(np.full((1, 2, 32, 32), np.inf))
    cases["a model that reads 2"] = lambda: model.predict(test[:, :3])
    cases["made for fields of 32x32"] = lambda: model.predict(test[:, :2, :16, :16])
    for expected, call in cases.items():
        with pytest.raises(torus.TorusError, match=re.escape(expected)):
            call()


def test_example_notebook_runs(tmp_path, monkeypatch):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    # The notebook reads these to train a handful of samples for two epochs, into tmp_path.
    monkeypatch.setenv("TORUS_EXAMPLE_QUICK", "1")
    monkeypatch.setenv("TORUS_EXAMPLE_OUTPUT", str(tmp_path / "run"))
    with open(NOTEBOOK) as f:
        notebook = json.load(f)
    assert notebook["nbformat"] == 4
    cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert cells and all(not c["outputs"] and c["execution_count"] is None for c in cells)
    namespace = {"__name__": "__main__"}
    for number, cell in enumerate(cells):
        exec(compile("".join(cell["source"]), f"{NOTEBOOK} cell {number}", "exec"), namespace)
    assert os.path.isfile(tmp_path / "run" / "best.h5")
    assert np.isfinite(namespace["prediction"]).all()
    plt.close("all")
