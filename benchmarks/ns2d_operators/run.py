#!/usr/bin/python3
"""The neural-operator benchmark: torus's FNO2d against PyTorch's, T1 against FNO, in one run.

    benchmarks/ns2d_operators/run.py speed [--rounds 3] [--no-results]
    benchmarks/ns2d_operators/run.py accuracy --train TRAIN.h5 --test TEST.h5
                                     [--epochs 3] [--t1-epochs 500] [--no-results]

speed: one training step (forward, relative L2, backward, gradient all-reduce, Adam) of FNO2d
(width 32, 12 modes, 4 layers, batch 20, 64^2, 10 input steps) in torus on 1 and 2 MPI ranks
and in PyTorch on 1 and 2 threads, every PyTorch configuration under each glibc malloc setting
of ../ns2d_solver/best_rivals.py, each in its own process, in shuffled interleaved rounds; a
figure is the median over rounds of each process's median step. Peak memory is the peak
resident set of the process (the sum over ranks for torus on 2 ranks). Then the time per epoch
of T1 against FNO at 64^2, 128^2 and 256^2 for the FNO protocol (1000 training samples, batch
20, 10 input steps rolled out 40 times): an epoch is 50 batches x 40 rollout steps, each a
training step as timed here, plus for T1 the one transform of its training data, paid once
per run and shown on its own.

accuracy: trains FNO with `torus train` for --epochs, then T1 for as many epochs as fit in the
time FNO took, and reports their test relative L2 errors at equal epochs and equal wall time.
The full profile of the FNO paper is --epochs 500 (days on a 2-core machine).

Both write their tables into benchmarks/RESULTS.md (section ns2d_operators_speed or
ns2d_operators_accuracy) unless --no-results.
"""

import argparse
import collections
import csv
import json
import os
import random
import shlex
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "benchmarks", "ns2d_solver"))

import best_rivals  # noqa: E402  (the malloc settings)

RIVAL_MALLOC = ["default", "top_pad=1G", "mmap=1G,trim=1G"]
EPOCH_BATCHES = 1000 // 20
ROLLOUT_STEPS = 40


def mpi_flags():
    out = subprocess.run([os.path.join(ROOT, "scripts", "mpi-flags.sh")], check=True,
                         capture_output=True, text=True).stdout
    return shlex.split(out)


def last_json(out):
    return json.loads(out.strip().splitlines()[-1])


def run_torus(build, model, n, ranks, extra=()):
    env = dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    extra = list(extra)
    # The step bench refuses an option given twice: 5 repeats unless the caller chose.
    repeats = [] if "--repeats" in extra else ["--repeats", "5"]
    command = [os.path.join(build, "benchmarks", "bench_operator_step"), "--model", model,
               "--n", str(n)] + repeats + extra
    if ranks > 1:
        command = ["mpirun", "-n", str(ranks)] + mpi_flags() + command
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    return last_json(out)


def run_torch(threads, malloc):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("MALLOC_") and k != "GLIBC_TUNABLES"}
    env.update(best_rivals.MALLOC_SETTINGS[malloc])
    env.update({"OMP_NUM_THREADS": str(threads), "OPENBLAS_NUM_THREADS": str(threads),
                "PYTHONDONTWRITEBYTECODE": "1"})
    command = [sys.executable, os.path.join(HERE, "torch_fno.py"), "--threads", str(threads),
               "--repeats", "5"]
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    return last_json(out)


def write_results(section, body):
    with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False) as f:
        f.write(body)
    subprocess.run([os.path.join(ROOT, "benchmarks", "update-results.sh"), section, f.name],
                   check=True)
    os.unlink(f.name)


def speed(args):
    configurations = [("torus", ranks, None) for ranks in (1, 2)]
    configurations += [("torch", threads, malloc) for threads in (1, 2) for malloc in RIVAL_MALLOC]
    rng = random.Random(args.seed)
    results = collections.defaultdict(list)
    for round_index in range(args.rounds):
        order = configurations[:]
        rng.shuffle(order)
        for impl, count, malloc in order:
            r = run_torus(args.build, "fno", 64, count) if impl == "torus" else run_torch(count, malloc)
            results[(impl, count, malloc)].append(r)
            print(f"# round {round_index} {impl} {count} {malloc}: {r['step_seconds']:.3f} s/step",
                  file=sys.stderr, flush=True)

    def summary(key):
        runs = results[key]
        memory = "peak_rss_mib_all_ranks" if key[0] == "torus" else "peak_rss_mib"
        return (statistics.median(r["step_seconds"] for r in runs),
                statistics.median(r[memory] for r in runs), runs[0])

    lines = [f"Command: `benchmarks/ns2d_operators/run.py speed --rounds {args.rounds}` (FNO2d "
             "width 32, 12 modes, 4 layers, 10 input steps, batch 20, 64^2, float; one training "
             "step = forward, relative L2, backward, gradient all-reduce, Adam; seconds per step, "
             "median over rounds of each process's median of 5 steps).", "",
             "| workers | torus s/step | best PyTorch s/step (malloc) | torus speed-up | torus peak MiB | PyTorch peak MiB |",
             "|---|---|---|---|---|---|"]
    rival_rows = []
    for count in (1, 2):
        torus_step, torus_memory, _ = summary(("torus", count, None))
        rivals = {m: summary(("torch", count, m)) for m in RIVAL_MALLOC}
        best = min(rivals, key=lambda m: rivals[m][0])
        torch_step, torch_memory, torch_run = rivals[best]
        lines.append(f"| {count} {'rank' if count == 1 else 'ranks'} / {count} "
                     f"{'thread' if count == 1 else 'threads'} | {torus_step:.3f} | "
                     f"{torch_step:.3f} ({best}) | {torch_step / torus_step:.2f}x | "
                     f"{torus_memory:.0f} | {torch_memory:.0f} |")
        rival_rows.append((count, rivals))
    lines += ["", "PyTorch under every malloc setting (s/step, median over rounds):", "",
              "| threads | " + " | ".join(RIVAL_MALLOC) + " |", "|---|" + "---|" * len(RIVAL_MALLOC)]
    for count, rivals in rival_rows:
        lines.append(f"| {count} | " + " | ".join(f"{rivals[m][0]:.3f}" for m in RIVAL_MALLOC) + " |")
    blas = results[("torch", 1, "default")][0].get("blas", "?")
    lines += ["", f"PyTorch 1.13 (Debian) with the BLAS it loaded: `{blas}`; threads by "
              "torch.set_num_threads and OMP_NUM_THREADS. torus: Kokkos Serial, one thread per "
              "rank, OPENBLAS_NUM_THREADS=1. Malloc settings as in ns2d_solver.", ""]

    lines += ["Time per epoch, T1 against FNO2d (same width, modes, layers; FNO protocol: 1000 "
              f"samples, batch 20, 10 input steps rolled out {ROLLOUT_STEPS} times; an epoch is "
              f"{EPOCH_BATCHES} batches x {ROLLOUT_STEPS} training steps of the median time "
              "measured by bench_operator_step on 1 rank; T1 trains on its DCT coefficients, "
              "transformed once per run):", "",
              "| grid | FNO s/epoch | T1 s/epoch | T1 speed-up | T1 transform once (s, 1000 x 50 snapshots) |",
              "|---|---|---|---|---|"]
    for n in args.epoch_grids:
        fno_steps, t1_steps, transforms = [], [], []
        for _ in range(args.rounds):
            fno = run_torus(args.build, "fno", n, 1, ["--repeats", "3", "--warmup", "1"])
            t1 = run_torus(args.build, "t1", n, 1)
            fno_steps.append(fno["step_seconds"])
            t1_steps.append(t1["step_seconds"])
            transforms.append(t1["transform_seconds_per_sample"])
            print(f"# epoch {n}: fno {fno['step_seconds']:.3f}, t1 {t1['step_seconds']:.4f} s/step",
                  file=sys.stderr, flush=True)
        fno_epoch = statistics.median(fno_steps) * EPOCH_BATCHES * ROLLOUT_STEPS
        t1_epoch = statistics.median(t1_steps) * EPOCH_BATCHES * ROLLOUT_STEPS
        # The transform was timed on (samples, 11 snapshots): per snapshot, times 1000 x 50.
        once = statistics.median(transforms) / 11 * 1000 * 50
        lines.append(f"| {n}^2 | {fno_epoch:.0f} | {t1_epoch:.1f} | {fno_epoch / t1_epoch:.1f}x | "
                     f"{once:.1f} |")
    body = "\n".join(lines) + "\n"
    print(body)
    if not args.no_results:
        write_results("ns2d_operators_speed", body)


def read_log(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def train(args, model, epochs, time_budget):
    output = os.path.join(args.out, model)
    command = [os.path.join(args.build, "bin", "torus"), "train", "--model", model, "--data",
               args.train, "--test", args.test, "--epochs", str(epochs), "--batch", "20",
               "--output", output, "--time-budget", str(time_budget)]
    if args.ranks > 1:
        command = ["mpirun", "-n", str(args.ranks)] + mpi_flags() + command
    print("#", " ".join(command), file=sys.stderr, flush=True)
    subprocess.run(command, env=dict(os.environ, OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1"),
                   check=True)
    return read_log(os.path.join(output, "log.csv"))


def accuracy(args):
    # FNO for --epochs; T1 for as many epochs as fit in FNO's wall time (at most --t1-epochs):
    # its log gives both the equal-epoch and the equal-time comparison.
    fno = train(args, "fno", args.epochs, 0)
    fno_time = float(fno[-1]["total_seconds"])
    t1 = train(args, "t1", max(args.t1_epochs, args.epochs), fno_time)
    t1_same_epochs = t1[min(args.epochs, len(t1)) - 1]
    lines = [f"Command: `benchmarks/ns2d_operators/run.py accuracy --train {args.train} --test "
             f"{args.test} --epochs {args.epochs} --ranks {args.ranks}` (torus train defaults: "
             "width 32, 12 modes, 4 layers, batch 20, Adam lr 1e-3, weight decay 1e-4, step "
             "schedule 100 epochs x 0.5; 10 input steps rolled out 40 times; error: relative L2 "
             "of the whole predicted trajectory, mean over test samples). FNO trains for "
             "--epochs; T1 for as long as FNO took.", "",
             "| model | epochs | wall time (s) | test relative L2 |", "|---|---|---|---|",
             f"| FNO2d | {len(fno)} | {fno_time:.0f} | {float(fno[-1]['test_relative_l2']):.4f} |",
             f"| T1, same epochs | {t1_same_epochs['epoch']} | "
             f"{float(t1_same_epochs['total_seconds']):.0f} | "
             f"{float(t1_same_epochs['test_relative_l2']):.4f} |",
             f"| T1, same wall time | {len(t1)} | {float(t1[-1]['total_seconds']):.0f} | "
             f"{float(t1[-1]['test_relative_l2']):.4f} |", "",
             "Test error after each epoch: FNO " +
             ", ".join(f"{float(r['test_relative_l2']):.4f}" for r in fno) + "; T1 " +
             ", ".join(f"{float(r['test_relative_l2']):.4f}" for r in t1[:10]) +
             (" ..." if len(t1) > 10 else "") + "."]
    body = "\n".join(lines) + "\n"
    print(body)
    if not args.no_results:
        write_results("ns2d_operators_accuracy", body)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default=os.environ.get("TORUS_BUILD_DIR",
                                                          os.path.join(ROOT, "build")))
    sub = parser.add_subparsers(dest="job", required=True)
    s = sub.add_parser("speed")
    s.add_argument("--rounds", type=int, default=3)
    s.add_argument("--epoch-grids", nargs="+", type=int, default=[64, 128, 256])
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--no-results", action="store_true")
    a = sub.add_parser("accuracy")
    a.add_argument("--train", required=True)
    a.add_argument("--test", required=True)
    a.add_argument("--epochs", type=int, default=3)
    a.add_argument("--t1-epochs", type=int, default=500)
    a.add_argument("--ranks", type=int, default=1)
    a.add_argument("--out", default="ns2d-operators-runs")
    a.add_argument("--no-results", action="store_true")
    args = parser.parse_args()
    speed(args) if args.job == "speed" else accuracy(args)


if __name__ == "__main__":
    main()
