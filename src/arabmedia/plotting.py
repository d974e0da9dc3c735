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
import math
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from cycler import cycler
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from arabmedia.io import atomic_path

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


def _validate_name(name: str) -> str:
    """Check that an export name is a bare file stem (letters, digits, ``_`` and ``-``)."""
    if not isinstance(name, str) or not _NAME_PATTERN.match(name):
        raise ValueError(
            f"invalid export name {name!r}: use letters, digits, '_' and '-' only, "
            "with no folder and no extension (the extension comes from the format)"
        )
    return name


def _write_all_or_nothing(writers: dict[Path, Callable[[Path], None]]) -> list[Path]:
    """Run each ``writer(temp_path)`` and move every temp file onto its target only if all succeed.

    If any writer raises, every temporary file is deleted and no target is touched.
    """
    with contextlib.ExitStack() as stack:
        temps = {target: stack.enter_context(atomic_path(target)) for target in writers}
        for target, write in writers.items():
            write(temps[target])
    return list(writers)


def export_figure(
    fig: Figure,
    name: str,
    *,
    figures_dir: str | Path,
    formats: Sequence[str] = ("pdf", "png"),
    dpi: int = 300,
) -> list[Path]:
    """Save ``fig`` as ``figures_dir/name.<format>`` for each format and return the paths.

    The output bytes depend only on the figure and the installed packages: the PDF
    embeds TrueType font subsets (``pdf.fonttype = 42``) and has no creation or
    modification date, the PNG has no software tag, the SVG has no date and fixed
    ids, so ``SOURCE_DATE_EPOCH`` is not needed.  The figure keeps its own size
    (no tight bounding box); ``dpi`` sets the PNG resolution and that of any
    raster part of a PDF.  All files are written atomically and together: if one
    format fails, none of the targets is created or replaced.
    """
    _validate_name(name)
    formats = tuple(formats)
    unknown = [fmt for fmt in formats if fmt not in FIGURE_FORMATS]
    if not formats or unknown or len(set(formats)) != len(formats):
        raise ValueError(
            f"formats must be distinct values from {FIGURE_FORMATS}, got {formats!r} "
            f"for figure {name!r}"
        )
    folder = Path(figures_dir)

    def writer(fmt: str) -> Callable[[Path], None]:
        def write(temp: Path) -> None:
            fig.savefig(temp, format=fmt, dpi=dpi, metadata=_STABLE_METADATA[fmt])

        return write

    with mpl.rc_context(_export_params()):
        return _write_all_or_nothing({folder / f"{name}.{fmt}": writer(fmt) for fmt in formats})


def _latex_escape(text: str) -> str:
    """Escape LaTeX's special characters in plain text (used for captions)."""
    return "".join(_LATEX_SPECIALS.get(char, char) for char in text)


def export_table(
    df: pd.DataFrame,
    name: str,
    *,
    tables_dir: str | Path,
    index: bool = False,
    float_format: str = "%.3f",
    caption: str | None = None,
    label: str | None = None,
) -> list[Path]:
    """Write ``df`` as ``tables_dir/name.csv`` and ``tables_dir/name.tex``; return both paths.

    The CSV is UTF-8 without byte-order mark, with ``\\n`` line ends, floats
    formatted with ``float_format`` and missing values left empty.  The LaTeX is a
    booktabs ``tabular`` (``\\toprule``, ``\\midrule``, ``\\bottomrule``; load the
    ``booktabs`` package), wrapped in a ``table`` with ``\\caption``/``\\label``
    when given; LaTeX's special characters (``& % $ # _ { } ~ ^ \\``) are escaped
    in headers, cells and caption, missing values print as ``--``.  Arabic text
    is kept as UTF-8: compile with LuaLaTeX and babel
    (``\\usepackage[bidi=basic]{babel}``,
    ``\\babelprovide[import, onchar=ids fonts]{arabic}``), which detects Arabic
    runs and sets them right to left, or with XeLaTeX and polyglossia (Arabic
    cells then need ``\\textarabic{...}``).  Both files are written atomically
    and together.

    Any DataFrame is accepted; column names must be unique so the CSV reads back.
    """
    _validate_name(name)
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"table {name!r}: expected a pandas DataFrame, got {type(df).__name__}")
    duplicated = df.columns[df.columns.duplicated()].tolist()
    if duplicated:
        raise ValueError(f"table {name!r}: duplicate column names {duplicated}")
    if label is not None and not _LABEL_PATTERN.match(label):
        raise ValueError(
            f"table {name!r}: LaTeX label {label!r} may only contain letters, digits, ':._-'"
        )
    csv_text = df.to_csv(index=index, float_format=float_format, lineterminator="\n")
    latex_text = df.to_latex(
        index=index,
        float_format=float_format,
        escape=True,
        na_rep="--",
        caption=None if caption is None else _latex_escape(caption),
        label=label,
    )
    folder = Path(tables_dir)
    contents = {folder / f"{name}.csv": csv_text, folder / f"{name}.tex": latex_text}
    return _write_all_or_nothing(
        {
            target: (lambda temp, text=text: temp.write_text(text, encoding="utf-8", newline="\n"))
            for target, text in contents.items()
        }
    )


def _require_columns(df: pd.DataFrame, function: str, **columns: str | None) -> None:
    """Raise a clear error if a named column argument is not a column of ``df``."""
    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"{function}: expected a pandas DataFrame, got {type(df).__name__}")
    missing = {arg: col for arg, col in columns.items() if col is not None and col not in df}
    if missing:
        wanted = ", ".join(f"{arg}={col!r}" for arg, col in missing.items())
        raise ValueError(f"{function}: no column {wanted}; columns are {list(df.columns)}")
    if df.empty:
        raise ValueError(f"{function}: the DataFrame has no rows")


def _require_finite(df: pd.DataFrame, function: str, *columns: str | None) -> None:
    """Raise naming the first rows whose value in a numeric column is missing or infinite."""
    for column in columns:
        if column is None:
            continue
        values = pd.to_numeric(df[column], errors="coerce").to_numpy(dtype=float)
        bad = df.index[~np.isfinite(values)]
        if len(bad):
            raise ValueError(
                f"{function}: column {column!r} must hold finite numbers; "
                f"rows {bad[:5].tolist()} do not"
            )


def _require_keys(df: pd.DataFrame, function: str, *columns: str | None) -> None:
    """Raise naming the first rows if ``columns`` have missing values or repeat a combination."""
    key = [column for column in columns if column is not None]
    missing = df[key].isna().any(axis=1)
    if missing.any():
        rows = df.index[missing][:5].tolist()
        raise ValueError(f"{function}: missing values in {key}: rows {rows}")
    duplicated = df.duplicated(subset=key, keep=False)
    if duplicated.any():
        rows = df.index[duplicated][:5].tolist()
        raise ValueError(f"{function}: several rows share the same {key}: rows {rows}")


def _new_axes(size: tuple[float, float]) -> tuple[Figure, Axes]:
    """Create a figure on an Agg canvas (not registered with pyplot) with one axes."""
    fig = Figure(figsize=size)
    FigureCanvasAgg(fig)
    return fig, fig.add_subplot()


def _category_size(n_rows: int, legend_entries: int) -> tuple[float, float]:
    """One-column size with about 0.22 in per category row, plus room for a legend below."""
    width, height = figure_size(1)
    legend = 0.3 + 0.15 * math.ceil(legend_entries / 3) if legend_entries else 0.0
    return width, max(height, 0.6 + 0.22 * n_rows) + legend


def _group_offsets(n_groups: int, spread: float) -> np.ndarray:
    """Vertical offsets that place ``n_groups`` markers or bars side by side within a row."""
    if n_groups == 1:
        return np.zeros(1)
    return np.linspace(-spread / 2, spread / 2, n_groups)


def _group_colors(df: pd.DataFrame, group: str | None) -> dict[object, str]:
    """Colour per group value (outlet colours), or the neutral colour for ungrouped data."""
    if group is None:
        return {None: NEUTRAL_COLOR}
    names = sorted(df[group].astype(str).unique())
    return outlet_colors(names)


def dot_plot_ci(
    df: pd.DataFrame,
    label: str,
    value: str,
    low: str,
    high: str,
    group: str | None = None,
) -> tuple[Figure, Axes]:
    """Horizontal dot plot of estimates with confidence intervals, one row per category.

    ``df`` has one row per category (and group): ``label`` the category shown on
    the y axis (Arabic allowed, e.g. a term like "شهداء"), ``value`` the estimate,
    ``low`` and ``high`` the interval bounds (finite, ``low <= value <= high``),
    and optionally ``group`` (e.g. the outlet) whose values get outlet colours and
    sit side by side within a row.  Categories appear top to bottom in order of
    first appearance in ``df``; groups in sorted order.  Returns ``(fig, ax)``.
    """
    function = "dot_plot_ci"
    _require_columns(df, function, label=label, value=value, low=low, high=high, group=group)
    _require_finite(df, function, value, low, high)
    _require_keys(df, function, label, group)
    data = df.assign(**{col: pd.to_numeric(df[col]) for col in (value, low, high)})
    outside = data.index[(data[low] > data[value]) | (data[value] > data[high])]
    if len(outside):
        raise ValueError(
            f"{function}: {value!r} must lie between {low!r} and {high!r}; "
            f"rows {outside[:5].tolist()} do not"
        )
    categories = list(pd.unique(data[label]))
    row_of = {category: row for row, category in enumerate(categories)}
    colors = _group_colors(data, group)
    offsets = _group_offsets(len(colors), spread=0.5)
    with use_paper_style():
        fig, ax = _new_axes(_category_size(len(categories), 0 if group is None else len(colors)))
        for offset, (name, color) in zip(offsets, colors.items(), strict=True):
            part = data if group is None else data[data[group].astype(str) == name]
            estimate = part[value].to_numpy(dtype=float)
            ax.errorbar(
                estimate,
                part[label].map(row_of).to_numpy(dtype=float) + offset,
                xerr=[estimate - part[low].to_numpy(), part[high].to_numpy() - estimate],
                fmt="o",
                color=color,
                ecolor=color,
                elinewidth=1.0,
                capsize=0,
                label=name,
            )
        _finish_category_axes(fig, ax, categories, value, group)
    return fig, ax


def _finish_category_axes(
    fig: Figure, ax: Axes, categories: list, xlabel: str, group: str | None
) -> None:
    """Categories top to bottom on the y axis, x grid, legend for grouped plots."""
    ax.set_yticks(range(len(categories)), [str(name) for name in categories])
    ax.set_ylim(len(categories) - 0.5, -0.5)
    ax.set_xlabel(xlabel)
    ax.grid(axis="x")
    if group is not None:
        _add_legend(fig, ax, title=group)


def _add_legend(fig: Figure, ax: Axes, title: str) -> None:
    """Put the legend of ``ax`` below the plot, outside it, so it never hides data."""
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, title=title, loc="outside lower center", ncols=min(len(labels), 3))


def _period_runs(starts: Sequence[pd.Timestamp], step: pd.DateOffset) -> list[tuple]:
    """Merge missing period starts into ``(first_start, end)`` spans of consecutive periods."""
    spans: list[tuple] = []
    for start in starts:
        if spans and spans[-1][1] == start:
            spans[-1] = (spans[-1][0], start + step)
        else:
            spans.append((start, start + step))
    return spans


def time_series(
    df: pd.DataFrame,
    date: str,
    value: str,
    group: str,
    low: str | None = None,
    high: str | None = None,
    *,
    freq: str | None = None,
    shade_gaps: bool = False,
) -> tuple[Figure, Axes]:
    """Line per group (outlet) over time, with optional confidence bands and shaded gaps.

    ``df`` has one row per group and period: ``date`` the period start (anything
    :func:`pandas.to_datetime` reads), ``value`` the number plotted, ``group`` the
    outlet (outlet colours, legend in sorted order), and optionally ``low`` and
    ``high`` (both or neither) bounding a shaded interval band.  ``freq`` is the
    series' pandas frequency (``"MS"`` month starts, ``"W-MON"`` weeks starting on
    Monday): when given, every date must fall on it, a period missing inside a
    group's range breaks that group's line instead of being bridged, and
    ``shade_gaps=True`` greys the periods where no group has data (a pause in the
    corpora, not a zero).  One-column figure; returns ``(fig, ax)``.
    """
    function = "time_series"
    _require_columns(df, function, date=date, value=value, group=group, low=low, high=high)
    if (low is None) != (high is None):
        raise ValueError(f"{function}: give both low and high, or neither")
    if shade_gaps and freq is None:
        raise ValueError(f"{function}: shade_gaps needs freq to know which periods are missing")
    _require_finite(df, function, value, low, high)
    try:
        dates = pd.to_datetime(df[date])
    except (ValueError, TypeError) as error:
        raise ValueError(f"{function}: column {date!r} does not hold dates: {error}") from error
    numeric = [column for column in (value, low, high) if column is not None]
    data = df.assign(**{date: dates}, **{col: pd.to_numeric(df[col]) for col in numeric})
    _require_keys(data, function, group, date)
    step = None if freq is None else pd.tseries.frequencies.to_offset(freq)
    colors = _group_colors(data, group)
    with use_paper_style():
        fig, ax = _new_axes(figure_size(1))
        for name, color in colors.items():
            part = data[data[group].astype(str) == name].set_index(date).sort_index()
            if step is not None:
                grid = pd.date_range(part.index[0], part.index[-1], freq=step)
                off_grid = part.index.difference(grid)
                if len(off_grid):
                    raise ValueError(
                        f"{function}: group {name!r} has date {off_grid[0].date()} that is not "
                        f"on the frequency {freq!r}"
                    )
                part = part.reindex(grid)
            ax.plot(
                part.index,
                part[value].to_numpy(dtype=float),
                marker="o",
                markersize=2.5,
                color=color,
                label=name,
            )
            if low is not None:
                ax.fill_between(
                    part.index,
                    part[low].to_numpy(dtype=float),
                    part[high].to_numpy(dtype=float),
                    color=color,
                    alpha=0.2,
                    linewidth=0,
                )
        if shade_gaps:
            observed = pd.DatetimeIndex(data[date].unique())
            everything = pd.date_range(observed.min(), observed.max(), freq=step)
            for number, (start, end) in enumerate(
                _period_runs(everything.difference(observed), step)
            ):
                ax.axvspan(
                    start,
                    end,
                    color=GAP_COLOR,
                    linewidth=0,
                    zorder=0,
                    label="no data" if number == 0 else None,
                )
        ax.set_ylabel(value)
        ax.grid(axis="y")
        _add_legend(fig, ax, title=group)
    return fig, ax


def bar_counts(
    df: pd.DataFrame,
    category: str,
    count: str,
    group: str | None = None,
    *,
    signed: bool = False,
) -> tuple[Figure, Axes]:
    """Horizontal bars of counts per category, side by side per group when given.

    ``df`` has one row per category (and group): ``category`` the label on the
    y axis (Arabic allowed), ``count`` a finite non-negative number (any finite
    number with ``signed=True``, e.g. keyness scores of two sides, drawn from a zero
    line), and optionally ``group`` (e.g. the outlet, outlet colours, legend in
    sorted order).  A missing category–group pair draws no bar.  Categories appear
    top to bottom in order of first appearance in ``df``.  Returns ``(fig, ax)``.
    """
    function = "bar_counts"
    _require_columns(df, function, category=category, count=count, group=group)
    _require_finite(df, function, count)
    _require_keys(df, function, category, group)
    data = df.assign(**{count: pd.to_numeric(df[count])})
    negative = data.index[data[count] < 0]
    if len(negative) and not signed:
        raise ValueError(
            f"{function}: column {count!r} is negative in rows {negative[:5].tolist()}"
        )
    categories = list(pd.unique(data[category]))
    row_of = {name: row for row, name in enumerate(categories)}
    colors = _group_colors(data, group)
    bar_height = 0.8 / len(colors)
    offsets = _group_offsets(len(colors), spread=0.8 - bar_height)
    with use_paper_style():
        fig, ax = _new_axes(_category_size(len(categories), 0 if group is None else len(colors)))
        for offset, (name, color) in zip(offsets, colors.items(), strict=True):
            part = data if group is None else data[data[group].astype(str) == name]
            ax.barh(
                part[category].map(row_of).to_numpy(dtype=float) + offset,
                part[count].to_numpy(dtype=float),
                height=bar_height,
                color=color,
                label=name,
            )
        if signed:
            ax.axvline(0, color="0.3", linewidth=0.8)
        _finish_category_axes(fig, ax, categories, count, group)
    return fig, ax


def keyness_plot(
    df: pd.DataFrame,
    term: str,
    frequency: str,
    score: str,
    *,
    names: tuple[str, str],
    n_labels: int = 10,
) -> tuple[Figure, Axes]:
    """Distinctive terms: ``score`` (e.g. Fightin' Words z) against ``frequency`` (log x).

    ``df`` has one row per term: ``term`` (Arabic allowed, drawn as a label), ``frequency``
    (positive count in both corpora together) and ``score`` (positive: typical of
    ``names[0]``, negative: of ``names[1]``).  All terms are grey dots; the ``n_labels``
    highest and lowest scores are coloured with the two names' outlet colours and
    labelled.  Two-column figure; returns ``(fig, ax)``.
    """
    function = "keyness_plot"
    _require_columns(df, function, term=term, frequency=frequency, score=score)
    _require_finite(df, function, frequency, score)
    if len(names) != 2 or names[0] == names[1]:
        raise ValueError(f"{function}: names must be two different corpus names, got {names!r}")
    data = df.assign(**{col: pd.to_numeric(df[col]) for col in (frequency, score)})
    if (data[frequency] <= 0).any():
        raise ValueError(f"{function}: column {frequency!r} must be positive (log axis)")
    ordered = data.sort_values([score, term], ascending=[False, True], kind="stable")
    colors = outlet_colors(names)
    sides = {names[0]: ordered.head(n_labels), names[1]: ordered.iloc[::-1].head(n_labels)}
    with use_paper_style():
        fig, ax = _new_axes(figure_size(2, aspect=0.5))
        ax.scatter(data[frequency], data[score], s=3, color=GAP_COLOR, linewidths=0)
        for name, part in sides.items():
            ax.scatter(part[frequency], part[score], s=8, color=colors[name], label=name)
        ax.set_xscale("log")
        ax.axhline(0, color=NEUTRAL_COLOR, linewidth=0.5)
        ax.set_xlabel(frequency)
        ax.set_ylabel(score)
        ax.grid(axis="y")
        _add_legend(fig, ax, title="typical of")
        fig.canvas.draw()  # settle the layout so that label extents are final
        placed: list = []
        for name, part in sides.items():
            points = zip(part[term], part[frequency], part[score], strict=True)
            for label, x, y in points:
                _place_label(fig, ax, str(label), (x, y), colors[name], placed)
    return fig, ax


#: Offsets (points) tried in turn for a point label; the first free one is used.
_LABEL_OFFSETS = list(
    dict.fromkeys(
        (dx, dy)
        for distance in range(0, 72, 9)
        for dx, dy in ((4, distance), (4, -distance), (-4, distance), (-4, -distance))
    )
)


def _place_label(fig: Figure, ax: Axes, text: str, xy: tuple, color: str, placed: list) -> None:
    """Annotate ``xy`` with ``text`` at the first offset whose box overlaps no placed label
    and stays inside the axes (else at the last offset tried); lines join moved labels."""
    renderer = fig.canvas.get_renderer()
    inside = ax.get_window_extent(renderer)
    for number, (dx, dy) in enumerate(_LABEL_OFFSETS):
        annotation = ax.annotate(
            text,
            xy,
            xytext=(dx, dy),
            textcoords="offset points",
            ha="left" if dx > 0 else "right",
            va="center",
            fontsize=6,
            color=color,
            arrowprops=None
            if dy == 0
            else {"arrowstyle": "-", "color": color, "linewidth": 0.3, "shrinkA": 0},
        )
        annotation.set_in_layout(False)
        box = annotation.get_window_extent(renderer)
        fits = inside.contains(box.x0, box.y0) and inside.contains(box.x1, box.y1)
        if fits and not any(box.padded(1).overlaps(other) for other in placed):
            placed.append(box)
            return
        if number < len(_LABEL_OFFSETS) - 1:
            annotation.remove()
    placed.append(box)


def _freeze_layout(fig: Figure) -> None:
    """Run the constrained layout once and keep it: many-panel layouts take seconds, and
    exporting PDF and PNG would otherwise compute the same layout again for each format."""
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
        fig.set_layout_engine("none")


def _panel_grid(n_panels: int, ncols: int, panel_height: float) -> tuple[Figure, list[Axes]]:
    """A two-column-wide figure with ``n_panels`` axes in rows of ``ncols``; spare axes hidden."""
    ncols = max(1, min(ncols, n_panels))
    nrows = math.ceil(n_panels / ncols)
    fig = Figure(figsize=(COLUMN_WIDTHS[2], 0.4 + panel_height * nrows))
    FigureCanvasAgg(fig)
    axes = list(np.atleast_1d(fig.subplots(nrows, ncols, squeeze=False)).ravel())
    for ax in axes[n_panels:]:
        ax.set_visible(False)
    return fig, axes[:n_panels]


def metric_panels(
    df: pd.DataFrame,
    x: str,
    metrics: Sequence[str],
    *,
    group: str | None = None,
    se_suffix: str = "_se",
    highlight: dict[str, float] | None = None,
    titles: dict[str, str] | None = None,
) -> tuple[Figure, list[Axes]]:
    """One small panel per metric against ``x`` (e.g. topic-model diagnostics against K).

    ``df`` has one row per ``x`` value (and ``group``, e.g. the model kind): a column per
    metric and optionally ``<metric><se_suffix>`` drawn as error bars.  A panel is skipped
    when its metric is missing for every row.  ``highlight`` maps a group value (or None for
    ungrouped data) to an ``x`` marked by a dashed vertical line (e.g. the recommended K);
    ``titles`` renames panels.  Returns ``(fig, axes)``.
    """
    function = "metric_panels"
    _require_columns(df, function, x=x, group=group)
    missing = [metric for metric in metrics if metric not in df]
    if missing:
        raise ValueError(f"{function}: no column(s) {missing}; columns are {list(df.columns)}")
    shown = [metric for metric in metrics if df[metric].notna().any()]
    groups = [None] if group is None else sorted(df[group].astype(str).unique())
    colors = dict(zip(groups, PALETTE, strict=False)) if group else {None: NEUTRAL_COLOR}
    with use_paper_style():
        fig, axes = _panel_grid(len(shown), ncols=len(shown), panel_height=1.7)
        for ax, metric in zip(axes, shown, strict=True):
            for name in groups:
                part = df if name is None else df[df[group].astype(str) == name]
                part = part[part[metric].notna()].sort_values(x, kind="stable")
                if part.empty:
                    continue
                se_column = f"{metric}{se_suffix}"
                errors = part[se_column].fillna(0).to_numpy() if se_column in part else None
                ax.errorbar(
                    part[x].to_numpy(dtype=float),
                    part[metric].to_numpy(dtype=float),
                    yerr=errors,
                    marker="o",
                    markersize=3,
                    capsize=2,
                    color=colors[name],
                    label=name,
                )
                mark = (highlight or {}).get(name)
                if mark is not None:
                    ax.axvline(mark, color=colors[name], linestyle="--", linewidth=0.8)
            ax.set_title((titles or {}).get(metric, metric))
            ax.set_xlabel(x)
            ax.grid(axis="y")
        if group is not None and axes:
            _add_legend(fig, axes[0], title=group)
        _freeze_layout(fig)
    return fig, axes


def term_panels(
    df: pd.DataFrame,
    facet: str,
    term: str,
    weight: str,
    *,
    titles: dict | None = None,
    ncols: int = 4,
) -> tuple[Figure, list[Axes]]:
    """Horizontal bars of the top terms of each facet (e.g. topic), one small panel each.

    ``df`` has one row per facet and term, heaviest term first within a facet: ``term``
    (Arabic allowed) and a finite non-negative ``weight``.  ``titles`` maps a facet value to
    its panel title (e.g. a topic's Arabic label).  Facets appear in sorted order.
    """
    function = "term_panels"
    _require_columns(df, function, facet=facet, term=term, weight=weight)
    _require_finite(df, function, weight)
    _require_keys(df, function, facet, term)
    facets = sorted(df[facet].unique())
    most_terms = int(df.groupby(facet).size().max())
    with use_paper_style():
        fig, axes = _panel_grid(len(facets), ncols, panel_height=0.35 + 0.13 * most_terms)
        for ax, name in zip(axes, facets, strict=True):
            part = df[df[facet] == name]
            rows = np.arange(len(part))
            ax.barh(rows, part[weight].to_numpy(dtype=float), color=PALETTE[1], height=0.7)
            ax.set_yticks(rows, part[term].astype(str).tolist())
            ax.set_ylim(most_terms - 0.5, -0.5)
            ax.set_title((titles or {}).get(name, str(name)), fontsize=7)
            ax.tick_params(axis="x", labelsize=5)
            ax.tick_params(axis="y", labelsize=6)
        _freeze_layout(fig)
    return fig, axes


def facet_time_series(
    df: pd.DataFrame,
    date: str,
    value: str,
    facet: str,
    low: str | None = None,
    high: str | None = None,
    *,
    group: str | None = None,
    titles: dict | None = None,
    ncols: int = 4,
    marker: object | None = None,
) -> tuple[Figure, list[Axes]]:
    """One small time-series panel per facet (e.g. topic), lines per group (outlet colours).

    ``df`` has one row per facet, group and period: ``date`` (anything
    :func:`pandas.to_datetime` reads), ``value`` and optionally ``low``/``high`` (both or
    neither) for a shaded band.  Panels share the y axis; ``titles`` maps facet values to
    panel titles; ``marker`` draws a dotted vertical line at a date (e.g. 7 October 2023).
    """
    function = "facet_time_series"
    _require_columns(df, function, date=date, value=value, facet=facet, low=low, high=high)
    if (low is None) != (high is None):
        raise ValueError(f"{function}: give both low and high, or neither")
    _require_finite(df, function, value, low, high)
    _require_keys(df, function, facet, group, date)
    data = df.assign(**{date: pd.to_datetime(df[date])})
    facets = sorted(data[facet].unique())
    colors = _group_colors(data, group)
    with use_paper_style():
        fig, axes = _panel_grid(len(facets), ncols, panel_height=1.25)
        top = float(data[high if high else value].max()) * 1.05
        for ax, name in zip(axes, facets, strict=True):
            for group_name, color in colors.items():
                part = data[data[facet] == name]
                if group is not None:
                    part = part[part[group].astype(str) == group_name]
                part = part.sort_values(date, kind="stable")
                ax.plot(part[date], part[value], color=color, linewidth=1.0, label=group_name)
                if low is not None:
                    ax.fill_between(
                        part[date], part[low], part[high], color=color, alpha=0.2, linewidth=0
                    )
            if marker is not None:
                ax.axvline(pd.Timestamp(marker), color="#666666", linestyle=":", linewidth=0.8)
            ax.set_ylim(0, top)
            ax.set_title((titles or {}).get(name, str(name)), fontsize=7)
            ax.tick_params(labelsize=5)
            ax.grid(axis="y")
        if group is not None and axes:
            _add_legend(fig, axes[0], title=group)
        _freeze_layout(fig)
    return fig, axes


FIGURE_INDEX_COLUMNS = ("figure", "file", "shows", "data", "dates", "notebook")


def figure_index_markdown(entries: pd.DataFrame, title: str = "Figures") -> str:
    """A Markdown index of exported figures, one table row per figure.

    ``entries`` has the columns of :data:`FIGURE_INDEX_COLUMNS`: figure (its number or
    name in the paper), file (base name under ``figures/``, exported as PDF and PNG),
    shows (what it shows), data (the corpora and fields behind it), dates (the date
    range) and notebook (the notebook that computes it).  Pipes in cells are escaped.
    """
    _require_columns(entries, "figure_index_markdown", **{c: c for c in FIGURE_INDEX_COLUMNS})
    header = ["figure", "files", "what it shows", "data", "dates", "made by"]
    lines = [f"# {title}", "", "| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for row in entries.itertuples(index=False):
        files = f"`{row.file}.pdf`, `{row.file}.png`"
        cells = [row.figure, files, row.shows, row.data, row.dates, f"`{row.notebook}`"]
        lines.append("| " + " | ".join(str(c).replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines) + "\n"
