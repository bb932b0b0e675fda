"""Where the crystal tests find the shared CDVAE data sets, and how they read them.

The sets live in ../shared/data/crystals next to the repository, or under $TORUS_DATA/crystals
(data/fetch-crystals.sh downloads the public originals). Tests that need them skip with a
message naming the folder they looked in."""

import csv
import os
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def crystals_dir():
    """The folder holding perov_5/, carbon_24/, ... (it may not exist)."""
    env = os.environ.get("TORUS_DATA")
    return (pathlib.Path(env) if env else ROOT.parent / "shared" / "data") / "crystals"


def missing_message():
    return f"the shared crystal data is absent ({crystals_dir()}); set TORUS_DATA to its folder"


#: Marks a test (or, as ``pytestmark``, a module) that needs the shared crystal sets.
needs_crystals = pytest.mark.skipif(not crystals_dir().is_dir(), reason=missing_message())


def csv_path(name):
    """The path of ``name`` (``"perov_5/test.csv"``), skipping the test when it is absent."""
    path = crystals_dir() / name
    if not path.exists():
        pytest.skip(missing_message())
    return path


def read_rows(name):
    """The rows of a CDVAE CSV as dicts (its ``cif`` column holds whole CIF files)."""
    csv.field_size_limit(1 << 24)
    with open(csv_path(name), newline="") as f:
        return list(csv.DictReader(f))
