"""Paper-ready figures and tables with one style and byte-identical exports.

Every figure the notebooks publish goes through this module so that all of them
share one look (sizes for one- and two-column papers, a colour-blind-safe
palette, one colour per outlet per study from :func:`outlet_colors`, a font with
Arabic glyphs, codes shown as words by :func:`human_label`) and so that re-running
an analysis reproduces the exported files bit for bit, on any processor: the chart
functions draw their tables' floating-point values rounded to :data:`DRAWN_DIGITS`
significant digits (:func:`draws_rounded`).

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
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping

import matplotlib as mpl
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib.colors import is_color_like, to_hex

#: Significant digits of the values a chart draws.  A table computed on another processor
#: can differ in its last bits (BLAS kernels and vectorized maths are chosen per CPU: a
#: topic model's document shares differ by about 1e-14), and a PDF writes coordinates to
#: 1e-10 pt, so unrounded values would move a label by a digit in the file.  Eight digits
#: are far below what a printed figure shows and far above that noise.
DRAWN_DIGITS = 8


def rounded_floats(table: pd.DataFrame, digits: int = DRAWN_DIGITS) -> pd.DataFrame:
    """``table`` with each floating-point value rounded to ``digits`` significant digits
    (correctly rounded decimal, as ``f"{value:.8g}"``; NaN and infinities kept); other
    columns and the index unchanged.  Float columns come back as float64."""
    columns = table.select_dtypes("floating").columns
    if columns.empty:
        return table
    out = table.copy()
    for column in columns:
        values = table[column].to_numpy(dtype=float, na_value=np.nan)
        out[column] = np.array([float(f"{v:.{digits}g}") for v in values.tolist()], dtype=float)
    return out


def draws_rounded(chart: Callable) -> Callable:
    """``chart`` drawing :func:`rounded_floats` of every DataFrame it is given, so that its
    exported bytes do not depend on the last bits of the numbers (see
    :data:`DRAWN_DIGITS`)."""

    @functools.wraps(chart)
    def rounded(*args, **kwargs):
        args = [rounded_floats(a) if isinstance(a, pd.DataFrame) else a for a in args]
        kwargs = {
            k: rounded_floats(v) if isinstance(v, pd.DataFrame) else v for k, v in kwargs.items()
        }
        return chart(*args, **kwargs)

    return rounded


#: Paper widths in inches: one column of a two-column layout, and the full text width.
COLUMN_WIDTHS = {1: 3.5, 2: 7.2}

#: Okabe & Ito (2008) colour-blind-safe colours, in the order outlets receive them
#: (black last: it is also the colour of ungrouped series, see NEUTRAL_COLOR).
PALETTE = (
    "#E69F00",  # orange
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#F0E442",  # yellow
    "#000000",  # black
)

#: Colours of the 9th and later outlets of a study: matplotlib's ``tab20`` without its
#: two greys (grey draws the other outlets in small multiples).  They are distinct but
#: not all colour-blind safe, so figures with more than :data:`MAX_OVERLAID_GROUPS`
#: groups never rely on colour alone: each outlet gets its own labelled panel.
EXTRA_PALETTE = tuple(
    to_hex(color) for color in mpl.colormaps["tab20"].colors if len(set(color)) > 1
)

#: Most groups drawn in one panel (dodged dots or bars, overlaid lines, one legend);
#: beyond that, grouped figures switch to small multiples.
MAX_OVERLAID_GROUPS = len(PALETTE)

#: Colour of a series that belongs to no outlet (an ungrouped plot).
NEUTRAL_COLOR = "#000000"

#: Colour of the other outlets' lines behind the highlighted one in small multiples.
CONTEXT_COLOR = "#C8C8C8"

#: Words for the codes whose words are not the code with spaces (see :func:`human_label`).
HUMAN_LABELS = {"f1": "F1", "k": "K", "lda": "LDA", "nmf": "NMF", "tfidf": "TF-IDF"}

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
    matplotlib), the Okabe–Ito palette as colour cycle, constrained layout, and the
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


def outlet_colors(
    outlets: Iterable[str], overrides: Mapping[str, str] | None = None
) -> dict[str, str]:
    """Map each outlet of a study to its colour, to pass as ``colors`` to every figure.

    ``outlets`` is the study's ordered outlet list (largest first): the first 8 take the
    Okabe–Ito colours of :data:`PALETTE` in that order, the next ones the colours of
    :data:`EXTRA_PALETTE` (distinct, not all colour-blind safe; figures with that many
    outlets draw small multiples, so colour is never the only cue).  ``overrides``
    (``{outlet: colour}``, any matplotlib colour) replaces single colours.  Passing the
    one mapping to every figure of a study keeps an outlet's colour the same in all of
    them, including figures that show only some outlets.

    Raises ValueError for a repeated outlet, more outlets than the two palettes hold
    (28), an override for an outlet not in ``outlets`` or an override that is not a colour.
    """
    names = list(outlets)
    if any(not isinstance(name, str) for name in names):
        raise TypeError(f"outlet_colors: outlet names must be strings, got {names!r}")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"outlet_colors: outlets listed more than once: {repeated}")
    colors = [*PALETTE, *EXTRA_PALETTE]
    if len(names) > len(colors):
        raise ValueError(
            f"outlet_colors: {len(names)} outlets but only {len(colors)} distinct colours "
            f"({len(PALETTE)} Okabe–Ito + {len(EXTRA_PALETTE)} tab20); "
            "group the smallest outlets into one category first"
        )
    mapping = dict(zip(names, colors, strict=False))
    for outlet, color in (overrides or {}).items():
        if outlet not in mapping:
            raise ValueError(
                f"outlet_colors: override for {outlet!r}, which is not one of the outlets {names}"
            )
        if not is_color_like(color):
            raise ValueError(
                f"outlet_colors: override for {outlet!r} is not a matplotlib colour: {color!r}"
            )
        mapping[outlet] = color
    return mapping


_CODE_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*", re.ASCII)


def human_label(value: object) -> str:
    """The words a figure shows for a code: ``"perpetrator_named"`` → ``"perpetrator named"``.

    Only a whole snake_case code (lower-case ASCII letters, digits and underscores) is
    changed: the words of :data:`HUMAN_LABELS` when listed there (``"tfidf"`` → ``"TF-IDF"``),
    else the code with spaces for underscores.  Anything else (labels that are already
    words, Arabic, numbers) is returned as ``str(value)``; Arabic is never reshaped
    (matplotlib lays it out itself).
    """
    text = str(value)
    if not _CODE_PATTERN.fullmatch(text):
        return text
    return HUMAN_LABELS.get(text, text.replace("_", " "))
