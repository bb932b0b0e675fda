#!/usr/bin/python3
"""The crystal benchmark: structure matching against pymatgen, and neighbour graphs, in one run.

    benchmarks/crystal_metrics/run.py [--pairs 4000] [--rival-pairs 4000] [--no-results]

Matching: --pairs generated-versus-reference pairs made from Perov-5's test split, each
reference crystal paired with a copy of itself whose Cartesian positions carry Gaussian noise
(standard deviation 0.01 to 0.4 of (V/N)^(1/3), so both decisions occur) and whose cell is
strained by up to 2 %. Both libraries evaluate every pair as the structure-prediction metrics
do (StructureMatcher(stol=0.5, angle_tol=10, ltol=0.3).get_rms_dist: the decision and the
normalised RMS), in the same process, one after the other, single-threaded; converting the
CIFs into each library's objects happens before the clocks start. The decisions must be
identical and the RMS equal to 1e-6. pymatgen is timed on the first --rival-pairs pairs (all by
default; fewer when short of time, and the table says so).

Graphs: bench_crystal_graphs builds the periodic neighbour list (7 Å, 12 neighbours) and the
fully connected graph of the whole test split as one batch; pymatgen's
Structure.get_neighbor_list(7 Å) on the same crystals is the rival (timed on --rival-graphs of
them).

The table goes into benchmarks/RESULTS.md (section crystal_metrics) unless --no-results.
"""

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import warnings

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
BENCHMARK = dict(stol=0.5, angle_tol=10, ltol=0.3)


def data_dir():
    env = os.environ.get("TORUS_DATA")
    return os.path.join(env if env else os.path.join(ROOT, "..", "shared", "data"), "crystals")


def read_structures(path):
    from pymatgen.core import Structure
    csv.field_size_limit(1 << 24)
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [Structure.from_str(r["cif"], fmt="cif") for r in rows]


def perturbed(s, rng):
    """A copy with noise of a random scale on every Cartesian position and a small strain."""
    from pymatgen.core import Lattice, Structure
    scale = rng.choice([0.01, 0.05, 0.1, 0.2, 0.3, 0.4])
    sigma = scale * (s.volume / len(s)) ** (1 / 3)
    strain = np.eye(3) + rng.uniform(-0.02, 0.02, size=(3, 3))
    lattice = Lattice(s.lattice.matrix @ strain)
    cart = s.frac_coords @ lattice.matrix + rng.normal(0, sigma, size=(len(s), 3))
    return Structure(lattice, s.species, cart, coords_are_cartesian=True)


def arrays(s):
    return (np.array(s.lattice.matrix), np.array(s.frac_coords),
            np.array([site.specie.Z for site in s], dtype=np.int32))


def matching(args, structures):
    import torus.crystal as tc
    from pymatgen.analysis.structure_matcher import StructureMatcher
    rng = np.random.default_rng(args.seed)
    references = [structures[i % len(structures)] for i in range(args.pairs)]
    generated = [perturbed(s, rng) for s in references]
    ours_pairs = [(arrays(g), arrays(r)) for g, r in zip(generated, references)]

    ours = tc.StructureMatcher(**BENCHMARK)
    start = time.perf_counter()
    ours_results = [ours.get_rms_dist(g, r) for g, r in ours_pairs]
    ours_seconds = time.perf_counter() - start

    rival = StructureMatcher(**BENCHMARK)
    count = min(args.rival_pairs, args.pairs)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        rival_results = [rival.get_rms_dist(generated[i], references[i]) for i in range(count)]
        rival_seconds = time.perf_counter() - start

    different, worst = 0, 0.0
    for a, b in zip(ours_results[:count], rival_results):
        if (a is None) != (b is None):
            different += 1
        elif a is not None:
            worst = max(worst, abs(a[0] - b[0]))
    matched = [r for r in ours_results if r is not None]
    return {
        "pairs": args.pairs, "rival_pairs": count,
        "torus_pairs_per_second": args.pairs / ours_seconds,
        "pymatgen_pairs_per_second": count / rival_seconds,
        "different_decisions": different, "max_rms_difference": worst,
        "match_rate": len(matched) / args.pairs,
        "mean_rms": statistics.fmean(r[0] for r in matched) if matched else float("nan"),
    }


def graphs(args, structures):
    command = [os.path.join(args.build, "benchmarks", "bench_crystal_graphs"),
               os.path.join(data_dir(), "perov_5", "test.csv"), "--cutoff", "7",
               "--max-neighbors", "12", "--repeats", "5"]
    env = dict(os.environ, OMP_NUM_THREADS="1", TORUS_LOG="error")
    ours = json.loads(subprocess.run(command, env=env, check=True, capture_output=True,
                                     text=True).stdout.strip().splitlines()[-1])
    count = min(args.rival_graphs, len(structures))
    start = time.perf_counter()
    for s in structures[:count]:
        s.get_neighbor_list(7.0)
    rival_rate = count / (time.perf_counter() - start)
    return ours, rival_rate, count


def write_results(body):
    with tempfile.NamedTemporaryFile("w", suffix=".md", delete=False) as f:
        f.write(body)
    subprocess.run([os.path.join(ROOT, "benchmarks", "update-results.sh"), "crystal_metrics",
                    f.name], check=True)
    os.unlink(f.name)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", default=os.environ.get("TORUS_BUILD_DIR",
                                                          os.path.join(ROOT, "build")))
    parser.add_argument("--pairs", type=int, default=4000)
    parser.add_argument("--rival-pairs", type=int, default=4000)
    parser.add_argument("--rival-graphs", type=int, default=3785)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-results", action="store_true")
    args = parser.parse_args()
    path = os.path.join(data_dir(), "perov_5", "test.csv")
    if not os.path.exists(path):
        sys.exit(f"run.py: {path} is missing: set TORUS_DATA or run data/fetch-crystals.sh")
    sys.path.insert(0, os.path.join(args.build, "python"))
    os.environ.setdefault("OMP_NUM_THREADS", "1")

    structures = read_structures(path)
    m = matching(args, structures)
    g, rival_graph_rate, rival_graph_count = graphs(args, structures)
    command = ("benchmarks/crystal_metrics/run.py" +
               (f" --pairs {args.pairs}" if args.pairs != 4000 else "") +
               (f" --rival-pairs {args.rival_pairs}" if args.rival_pairs != 4000 else "") +
               (f" --rival-graphs {args.rival_graphs}" if args.rival_graphs != 3785 else ""))
    ratio = m["torus_pairs_per_second"] / m["pymatgen_pairs_per_second"]
    lines = [
        f"Command: `{command}` (one process, one thread; OMP_NUM_THREADS=1).", "",
        "Matching: Perov-5 test crystals against perturbed copies (noise 0.01-0.4 (V/N)^(1/3), "
        "strain up to 2 %), `StructureMatcher(stol=0.5, angle_tol=10, ltol=0.3).get_rms_dist` "
        "per pair in both libraries (torus through its Python binding, one call per pair).", "",
        "| pairs | torus pairs/s | pymatgen pairs/s | speed-up | different decisions | "
        "max abs RMS difference | match rate | mean RMS |",
        "|---|---|---|---|---|---|---|---|",
        f"| {m['pairs']} (pymatgen: {m['rival_pairs']}) | {m['torus_pairs_per_second']:.0f} | "
        f"{m['pymatgen_pairs_per_second']:.1f} | {ratio:.0f}x | {m['different_decisions']} | "
        f"{m['max_rms_difference']:.1e} | {m['match_rate']:.4f} | {m['mean_rms']:.4f} |", "",
        "Neighbour graphs of the whole Perov-5 test split (bench_crystal_graphs, one batch; "
        "pymatgen's `get_neighbor_list(7)` per structure as the rival):", "",
        "| graph | crystals | atoms | edges | seconds | crystals/s | pymatgen crystals/s |",
        "|---|---|---|---|---|---|---|",
        f"| neighbour list, 7 Å, 12 per atom | {g['crystals']} | {g['atoms']} | "
        f"{g['neighbor_list_edges']} | {g['neighbor_list_seconds']:.4f} | "
        f"{g['neighbor_list_crystals_per_second']:.0f} | {rival_graph_rate:.0f} "
        f"({rival_graph_count} crystals, no truncation) |",
        f"| fully connected | {g['crystals']} | {g['atoms']} | {g['fully_connected_edges']} | "
        f"{g['fully_connected_seconds']:.4f} | {g['fully_connected_crystals_per_second']:.0f} | "
        "- |",
    ]
    body = "\n".join(lines) + "\n"
    print(body)
    if not args.no_results:
        write_results(body)


if __name__ == "__main__":
    main()
