"""Runs `torus ns2d` and `torus ns2d generate` and checks their files with h5py.

Usage: check_ns2d.py --workdir DIR -- MPIEXEC ... TORUS
"""
import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

import h5py
import numpy as np


def run(command, *args, expect_ok=True):
    started = time.time()
    result = subprocess.run(command + list(args), capture_output=True, text=True)
    seconds = time.time() - started
    output = result.stdout + result.stderr
    if expect_ok and result.returncode != 0:
        sys.exit(f"FAILED ({result.returncode}): {' '.join(args)}\n{output}")
    if not expect_ok and result.returncode == 0:
        sys.exit(f"FAILED: {' '.join(args)} should have failed\n{output}")
    print(f"{' '.join(args)}: exit {result.returncode} in {seconds:.1f} s")
    return output


def expect(condition, message):
    if not condition:
        sys.exit("FAILED: " + message)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--ranks", type=int, default=1)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    options = parser.parse_args()
    torus = [a for a in options.command if a != "--"]
    work = Path(options.workdir)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)

    # The defaults run in seconds and h5py reads the output.
    out = work / "ns2d.h5"
    run(torus, "ns2d", "--output", str(out))
    with h5py.File(out, "r") as f:
        w, t = f["vorticity"][...], f["t"][...]
        expect(w.shape == (1, 5, 64, 64) and w.dtype == np.float64, f"vorticity {w.shape}")
        expect(np.allclose(t, [0, 0.25, 0.5, 0.75, 1.0]), f"t = {t}")
        expect(np.all(np.isfinite(w)), "vorticity not finite")
        expect(f["energy"].shape == (1, 5) and f["energy_spectrum"].shape[0] == 1, "diagnostics")
        expect(f.attrs["scheme"] == "fno-cn" and f.attrs["nu"] == 1e-3, "attributes")
        # The energy of the last snapshot matches the vorticity: E = 1/2 sum |c|^2 / |k|^2.
        c = np.fft.fft2(w[0, -1]) / w[0, -1].size
        k = 2 * np.pi * np.fft.fftfreq(64, 1 / 64)
        k2 = k[:, None] ** 2 + k[None, :] ** 2
        k2[0, 0] = np.inf
        energy = 0.5 * np.sum(np.abs(c) ** 2 / k2)
        expect(abs(energy - f["energy"][0, -1]) < 1e-8 * energy, "energy diagnostic")

    # Pictures: one standard PNG per sample of the last snapshot, blue where the vorticity is
    # most negative and red where it is most positive.
    pictures = work / "pictures"
    run(torus, "ns2d", "--batch", "2", "--t-end", "0.5", "--output", str(work / "pictures.h5"),
        "--png", str(pictures))
    names = sorted(p.name for p in pictures.iterdir())
    expect(names == ["vorticity-0-t0.5.png", "vorticity-1-t0.5.png"], f"pictures {names}")
    import matplotlib.image
    with h5py.File(work / "pictures.h5", "r") as f:
        last = f["vorticity"][0, -1]
    image = matplotlib.image.imread(pictures / names[0])
    expect(image.shape[:2] == (256, 256), f"picture shape {image.shape}")
    scale = image.shape[0] // 64
    low = np.unravel_index(np.argmin(last), last.shape)
    high = np.unravel_index(np.argmax(last), last.shape)
    for (i, j), channel in ((low, 2), (high, 0)):  # x to the right, y upwards
        pixel = image[(63 - j) * scale + scale // 2, i * scale + scale // 2, :3]
        expect(pixel[channel] > 0.3 and pixel[channel] == pixel.max(), f"colour {pixel}")

    # Other initial fields, PETSc options passed through to a TS scheme.
    run(torus, "ns2d", "--init", "mcwilliams", "--batch", "2", "--t-end", "0.1",
        "--save-every", "0.05", "--forcing", "none", "--output", str(work / "mcw.h5"))
    text = run(torus, "ns2d", "--init", "taylor-green", "--scheme", "arkimex:3", "--t-end",
               "0.02", "--save-every", "0.01", "--output", str(work / "tg.h5"),
               "-ns2d_ts_arkimex_type", "4")
    expect("arkimex:4" in text, "the PETSc option did not reach the solver: " + text)
    text = run(torus, "ns2d", "--nuu", "5", expect_ok=False)
    expect("unknown option --nuu" in text, text)

    # --init FILE: a good file with two samples, then bad ones.
    good = work / "init.h5"
    with h5py.File(good, "w") as f:
        f["vorticity"] = np.random.default_rng(0).standard_normal((2, 64, 64))
    run(torus, "ns2d", "--init", str(good), "--t-end", "0.01", "--save-every", "0.01",
        "--output", str(work / "from-file.h5"))
    with h5py.File(work / "from-file.h5", "r") as f:
        expect(f["vorticity"].shape == (2, 2, 64, 64), "batch from the --init file")
    for name, data in [("no-vorticity.h5", {"omega": np.zeros((64, 64))}),
                       ("rank4.h5", {"vorticity": np.zeros((1, 1, 64, 64))}),
                       ("extents.h5", {"vorticity": np.zeros((32, 32))}),
                       ("integers.h5", {"vorticity": np.zeros((64, 64), dtype=np.int32)})]:
        path = work / name
        with h5py.File(path, "w") as f:
            for key, value in data.items():
                f[key] = value
        text = run(torus, "ns2d", "--init", str(path), "--output", str(work / "bad.h5"),
                   expect_ok=False)
        expect(name in text and "->" in text, f"message for {name}: {text}")
    text = run(torus, "ns2d", "--init", str(work / "missing.h5"), expect_ok=False)
    expect("does not exist" in text, text)
    text = run(torus, "ns2d", "--nu", "-1", expect_ok=False)
    expect("viscosity" in text, text)
    if options.ranks == 2:
        text = run(torus, "ns2d", "--n", "63", expect_ok=False)
        expect("split" in text, text)

    # A blow-up stops the run, names the time and dt, and saves the last good state.
    blown = work / "blown.h5"
    text = run(torus, "ns2d", "--dt", "0.05", "--t-end", "5", "--save-every", "0.5",
               "--init", "taylor-green", "--forcing", "none", "--nu", "1e-4",
               "--output", str(blown), expect_ok=False)
    last_good = Path(str(blown) + ".last-good.h5")
    expect("blew up" in text and "dt" in text and last_good.name in text, text)
    expect(not blown.exists() and last_good.exists(), "last-good file")
    with h5py.File(last_good, "r") as f:
        expect(f["vorticity"].shape == (1, 64, 64), f"last good {f['vorticity'].shape}")
    run(torus, "ns2d", "--init", str(last_good), "--t-end", "0.01", "--save-every", "0.01",
        "--output", str(work / "continued.h5"))

    # A small data set.
    data = work / "small.h5"
    run(torus, "ns2d", "generate", "--preset", "small", "--samples", "3", "--batch", "2",
        "--seed", "4", "--output", str(data))
    with h5py.File(data, "r") as f:
        expect(f["vorticity"].shape == (3, 5, 32, 32), f"data set {f['vorticity'].shape}")
        expect(f.attrs["seed"] == 4 and f.attrs["samples"] == 3, "data set attributes")
        expect(np.all(np.isfinite(f["vorticity"][...])), "data set not finite")
    expect(not Path(str(data) + ".parts").exists(), "parts left behind")
    text = run(torus, "ns2d", "generate", "--preset", "small", "--samples", "3", "--batch", "2",
               "--seed", "4", "--output", str(data))
    expect("already complete" in text, text)
    print("ns2d command checks passed")


if __name__ == "__main__":
    main()
