"""Paper-ready figures and tables with one style and byte-identical exports.

Every figure the notebooks publish goes through this module so that all of them
share one look (sizes for one- and two-column papers, a colour-blind-safe
palette with a fixed colour per outlet, a font with Arabic glyphs) and so that
re-running an analysis reproduces the exported files bit for bit.

Arabic text is passed to matplotlib as ordinary (logical-order) strings:
matplotlib shapes it and lays it out right to left itself.  The font is the
DejaVu Sans bundled with matplotlib (it has Arabic glyphs in its regular and
bold faces, not in its oblique ones), so every machine renders the same glyphs.

Figures are built on :class:`matplotlib.figure.Figure` with an Agg canvas, not
through ``pyplot``: nothing is registered in pyplot's global figure list, and
a notebook shows a returned figure with ``display(fig)`` or as a cell's value.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator

import matplotlib as mpl
from cycler import cycler

#: Paper widths in inches: one column of a two-column layout, and the full text width.
COLUMN_WIDTHS = {1: 3.5, 2: 7.2}

#: Okabe & Ito (2008) colour-blind-safe colours, black left out (see NEUTRAL_COLOR).
PALETTE = (
    "#E69F00",  # orange
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
)

#: Colour of a series that belongs to no outlet (an ungrouped plot).
NEUTRAL_COLOR = "#000000"

#: Outlets whose colour never changes, whatever other outlets share the figure.
#: Keys are normalised names (see :func:`outlet_key`).
FIXED_OUTLET_COLORS = {
    "aljazeera": PALETTE[0],
    "الجزيرة": PALETTE[0],
    "almayadeen": PALETTE[1],
    "الميادين": PALETTE[1],
}

GAP_COLOR = "#E0E0E0"
FIGURE_FORMATS = ("pdf", "png", "svg")

# What each format embeds that would change from run to run; None removes the entry.
_STABLE_METADATA = {
    "pdf": {"CreationDate": None, "ModDate": None},
    "png": {"Software": None},
    "svg": {"Date": None},
}
_NAME_PATTERN = re.compile(r"^\w[\w-]*$")
_LABEL_PATTERN = re.compile(r"^[A-Za-z0-9:._-]+$")
_LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "{": r"\{",
    "}": r"\}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}


def figure_size(columns: int = 1, aspect: float = 0.62) -> tuple[float, float]:
    """Return ``(width, height)`` in inches for a figure spanning 1 or 2 paper columns.

    ``aspect`` is height / width (0.62 is close to the golden ratio).
    """
    if columns not in COLUMN_WIDTHS:
        raise ValueError(f"columns must be one of {sorted(COLUMN_WIDTHS)}, got {columns!r}")
    if not aspect > 0:
        raise ValueError(f"aspect must be positive, got {aspect!r}")
    width = COLUMN_WIDTHS[columns]
    return width, width * aspect


def paper_style() -> dict[str, object]:
    """Return the project's matplotlib rcParams (a new dict on every call).

    Small type for print, DejaVu Sans everywhere (Arabic glyphs, bundled with
    matplotlib), the outlet palette as colour cycle, constrained layout, and the
    export settings: TrueType fonts embedded in PDF (``pdf.fonttype = 42``),
    text as paths in SVG with fixed ids, exact figure size when saving.
    """
    return {
        "font.family": "sans-serif",
        "font.sans-serif": ["DejaVu Sans"],
        "mathtext.fontset": "dejavusans",
        "text.usetex": False,
        "font.size": 8,
        "axes.titlesize": 9,
        "axes.labelsize": 8,
        "xtick.labelsize": 7,
        "ytick.labelsize": 7,
        "legend.fontsize": 7,
        "legend.title_fontsize": 7,
        "legend.frameon": False,
        "axes.linewidth": 0.6,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.axisbelow": True,
        "axes.prop_cycle": cycler(color=list(PALETTE)),
        "grid.color": "#D9D9D9",
        "grid.linewidth": 0.5,
        "lines.linewidth": 1.2,
        "lines.markersize": 4,
        "xtick.major.width": 0.6,
        "ytick.major.width": 0.6,
        "date.converter": "concise",
        "figure.figsize": figure_size(1),
        "figure.dpi": 150,
        "figure.constrained_layout.use": True,
        **_export_params(),
    }


def _export_params() -> dict[str, object]:
    """rcParams read while saving, applied by :func:`export_figure` to any figure."""
    return {
        "pdf.fonttype": 42,
        "pdf.use14corefonts": False,
        "svg.fonttype": "path",
        "svg.hashsalt": "arabmedia",
        "savefig.dpi": 300,
        "savefig.bbox": None,
        "savefig.facecolor": "white",
        "savefig.transparent": False,
    }


@contextlib.contextmanager
def use_paper_style() -> Iterator[None]:
    """Apply :func:`paper_style` inside a ``with`` block, restoring the old rcParams after."""
    with mpl.rc_context(paper_style()):
        yield


def outlet_key(outlet: str) -> str:
    """Normalise an outlet name to case-folded letters and digits ("Al-Jazeera" → "aljazeera")."""
    if not isinstance(outlet, str):
        raise TypeError(f"outlet names must be strings, got {outlet!r}")
    return "".join(char for char in outlet.casefold() if char.isalnum())


def outlet_colors(outlets: Iterable[str]) -> dict[str, str]:
    """Map each outlet name to a hex colour, the same one in every figure.

    Al Jazeera and Al Mayadeen (in Latin or Arabic spelling) always get
    :data:`FIXED_OUTLET_COLORS`; the other outlets take the remaining palette
    colours in sorted order of their normalised names, so the result depends only
    on the set of outlets, not on their order.  Names that normalise alike share
    a colour.  More outlets than colours is an error: group the small ones first.
    """
    names = list(dict.fromkeys(outlets))
    keys = sorted({outlet_key(name) for name in names})
    free = [color for color in PALETTE if color not in FIXED_OUTLET_COLORS.values()]
    others = [key for key in keys if key not in FIXED_OUTLET_COLORS]
    if len(others) > len(free):
        raise ValueError(
            f"{len(keys)} outlets but the colour-blind-safe palette distinguishes at most "
            f"{len(free) + 2} (Al Jazeera and Al Mayadeen included); group the smaller "
            f"outlets into one category first: {keys}"
        )
    by_key = {**dict(zip(others, free, strict=False)), **FIXED_OUTLET_COLORS}
    return {name: by_key[outlet_key(name)] for name in names}
