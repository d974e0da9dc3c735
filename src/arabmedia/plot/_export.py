"""Byte-identical exports: figures (PDF with fonts embedded, PNG), tables (CSV, LaTeX), index."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox

from arabmedia.io import atomic_path
from arabmedia.plot._charts import _require_columns
from arabmedia.plot._style import (
    _LABEL_PATTERN,
    _LATEX_SPECIALS,
    _NAME_PATTERN,
    _STABLE_METADATA,
    FIGURE_FORMATS,
    _export_params,
    use_paper_style,
)


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

    First the figure is drawn and every text it draws (tick labels, axis labels, titles,
    legend texts, annotations) is checked to lie inside the saved area, which is the
    figure itself (exports never use a tight bounding box): a text outside raises
    ValueError naming the text and the figure, and nothing is written.

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
    with mpl.rc_context(_export_params()):
        _check_text_inside(fig, name)

    def writer(fmt: str) -> Callable[[Path], None]:
        def write(temp: Path) -> None:
            fig.savefig(temp, format=fmt, dpi=dpi, metadata=_STABLE_METADATA[fmt])

        return write

    with mpl.rc_context(_export_params()):
        return _write_all_or_nothing({folder / f"{name}.{fmt}": writer(fmt) for fmt in formats})


def _drawn_text_boxes(fig: Figure) -> list[tuple[str, Bbox]]:
    """Draw ``fig`` on a fresh Agg renderer and return each line of text it draws with the
    line's box in display pixels (origin bottom left), rotation included."""
    width, height = fig.bbox.width, fig.bbox.height
    renderer = RendererAgg(math.ceil(width), math.ceil(height), fig.dpi)
    draw_text = renderer.draw_text
    boxes = []

    def recording_draw_text(gc, x, y, s, prop, angle, ismath=False, mtext=None):
        w, h, d = renderer.get_text_width_height_descent(s, prop, ismath)
        corners = np.array([[0, -d], [w, -d], [w, h - d], [0, h - d]], dtype=float)
        turn = np.deg2rad(angle)
        rotation = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
        points = corners @ rotation.T + [x, height - y if renderer.flipy() else y]
        boxes.append((s, Bbox([points.min(axis=0), points.max(axis=0)])))
        return draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    renderer.draw_text = recording_draw_text
    fig.draw(renderer)
    return boxes


def _check_text_inside(fig: Figure, name: str, tolerance: float = 1.0) -> None:
    """Raise ValueError if a text ``fig`` draws reaches outside the figure (by more than
    ``tolerance`` pixels), naming the text and the figure ``name``.

    Texts that are not drawn (hidden, or ticks outside the axis limits) are not checked.
    """
    area = fig.bbox.padded(tolerance)
    outside = [
        (text, box)
        for text, box in _drawn_text_boxes(fig)
        if text.strip() and not (area.contains(box.x0, box.y0) and area.contains(box.x1, box.y1))
    ]
    if outside:
        text, box = outside[0]
        others = f" (and {len(outside) - 1} more)" if len(outside) > 1 else ""
        raise ValueError(
            f"figure {name!r}: text {text!r} lies outside the saved figure area "
            f"(text box x {box.x0:.0f} to {box.x1:.0f}, y {box.y0:.0f} to {box.y1:.0f} px; "
            f"figure {fig.bbox.width:.0f} x {fig.bbox.height:.0f} px){others}; "
            "shorten or wrap the text or make the figure larger"
        )


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


FIGURE_INDEX_COLUMNS = ("figure", "file", "shows", "data", "dates", "notebook")


def export_figure_and_table(
    fig: Figure, table: pd.DataFrame, name: str, *, folders, table_name: str | None = None
) -> list[Path]:
    """Write ``fig`` and the ``table`` it draws under one ``name``; return the paths written.

    ``folders`` is anything with ``figures_dir`` and ``tables_dir`` (the project settings);
    ``table_name`` names the table when it differs from the figure's name.  The figure is
    saved as by :func:`export_figure` (in the paper style), the table as by
    :func:`export_table`, so a notebook step ends in one call.
    """
    with use_paper_style():
        paths = export_figure(fig, name, figures_dir=folders.figures_dir)
    return paths + export_table(table, table_name or name, tables_dir=folders.tables_dir)


def export_tables(tables: Mapping[str, pd.DataFrame], *, folders) -> list[Path]:
    """:func:`export_table` of each ``{name: table}`` into ``folders.tables_dir``, in order;
    return the paths written (the tables of a notebook that no figure draws)."""
    return [
        path
        for name, table in tables.items()
        for path in export_table(table, name, tables_dir=folders.tables_dir)
    ]


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
