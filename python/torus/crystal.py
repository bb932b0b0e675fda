"""Crystals on the torus T^3: structures, CIF, crystal sets and spglib symmetry, computed by torus.

A :class:`Crystal` is a lattice (rows a, b, c in Å), fractional coordinates wrapped into [0, 1)
and atomic numbers (1 ... 100). Lattices from parameters follow pymatgen's
``Lattice.from_parameters`` orientation (c along z), formulas its ``Composition`` ordering.

Bad input (a malformed CIF, a singular lattice, an unknown element, a failed symmetry search)
raises :class:`torus.TorusError` with the problem, the input and a fix.

:func:`to_pymatgen` and :func:`from_pymatgen` convert to and from ``pymatgen.core.Structure``
when pymatgen is installed; torus itself never needs it.
"""

import dataclasses
import os

import numpy as np

from . import _torus

_c = _torus.crystal

__all__ = [
    "Crystal", "SpaceGroup", "lattice_from_parameters", "lattice_parameters", "element",
    "read_cif", "write_cif", "spacegroup", "refine", "primitive", "standardize",
    "niggli_reduce", "operations_of_hall", "read_set", "set_size", "to_pymatgen",
    "from_pymatgen", "StructureMatcher", "neighbor_list", "fully_connected_graph",
    "structural_validity", "shortest_distance", "compositional_validity",
    "wasserstein_distance", "structure_fingerprint", "composition_fingerprint",
    "structure_fingerprint_distance", "composition_fingerprint_distance", "COVERAGE_CUTOFFS",
    "metrics_csp", "metrics_gen",
]


class Crystal:
    """A periodic crystal: ``lattice`` (3, 3) rows a, b, c in Å, ``frac_coords`` (n, 3) in
    [0, 1), ``numbers`` (n,) atomic numbers. The constructor validates (finite values, a
    non-singular lattice, Z in 1 ... 100, matching lengths) and wraps the coordinates."""

    def __init__(self, lattice, frac_coords, numbers):
        lattice = np.asarray(lattice, dtype=np.float64)
        frac_coords = np.asarray(frac_coords, dtype=np.float64).reshape(-1, 3)
        # Values beyond int32 would wrap in the cast; clip them to 0, which check() refuses.
        numbers = np.asarray(numbers, dtype=np.int64).reshape(-1)
        numbers = np.where((numbers < 0) | (numbers > 1000), 0, numbers).astype(np.int32)
        self._lattice, self._frac, self._numbers = _c.check(lattice, frac_coords, numbers)
        for a in (self._lattice, self._frac, self._numbers):
            a.flags.writeable = False

    @classmethod
    def _from_triple(cls, triple):
        return cls(*triple)

    def _triple(self):
        return self._lattice, self._frac, self._numbers

    @property
    def lattice(self):
        """Rows a, b, c of the cell in Å, shape (3, 3)."""
        return self._lattice

    @property
    def frac_coords(self):
        """Fractional coordinates in [0, 1), shape (n, 3)."""
        return self._frac

    @property
    def numbers(self):
        """Atomic numbers, shape (n,)."""
        return self._numbers

    @property
    def cart_coords(self):
        """Cartesian positions f · L in Å, shape (n, 3)."""
        return self._frac @ self._lattice

    @property
    def volume(self):
        """Cell volume |det L| in Å³."""
        return _c.volume(self._lattice)

    @property
    def density(self):
        """Density in g/cm³."""
        return _c.density(*self._triple())

    @property
    def formula(self):
        """Full formula by electronegativity, as pymatgen's ``Composition.formula``."""
        return _c.formula(*self._triple())

    @property
    def reduced_formula(self):
        """Reduced formula, as pymatgen's ``Composition.reduced_formula``."""
        return _c.reduced_formula(*self._triple())

    @property
    def parameters(self):
        """(a, b, c, alpha, beta, gamma) in Å and degrees."""
        return _c.lattice_parameters(self._lattice)

    def __len__(self):
        return len(self._numbers)

    def __repr__(self):
        a, b, c, al, be, ga = self.parameters
        return (f"Crystal({self.reduced_formula}, {len(self)} atoms, "
                f"a={a:.4f} b={b:.4f} c={c:.4f} alpha={al:.2f} beta={be:.2f} gamma={ga:.2f})")


@dataclasses.dataclass(frozen=True)
class SpaceGroup:
    """What spglib finds: the space-group number and symbol, the Hall setting, the Wyckoff
    letter and orbit representative of every atom, and the operations (x -> R x + t)."""

    number: int
    international: str
    hall_number: int
    hall_symbol: str
    choice: str
    point_group: str
    wyckoffs: tuple
    equivalent_atoms: np.ndarray
    rotations: np.ndarray
    translations: np.ndarray


def lattice_from_parameters(a, b, c, alpha, beta, gamma):
    """The (3, 3) lattice with these lengths (Å) and angles (degrees), pymatgen's orientation."""
    return _c.lattice_from_parameters(a, b, c, alpha, beta, gamma)


def lattice_parameters(lattice):
    """(a, b, c, alpha, beta, gamma) of a (3, 3) lattice."""
    return _c.lattice_parameters(np.asarray(lattice, dtype=np.float64))


def element(z):
    """A dict of the element data of atomic number ``z``: symbol, mass, electronegativity (NaN
    where undefined), oxidation_states (the common ones), all_oxidation_states (every known
    one), metal."""
    return _c.element(int(z))


def read_cif(path_or_text):
    """The crystal of a CIF file, or of CIF text (anything containing a line break or
    ``data_``). Symmetry operations are expanded and duplicate sites merged."""
    text = str(path_or_text)
    if "\n" in text or text.lstrip().startswith("data_"):
        return Crystal._from_triple(_c.read_cif_string(text))
    return Crystal._from_triple(_c.read_cif_file(os.fspath(path_or_text)))


def write_cif(crystal, path=None, name=""):
    """The P1 CIF text of ``crystal`` (pymatgen's CifWriter layout); also written atomically to
    ``path`` when given."""
    text = _c.write_cif(*crystal._triple(), name)
    if path is not None:
        _c.write_cif_file(*crystal._triple(), os.fspath(path))
    return text


def spacegroup(crystal, symprec=0.1, angle_tolerance=-1.0):
    """The :class:`SpaceGroup` of ``crystal`` at spglib's ``symprec`` (Å)."""
    d = _c.space_group(*crystal._triple(), symprec, angle_tolerance)
    return SpaceGroup(number=d["number"], international=d["international"],
                      hall_number=d["hall_number"], hall_symbol=d["hall_symbol"],
                      choice=d["choice"], point_group=d["point_group"],
                      wyckoffs=tuple(d["wyckoffs"]),
                      equivalent_atoms=np.asarray(d["equivalent_atoms"], dtype=np.int64),
                      rotations=np.asarray(d["rotations"], dtype=np.int64).reshape(-1, 3, 3),
                      translations=np.asarray(d["translations"]).reshape(-1, 3))


def refine(crystal, symprec=0.1, angle_tolerance=-1.0):
    """The refined (symmetrised conventional) cell, as spglib's ``refine_cell``."""
    return Crystal._from_triple(_c.refine(*crystal._triple(), symprec, angle_tolerance))


def primitive(crystal, symprec=0.1, angle_tolerance=-1.0):
    """The standardised primitive cell, as spglib's ``find_primitive``."""
    return Crystal._from_triple(_c.primitive(*crystal._triple(), symprec, angle_tolerance))


def standardize(crystal, symprec=0.1, angle_tolerance=-1.0):
    """The standardised conventional cell, as spglib's ``standardize_cell``."""
    return Crystal._from_triple(_c.standardize(*crystal._triple(), symprec, angle_tolerance))


def niggli_reduce(lattice_or_crystal, eps=1e-5):
    """The Niggli-reduced (3, 3) lattice (rows), as spglib's ``niggli_reduce``."""
    lattice = lattice_or_crystal.lattice if isinstance(lattice_or_crystal, Crystal) \
        else lattice_or_crystal
    return _c.niggli_reduce(np.asarray(lattice, dtype=np.float64), eps)


def operations_of_hall(hall_number):
    """(rotations (k, 3, 3), translations (k, 3)) of spglib's Hall setting ``hall_number``."""
    rotations, translations = _c.operations_of_hall(int(hall_number))
    return (np.asarray(rotations, dtype=np.int64).reshape(-1, 3, 3),
            np.asarray(translations).reshape(-1, 3))


def set_size(path):
    """The number of crystals in the HDF5 crystal set at ``path``."""
    return _c.set_size(os.fspath(path))


def read_set(path, begin=0, end=-1):
    """Crystals [begin, end) of a crystal set: (list of Crystal, list of ids, dict of
    properties, each an array or a list of strings)."""
    crystals, ids, properties = _c.read_set(os.fspath(path), int(begin), int(end))
    return [Crystal._from_triple(t) for t in crystals], list(ids), dict(properties)


def to_pymatgen(crystal):
    """A ``pymatgen.core.Structure`` of ``crystal`` (imports pymatgen)."""
    from pymatgen.core import Lattice, Structure  # lazily: pymatgen is optional
    return Structure(Lattice(crystal.lattice), [int(z) for z in crystal.numbers],
                     crystal.frac_coords, coords_are_cartesian=False)


def from_pymatgen(structure):
    """The Crystal of an ordered ``pymatgen.core.Structure``."""
    if not structure.is_ordered:
        raise _torus.TorusError("the structure has partially occupied sites [input: structure] "
                                "-> order it first")
    return Crystal(structure.lattice.matrix, structure.frac_coords,
                   [site.specie.Z for site in structure])


def _as_triple(c):
    """(lattice, frac_coords, numbers) of a Crystal, a pymatgen Structure or such a tuple."""
    if isinstance(c, Crystal):
        return c._triple()
    if hasattr(c, "lattice") and hasattr(c, "frac_coords") and hasattr(c, "species"):
        return from_pymatgen(c)._triple()
    return tuple(c)


class StructureMatcher:
    """Whether two crystals are the same structure, with the semantics of pymatgen's
    ``StructureMatcher`` and its species-exact comparator (docs/crystal_matching.md): Niggli
    and primitive reduction, volume scaling, lattice mappings within ``ltol`` and
    ``angle_tol``, sites within ``stol`` of (V/N)^(1/3). No supercell matching. Crystals are
    :class:`Crystal` objects, pymatgen Structures or ``(lattice, frac_coords, numbers)``."""

    def __init__(self, ltol=0.2, stol=0.3, angle_tol=5.0, primitive_cell=True, scale=True):
        self._m = _torus.crystal_matching.StructureMatcher(ltol, stol, angle_tol,
                                                           primitive_cell, scale)

    def fit(self, a, b):
        """True when ``a`` and ``b`` match within the tolerances."""
        return self._m.fit(_as_triple(a), _as_triple(b))

    def get_rms_dist(self, a, b):
        """``(rms, max_dist)`` normalised by (V/N)^(1/3), or None when they do not match."""
        return self._m.get_rms_dist(_as_triple(a), _as_triple(b))


def neighbor_list(crystal, cutoff, max_neighbors=0):
    """Periodic neighbour list: a dict of arrays ``src``, ``dst``, ``image`` (the cell offset n
    of the neighbour j + n) and ``distance`` for every pair within ``cutoff`` Å, nearest first
    per atom; ``max_neighbors > 0`` keeps that many per atom."""
    lattice, frac, numbers = _as_triple(crystal)
    return _torus.crystal_matching.neighbor_list(lattice, frac, numbers, cutoff, max_neighbors)


def fully_connected_graph(crystal):
    """Every ordered pair of atoms i != j with its minimum-image offset, as
    :func:`neighbor_list` returns edges."""
    lattice, frac, numbers = _as_triple(crystal)
    return _torus.crystal_matching.fully_connected_graph(lattice, frac, numbers)


# ---- X-ray diffraction ---------------------------------------------------------------------------
# Powder patterns with the semantics of pymatgen's XRDCalculator, the electron density through the
# FFT layer, and a pattern similarity. Form factors: Cromer-Mann (International Tables Vol. C,
# Table 6.1.1.4) unless ``form_factors`` gives Mott-Bethe coefficients {Z: [(a, b), ...]}.

__all__ += ["XrdPattern", "xray_wavelength", "xrd", "electron_density", "xrd_similarity"]


@dataclasses.dataclass
class XrdPattern:
    """A powder pattern: peaks by increasing 2θ (degrees), intensities scaled to a largest peak
    of 100, d-spacings in Å, and per peak the families of Miller indices summed into it as
    ``{"hkl": (h, k, l), "multiplicity": m}``."""
    two_theta: np.ndarray
    intensity: np.ndarray
    hkls: list
    d_spacings: np.ndarray
    wavelength: float
    max_intensity: float


def xray_wavelength(line):
    """Wavelength in Å of an X-ray line: "CuKa", "MoKa1", "CoKb1", ... (pymatgen's names)."""
    return _c.xray_wavelength(str(line))


def xrd(c, wavelength=1.54184, two_theta_range=(0, 90), debye_waller=None, form_factors=None):
    """The powder X-ray pattern of ``c`` (a Crystal, pymatgen Structure or triple).

    ``wavelength`` in Å or a line name ("CuKa"); ``two_theta_range`` in degrees;
    ``debye_waller`` maps atomic numbers to B factors in Å² (attenuation exp(-B s²));
    ``form_factors`` optionally maps atomic numbers to Mott-Bethe pairs (a_i, b_i)."""
    lattice, frac, numbers = _as_triple(c)
    if isinstance(wavelength, str):
        wavelength = xray_wavelength(wavelength)
    lo, hi = two_theta_range
    result = _c.xrd(lattice, frac, numbers, float(wavelength), float(lo), float(hi),
                    {int(z): float(b) for z, b in (debye_waller or {}).items()},
                    None if form_factors is None else
                    {int(z): [(float(a), float(b)) for a, b in v] for z, v in form_factors.items()})
    return XrdPattern(**result)


def electron_density(c, grid, gaussian_part_only=False):
    """Electron density (electrons/Å³) of ``c`` on a grid of its cell: ``grid`` is n or
    (n0, n1, n2); point (i, j, k) is the fractional position (i/n0, j/n1, k/n2). Computed from the
    structure factors by an inverse real FFT; modes beyond the grid's Nyquist limit are left out.
    ``gaussian_part_only`` drops the Cromer-Mann constant c (a point charge per atom)."""
    lattice, frac, numbers = _as_triple(c)
    n = (int(grid),) * 3 if np.isscalar(grid) else tuple(int(g) for g in grid)
    if len(n) != 3:
        raise _torus.TorusError(f"grid {grid!r} is not n or (n0, n1, n2) [input: grid] "
                                "-> give three extents")
    return _c.electron_density(lattice, frac, numbers, *n, bool(gaussian_part_only))


def xrd_similarity(a, b, wavelength=1.54184, two_theta_range=(0, 90), fwhm=0.2, step=0.02):
    """Cosine similarity y_a·y_b / (|y_a| |y_b|) of the two crystals' powder patterns, each
    broadened by Gaussians of full width ``fwhm`` (degrees 2θ) on a grid of spacing ``step``."""
    if isinstance(wavelength, str):
        wavelength = xray_wavelength(wavelength)
    la, fa, za = _as_triple(a)
    lb, fb, zb = _as_triple(b)
    lo, hi = two_theta_range
    return _c.xrd_similarity(la, fa, za, lb, fb, zb, float(wavelength), float(lo), float(hi),
                             float(fwhm), float(step))


# --- Metrics of crystal generation and structure prediction (docs/crystal_metrics.md) ---------

#: Default coverage thresholds (structure, composition) on torus's fingerprint distances.
COVERAGE_CUTOFFS = tuple(_c.default_coverage_cutoffs())


def _numbers_of(c):
    """Atomic numbers of a crystal-like object, or the sequence of atomic numbers itself."""
    if isinstance(c, Crystal) or hasattr(c, "species") or (
            isinstance(c, tuple) and len(c) == 3 and np.ndim(c[0]) == 2):
        return [int(z) for z in _as_triple(c)[2]]
    return [int(z) for z in c]


def structural_validity(crystal, min_distance=0.5, min_volume=0.1):
    """True when every distance between two different atoms (all periodic images) is at least
    ``min_distance`` Å and the cell volume at least ``min_volume`` Å³ (CDVAE's definition)."""
    return _c.structural_validity(_as_triple(crystal), min_distance, min_volume)


def shortest_distance(crystal, search_radius=10.0):
    """The shortest distance between two different atoms over all periodic images, in Å (inf
    when none lies within ``search_radius``)."""
    return _c.shortest_distance(_as_triple(crystal), search_radius)


def compositional_validity(crystal_or_numbers, oxidation_states="all"):
    """CDVAE's SMACT validity: charge neutrality for some choice of oxidation states with
    cations less electronegative than anions; one element or all metals are valid. Takes a
    crystal or a sequence of atomic numbers (one per atom). ``oxidation_states`` is "all" (every
    known state, as SMACT and the published rates) or "common" (pymatgen's common states)."""
    return _c.compositional_validity(_numbers_of(crystal_or_numbers), str(oxidation_states))


def wasserstein_distance(u, v):
    """W1 distance between two 1-D samples (scipy.stats.wasserstein_distance, unweighted)."""
    return _c.wasserstein_distance(np.asarray(u, dtype=np.float64).ravel().tolist(),
                                   np.asarray(v, dtype=np.float64).ravel().tolist())


def structure_fingerprint(crystal, cutoff=3.0, bins=60, sigma=0.05):
    """Smeared radial distribution g(s), s = r / (V/N)^(1/3), on ``bins`` bins up to ``cutoff``."""
    return np.asarray(_c.structure_fingerprint(_as_triple(crystal), cutoff, bins, sigma))


def composition_fingerprint(crystal_or_numbers):
    """The 25 composition features: mean, min, max, range, mean deviation of Z, mass,
    electronegativity, period and group, each over its standard deviation across elements."""
    return np.asarray(_c.composition_fingerprint(_numbers_of(crystal_or_numbers)))


def structure_fingerprint_distance(g, h):
    """RMS difference of two structure fingerprints."""
    return _c.structure_fingerprint_distance(np.asarray(g, dtype=np.float64).tolist(),
                                             np.asarray(h, dtype=np.float64).tolist())


def composition_fingerprint_distance(a, b):
    """Euclidean distance of two composition fingerprints."""
    return _c.composition_fingerprint_distance(np.asarray(a, dtype=np.float64).tolist(),
                                               np.asarray(b, dtype=np.float64).tolist())


def metrics_csp(generated, reference, oxidation_states="all"):
    """Match rate and RMSE of pairs (generated[i], reference[i]) with StructureMatcher(stol=0.5,
    angle_tol=10, ltol=0.3); invalid pairs are non-matches. A dict: pairs, valid, matched,
    match_rate, rmse (NaN when nothing matched). ``oxidation_states`` ("all" or "common") is
    that of the compositional-validity test (compositional_validity)."""
    return dict(_c.metrics_csp([_as_triple(c) for c in generated],
                               [_as_triple(c) for c in reference], str(oxidation_states)))


def metrics_gen(generated, reference, struct_cutoff=None, comp_cutoff=None,
                oxidation_states="all"):
    """Validity (struct, comp, overall), COV-R, COV-P and the W1 distances of density and number
    of elements of ``generated`` against ``reference``, as a dict. ``oxidation_states`` ("all"
    or "common") is that of the compositional-validity test (compositional_validity)."""
    s = COVERAGE_CUTOFFS[0] if struct_cutoff is None else struct_cutoff
    c = COVERAGE_CUTOFFS[1] if comp_cutoff is None else comp_cutoff
    return dict(_c.metrics_gen([_as_triple(x) for x in generated],
                               [_as_triple(x) for x in reference], float(s), float(c),
                               str(oxidation_states)))
