#!/usr/bin/python3
"""Finds the best configuration of each rival (rivals.py) on this machine.

Every (impl, n, batch, threads, malloc setting) runs in its own interpreter, because glibc reads
its malloc variables and OpenMP/MKL their thread counts only when the process starts. The
configurations are run in interleaved rounds (every configuration once per round, in a shuffled
order), so slow drifts of a noisy machine spread over all of them; a configuration's figure is
the median over rounds of rivals.py's own median. The report gives, per (impl, n, batch,
threads), every malloc setting and the best one.

    best_rivals.py [--n 256] [--batch 1 8] [--threads 1 2] [--impl torch numpy]
                   [--steps 200] [--repeats 5] [--rounds 1] [--out results.jsonl]

Malloc values are integers on purpose: glibc parses "1e9" as 1.
"""

import argparse
import collections
import json
import os
import random
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
GIGA = "1000000000"

MALLOC_SETTINGS = {
    "default": {},
    "trim=1G": {"MALLOC_TRIM_THRESHOLD_": GIGA},
    "top_pad=1G": {"MALLOC_TOP_PAD_": GIGA},
    "mmap=1G,trim=1G": {"MALLOC_MMAP_THRESHOLD_": GIGA, "MALLOC_TRIM_THRESHOLD_": GIGA},
    "mmap=1G,trim=1G,top_pad=1G": {"MALLOC_MMAP_THRESHOLD_": GIGA, "MALLOC_TRIM_THRESHOLD_": GIGA,
                                   "MALLOC_TOP_PAD_": GIGA},
}


def run_one(impl, n, batch, threads, malloc, steps, repeats):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("MALLOC_") and k != "GLIBC_TUNABLES"}
    env.update(MALLOC_SETTINGS[malloc])
    env.update({"OMP_NUM_THREADS": str(threads), "MKL_NUM_THREADS": str(threads),
                "PYTHONDONTWRITEBYTECODE": "1"})
    command = [sys.executable, os.path.join(HERE, "rivals.py"), "--impl", impl, "--n", str(n),
               "--batch", str(batch), "--threads", str(threads), "--steps", str(steps),
               "--repeats", str(repeats), "--json"]
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    result["malloc"] = malloc
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--impl", nargs="+", default=["torch", "numpy"])
    parser.add_argument("--n", nargs="+", type=int, default=[256])
    parser.add_argument("--batch", nargs="+", type=int, default=[1, 8])
    parser.add_argument("--threads", nargs="+", type=int, default=[1, 2])
    parser.add_argument("--malloc", nargs="+", default=list(MALLOC_SETTINGS),
                        choices=list(MALLOC_SETTINGS))
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", help="append every run as a JSON line to this file")
    args = parser.parse_args()

    configurations = [(i, n, b, t, m) for i in args.impl for n in args.n for b in args.batch
                      for t in args.threads for m in args.malloc]
    rng = random.Random(args.seed)
    rates = collections.defaultdict(list)
    for round_index in range(args.rounds):
        order = configurations[:]
        rng.shuffle(order)
        for config in order:
            result = run_one(*config, args.steps, args.repeats)
            result["round"] = round_index
            rates[config].append(result["steps_per_second"])
            print(f"# round {round_index} {config}: {result['steps_per_second']:.2f} steps/s",
                  file=sys.stderr, flush=True)
            if args.out:
                with open(args.out, "a") as stream:
                    stream.write(json.dumps(result) + "\n")

    print(f"steps/s (median over {args.rounds} round(s) of the median of {args.repeats} repeats "
          f"of {args.steps} steps)")
    groups = collections.defaultdict(dict)
    for (impl, n, batch, threads, malloc), values in rates.items():
        groups[(impl, n, batch, threads)][malloc] = statistics.median(values)
    header = ["impl", "n", "batch", "threads"] + list(args.malloc) + ["best"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for key in sorted(groups):
        row = groups[key]
        best = max(row, key=row.get)
        cells = [str(k) for k in key] + [f"{row[m]:.1f}" for m in args.malloc]
        print("| " + " | ".join(cells + [f"{best} ({row[best]:.1f})"]) + " |")


if __name__ == "__main__":
    main()
