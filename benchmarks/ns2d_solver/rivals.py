#!/usr/bin/python3
"""Benchmark rivals for the C++ 2-D Navier-Stokes solver: the fno-cn scheme in PyTorch and NumPy.

The scheme is the one of tests/python/reference/ns2d_fno_numpy.py (the FNO data-set generator,
Li et al. 2021): pseudo-spectral vorticity, 2/3 dealiasing, Crank-Nicolson viscosity, forward
Euler advection and forcing. Both rivals here are written the fastest sensible way, and both
reproduce the reference to round-off (`--check` measures it):

* the state is the r2c half spectrum w_h (batch, N, N/2 + 1) (rfft2 / irfft2, not fft2);
* every per-step factor is precomputed: the four derivative multipliers (with 1/lap folded into
  the velocity ones), the CN factor A = (1 - a)/(1 + a), the dealiased explicit factor
  C = dt dealias / (1 + a) and the forcing term dt f_h / (1 + a), where a = dt nu lap / 2;
* the four inverse transforms (u, v, w_x, w_y) are one batched irfft2 of a (4, batch, N, N/2+1)
  buffer, and the rest is in place:
      w_h <- A w_h + dt f_h/(1 + a) - C rfft2(u w_x + v w_y).

Nyquist handling. The reference inverts derivative spectra with irfft2 of the ky >= 0 half of
the full spectrum; for a real field this makes the Nyquist column ky = N/2 of d/dy count as zero,
the Nyquist row kx = N/2 of d/dx count with kx = -N/2 for 1 <= ky <= N/2 - 1, and the two
self-conjugate entries (N/2, 0), (N/2, N/2) of d/dx count as zero. The multipliers below say so
explicitly (see half_spectrum_multipliers), so the products stay Hermitian-consistent and the
result does not depend on how the FFT library's c2r treats the imaginary parts of
self-conjugate entries (torch here uses pocketfft, but an MKL build would use MKL).

Usage:
    rivals.py --n 256 --batch 1 --steps 200 --threads 1 --repeats 5 --impl torch --json
prints one JSON line with steps per second = steps / (median wall time of one repeat of
`steps` steps), measured after a warm-up run of min(steps, 20) steps.

Threads: --threads calls torch.set_num_threads(threads) (intra-op pool: pocketfft runs the
batched 1-D transforms and the element-wise kernels over that many threads). The OpenMP and
MKL pools read OMP_NUM_THREADS / MKL_NUM_THREADS when the library loads, so a driver should set
both to the same value in the environment before the interpreter starts (best_rivals.py does).
numpy.fft (pocketfft in NumPy 1.24) is single-threaded whatever the setting; --threads only
sets the environment recorded in the output for it.

Allocator: glibc's malloc reads MALLOC_MMAP_THRESHOLD_, MALLOC_TRIM_THRESHOLD_ and
MALLOC_TOP_PAD_ (or GLIBC_TUNABLES=glibc.malloc.*) once, at process start, so they must be in
the environment of the interpreter, not set from Python. Their values are parsed as integers:
"1e9" means 1 (every allocation mmapped: the slowest choice), write 1000000000. Setting any one
of them also switches off glibc's dynamic mmap/trim thresholds.
"""

import argparse
import json
import math
import os
import statistics
import sys
import time

import numpy as np

MALLOC_VARIABLES = ("MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_TOP_PAD_",
                    "MALLOC_ARENA_MAX", "GLIBC_TUNABLES")
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


# ---- the scheme's operators on the half spectrum ------------------------------------------------
def wavenumbers(n):
    half = n // 2
    return np.concatenate([np.arange(0, half), np.arange(-half, 0)]).astype(np.float64)


def half_spectrum_multipliers(n):
    """kx, ky (values on the (n, n/2+1) half spectrum), lap, dealias, and the derivative
    multipliers mx, my that reproduce the reference's half-spectrum inverse exactly."""
    half = n // 2
    k = wavenumbers(n)
    kx = np.repeat(k[:, None], half + 1, axis=1)
    ky = np.repeat(np.abs(k[None, : half + 1]), n, axis=0)
    ky[:, half] = -half  # the reference's value on the Nyquist column (used by lap and dealias)
    lap = 4.0 * math.pi**2 * (kx**2 + ky**2)
    lap[0, 0] = 1.0
    k_max = half
    dealias = ((np.abs(kx) <= (2.0 / 3.0) * k_max) & (np.abs(ky) <= (2.0 / 3.0) * k_max))
    two_pi_i = 2.0j * math.pi
    mx = two_pi_i * kx
    mx[half, 0] = 0.0  # self-conjugate: contributes nothing after the c2r
    mx[half, half] = 0.0
    my = two_pi_i * ky
    my[:, half] = 0.0  # the Nyquist column of d/dy contributes nothing
    return kx, ky, lap, dealias.astype(np.float64), mx, my


def precompute(n, nu, dt, forcing):
    """Every per-step constant, as NumPy arrays on the half spectrum."""
    _, _, lap, dealias, mx, my = half_spectrum_multipliers(n)
    a = 0.5 * dt * nu * lap
    f_h = np.fft.rfft2(forcing) if forcing is not None else np.zeros_like(mx)
    return {
        "mu": my / lap,  # u = d psi / dy, psi_h = w_h / lap
        "mv": -mx / lap,  # v = -d psi / dx
        "mx": mx,
        "my": my,
        "cn": (1.0 - a) / (1.0 + a),
        "explicit": dt * dealias / (1.0 + a),
        "forcing": dt * f_h / (1.0 + a),
    }


def fno_forcing(n):
    grid = np.linspace(0.0, 1.0, n + 1)[:-1]
    x, y = np.meshgrid(grid, grid, indexing="ij")
    return 0.1 * (np.sin(2.0 * math.pi * (x + y)) + np.cos(2.0 * math.pi * (x + y)))


def initial_vorticity(n, batch, seed=0):
    """A smooth zero-mean random field (FNO-like spectrum (4 pi^2 |k|^2 + 49)^(-5/4)); it has
    small but non-zero Nyquist content, so the Nyquist handling is exercised by --check."""
    rng = np.random.default_rng(seed)
    k = wavenumbers(n)
    k2 = k[:, None] ** 2 + k[None, :] ** 2
    amplitude = (4.0 * math.pi**2 * k2 + 49.0) ** -1.25
    amplitude[0, 0] = 0.0
    w = np.fft.ifft2(np.fft.fft2(rng.standard_normal((batch, n, n))) * amplitude).real
    return w / np.abs(w).max()


# ---- NumPy ---------------------------------------------------------------------------------------
class NumpyRival:
    def __init__(self, w0, forcing, nu, dt):
        batch, n, _ = w0.shape
        self.n = n
        self.c = precompute(n, nu, dt, forcing)
        self.w_h = np.fft.rfft2(w0)
        self.buffer = np.empty((4, batch, n, n // 2 + 1), dtype=np.complex128)

    def run(self, steps):
        c, w_h, buf, s = self.c, self.w_h, self.buffer, (self.n, self.n)
        for _ in range(steps):
            np.multiply(w_h, c["mu"], out=buf[0])
            np.multiply(w_h, c["mv"], out=buf[1])
            np.multiply(w_h, c["mx"], out=buf[2])
            np.multiply(w_h, c["my"], out=buf[3])
            r = np.fft.irfft2(buf, s=s)  # u, v, w_x, w_y in one call
            np.multiply(r[0], r[2], out=r[0])
            np.multiply(r[1], r[3], out=r[1])
            r[0] += r[1]
            f = np.fft.rfft2(r[0])
            f *= c["explicit"]
            w_h *= c["cn"]
            w_h += c["forcing"]
            w_h -= f

    def field(self):
        return np.fft.irfft2(self.w_h, s=(self.n, self.n))


# ---- PyTorch -------------------------------------------------------------------------------------
class TorchRival:
    def __init__(self, w0, forcing, nu, dt):
        import torch

        self.torch = torch
        batch, n, _ = w0.shape
        self.n = n
        c = precompute(n, nu, dt, forcing)
        as_t = torch.from_numpy
        self.mu, self.mv, self.mx, self.my = (as_t(c[k]) for k in ("mu", "mv", "mx", "my"))
        self.cn = as_t(c["cn"])
        self.minus_explicit = as_t(-c["explicit"]).to(torch.complex128)
        self.forcing = as_t(c["forcing"])
        with torch.no_grad():
            self.w_h = torch.fft.rfft2(as_t(np.ascontiguousarray(w0)))
        self.buffer = torch.empty((4, batch, n, n // 2 + 1), dtype=torch.complex128)
        self.real = torch.empty((4, batch, n, n), dtype=torch.float64)
        self.nonlinear = torch.empty((batch, n, n // 2 + 1), dtype=torch.complex128)

    def run(self, steps):
        torch = self.torch
        w_h, buf, r, f, s = self.w_h, self.buffer, self.real, self.nonlinear, (self.n, self.n)
        with torch.no_grad():
            for _ in range(steps):
                torch.mul(w_h, self.mu, out=buf[0])
                torch.mul(w_h, self.mv, out=buf[1])
                torch.mul(w_h, self.mx, out=buf[2])
                torch.mul(w_h, self.my, out=buf[3])
                torch.fft.irfft2(buf, s=s, out=r)  # u, v, w_x, w_y in one call
                r[0].mul_(r[2]).addcmul_(r[1], r[3])
                torch.fft.rfft2(r[0], out=f)
                w_h.mul_(self.cn).add_(self.forcing).addcmul_(self.minus_explicit, f)

    def field(self):
        return self.torch.fft.irfft2(self.w_h, s=(self.n, self.n)).numpy()


IMPLEMENTATIONS = {"numpy": NumpyRival, "torch": TorchRival}


def reference_error(rival_class, w0, forcing, nu, dt, steps):
    """Max |rival - reference| / max |reference| after `steps` steps."""
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..",
                                    "tests", "python"))
    from reference import ns2d_fno_numpy as ref

    expected, _ = ref.fno_cn(w0, forcing, nu, dt, steps, steps)
    rival = rival_class(w0, forcing, nu, dt)
    rival.run(steps)
    got = rival.field()
    return float(np.abs(got - expected[:, -1]).max() / np.abs(expected[:, -1]).max())


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--impl", choices=sorted(IMPLEMENTATIONS), default="torch")
    parser.add_argument("--n", type=int, default=256)
    parser.add_argument("--batch", type=int, default=1)
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--nu", type=float, default=1e-3)
    parser.add_argument("--dt", type=float, default=1e-4)
    parser.add_argument("--check", action="store_true",
                        help="also run the NumPy reference and report the relative error")
    parser.add_argument("--json", action="store_true", help="one JSON line instead of text")
    args = parser.parse_args(argv)

    if args.impl == "torch":
        import torch

        torch.set_num_threads(args.threads)
        library = {"torch": torch.__version__, "torch_threads": torch.get_num_threads()}
    else:
        library = {"numpy": np.__version__}

    w0 = initial_vorticity(args.n, args.batch)
    forcing = fno_forcing(args.n)
    rival = IMPLEMENTATIONS[args.impl](w0, forcing, args.nu, args.dt)
    rival.run(min(args.steps, 20))  # warm-up: plans, caches, allocator
    seconds = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        rival.run(args.steps)
        seconds.append(time.perf_counter() - start)
    median = statistics.median(seconds)

    result = {
        "impl": args.impl, "n": args.n, "batch": args.batch, "steps": args.steps,
        "threads": args.threads, "repeats": args.repeats,
        "steps_per_second": args.steps / median,
        "median_seconds": median, "seconds": seconds,
        "load_average_1min": os.getloadavg()[0],  # other processes on a shared machine
        "environment": {k: os.environ[k] for k in THREAD_VARIABLES + MALLOC_VARIABLES
                        if k in os.environ},
        **library,
    }
    if args.check:
        result["relative_error_vs_reference"] = reference_error(
            IMPLEMENTATIONS[args.impl], w0, forcing, args.nu, args.dt, args.steps)
    if args.json:
        print(json.dumps(result), flush=True)
    else:
        for key, value in result.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
