#!/usr/bin/python3
"""The 2-D solver benchmark in one run: torus against PyTorch and NumPy on the fno-cn scheme.

Every contender runs the same scheme (FNO's: Crank-Nicolson diffusion, explicit advection, FNO
forcing, nu = 1e-3, dt = 1e-4) from a Gaussian random field, at 256^2 for batches 1 and 8, with
the same thread count. Each configuration runs in its own process (glibc reads its malloc
variables and OpenMP its thread count at start-up) and the configurations are interleaved in
shuffled rounds, so the drift of a noisy machine spreads over all of them; a figure is the median
over rounds of the contender's own median over repeats. The rivals get every malloc setting of
best_rivals.py and the best one is kept (it is named in the table). torus also reports the time
of the transforms one step needs, measured alone on the solver's plans (bench_ns2d.cpp).

    benchmarks/ns2d_solver/run.py [--rounds 3] [--threads 1] [--batch 1 8] [--no-results]

Writes the table into benchmarks/RESULTS.md (section ns2d_solver) unless --no-results.
"""

import argparse
import collections
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import best_rivals  # noqa: E402  (same folder)

RIVAL_MALLOC = ["default", "top_pad=1G", "mmap=1G,trim=1G"]


def run_torus(build, n, batch, threads, steps, repeats):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads), TORUS_FFTW_THREADS=str(threads))
    command = [os.path.join(build, "benchmarks", "bench_ns2d"), "--n", str(n), "--batch",
               str(batch), "--steps", str(steps), "--repeats", str(repeats)]
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default=os.environ.get("TORUS_BUILD_DIR",
                                                          os.path.join(ROOT, "build")))
    parser.add_argument("--n", type=int, default=256)
    parser.add_argument("--batch", nargs="+", type=int, default=[1, 8])
    parser.add_argument("--threads", nargs="+", type=int, default=[1])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-results", action="store_true")
    args = parser.parse_args()

    configurations = []
    for batch in args.batch:
        for threads in args.threads:
            configurations.append(("torus", batch, threads, "default"))
            for impl in ("torch", "numpy"):
                for malloc in RIVAL_MALLOC:
                    configurations.append((impl, batch, threads, malloc))
    rng = random.Random(args.seed)
    rates = collections.defaultdict(list)
    fft_share = collections.defaultdict(list)
    for round_index in range(args.rounds):
        order = configurations[:]
        rng.shuffle(order)
        for impl, batch, threads, malloc in order:
            # Batch 8 steps cost 8x: fewer of them keep the rounds short.
            steps = max(10, args.steps // batch)
            if impl == "torus":
                result = run_torus(args.build, args.n, batch, threads, steps, args.repeats)
                fft_share[(batch, threads)].append(result["step_over_fft"])
            else:
                result = best_rivals.run_one(impl, args.n, batch, threads, malloc, steps,
                                             args.repeats)
            rates[(impl, batch, threads, malloc)].append(result["steps_per_second"])
            print(f"# round {round_index}: {impl} batch {batch} threads {threads} {malloc}: "
                  f"{result['steps_per_second']:.1f} steps/s", file=sys.stderr, flush=True)

    median = {key: statistics.median(values) for key, values in rates.items()}
    lines = [
        f"Command: `benchmarks/ns2d_solver/run.py --rounds {args.rounds} --threads "
        f"{' '.join(map(str, args.threads))} --batch {' '.join(map(str, args.batch))}` "
        f"(fno-cn, {args.n}^2, nu = 1e-3, dt = 1e-4; steps per second, median over "
        f"{args.rounds} interleaved rounds of the median of {args.repeats} repeats).",
        "",
        "| batch | threads | torus | best PyTorch (malloc) | best NumPy (malloc) "
        "| torus / PyTorch | torus / NumPy | torus step / its FFTs alone |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for batch in args.batch:
        for threads in args.threads:
            torus_rate = median[("torus", batch, threads, "default")]
            best = {}
            for impl in ("torch", "numpy"):
                malloc = max(RIVAL_MALLOC, key=lambda m: median[(impl, batch, threads, m)])
                best[impl] = (median[(impl, batch, threads, malloc)], malloc)
            share = statistics.median(fft_share[(batch, threads)])
            lines.append(
                f"| {batch} | {threads} | {torus_rate:.1f} | {best['torch'][0]:.1f} "
                f"({best['torch'][1]}) | {best['numpy'][0]:.1f} ({best['numpy'][1]}) | "
                f"{torus_rate / best['torch'][0]:.2f}x | {torus_rate / best['numpy'][0]:.2f}x | "
                f"{share:.2f}x |")
    lines += [
        "",
        "Every rival and malloc setting (steps/s, median over rounds):",
        "",
        "| contender | batch | threads | " + " | ".join(RIVAL_MALLOC) + " |",
        "|---|---|---|" + "---|" * len(RIVAL_MALLOC),
    ]
    for impl in ("torch", "numpy"):
        for batch in args.batch:
            for threads in args.threads:
                cells = [f"{median[(impl, batch, threads, m)]:.1f}" for m in RIVAL_MALLOC]
                lines.append(f"| {impl} | {batch} | {threads} | " + " | ".join(cells) + " |")
    lines += [
        "",
        "A step of fno-cn is 4 inverse transforms ((u, omega_x) then (v, omega_y), two "
        "2-channel calls) and 1 forward transform per sample; the last column is the solver's "
        "time per step over the time of exactly those calls on its own plans, timed in the same "
        "process, alternating with the solver (median over rounds of the median over repeats). "
        "Malloc settings: top_pad=1G is "
        "MALLOC_TOP_PAD_=1000000000; mmap=1G,trim=1G is MALLOC_MMAP_THRESHOLD_=1000000000 with "
        "MALLOC_TRIM_THRESHOLD_=1000000000 (integers: glibc reads 1e9 as 1).",
    ]
    table = "\n".join(lines) + "\n"
    print(table)
    if not args.no_results:
        with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False) as stream:
            stream.write(table)
        subprocess.run([os.path.join(ROOT, "benchmarks", "update-results.sh"), "ns2d_solver",
                        stream.name], check=True)
        os.unlink(stream.name)


if __name__ == "__main__":
    main()
