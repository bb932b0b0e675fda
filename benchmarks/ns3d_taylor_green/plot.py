#!/usr/bin/python3
"""Plots the dissipation of the Taylor-Green vortex at Re = 1600 from taylor_green's CSV files.

    /usr/bin/python3 benchmarks/ns3d_taylor_green/plot.py out128/taylor_green.csv [more.csv ...]
        --png dissipation.png

Each CSV (columns t, E, eps, minus_dE_dt) gives two curves: -dE/dt (centred differences of the
recorded energy) and eps = nu <|omega|^2>. The reference is the pseudo-spectral DNS at 512^3 of
van Rees, Leonard, Pullin & Koumoutsakos (J. Comput. Phys. 230, 2011, 2794-2805), which agrees
with Brachet et al. (J. Fluid Mech. 130, 1983, 411-452): its dissipation rate peaks at about
0.0127 near t = 9. No reference data file is shipped, so the reference appears as that peak
marker only.
"""
import argparse
import csv
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

REFERENCE_PEAK = (9.0, 0.0127)  # (t, -dE/dt) of the 512^3 spectral DNS, approximate


def read(path):
    columns = {"t": [], "E": [], "eps": [], "minus_dE_dt": []}
    with open(path, newline="") as f:
        lines = [line for line in f if not line.startswith("#")]  # comment lines (results_128.csv)
        for row in csv.DictReader(lines):
            for key in columns:
                columns[key].append(float(row[key]))
    return columns


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", nargs="+", help="taylor_green.csv files")
    parser.add_argument("--png", default="taylor_green_dissipation.png", help="output picture")
    parser.add_argument("--labels", nargs="*", help="one legend label per CSV (default: folder)")
    args = parser.parse_args()

    fig, ax = plt.subplots(figsize=(7, 4.5))
    for i, path in enumerate(args.csv):
        data = read(path)
        label = args.labels[i] if args.labels else os.path.basename(os.path.dirname(path)) or path
        line, = ax.plot(data["t"], data["minus_dE_dt"], label=f"{label}: -dE/dt")
        ax.plot(data["t"], data["eps"], "--", color=line.get_color(),
                label=f"{label}: eps = nu <|omega|^2>")
        peak = max(range(len(data["eps"])), key=lambda j: data["eps"][j])
        print(f"{path}: peak eps {data['eps'][peak]:.5f} at t = {data['t'][peak]:.2f}")
    ax.plot(*REFERENCE_PEAK, "k*", markersize=12,
            label="spectral DNS 512^3 peak (van Rees et al. 2011)")
    ax.set_xlabel("t")
    ax.set_ylabel("dissipation rate")
    ax.set_title("Taylor-Green vortex, Re = 1600")
    ax.set_xlim(left=0)
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper right")
    fig.tight_layout()
    fig.savefig(args.png, dpi=120)
    print(f"wrote {args.png}")


if __name__ == "__main__":
    main()
