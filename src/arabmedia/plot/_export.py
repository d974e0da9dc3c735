"""Byte-identical exports: figures (PDF with fonts embedded, PNG), tables (CSV, LaTeX), index."""

from __future__ import annotations

import contextlib
import hashlib
import math
import shutil
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.transforms import Bbox, BboxBase

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
    cache_dir: str | Path | None = None,
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

    With ``cache_dir``, the files are also kept in ``cache_dir/figures`` under a key of
    everything the figure draws (each path's vertices, codes, transform and style, each
    text's string, position and font, each image's pixels: :func:`drawing_key`), the
    format, the resolution, the export style and the code and library fingerprint; a
    figure drawn exactly as before is copied from there instead of rendered again.
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
        drawing = _check_text_inside(fig, name)
    stored = {}
    if cache_dir is not None and drawing is not None:
        from arabmedia.cache import code_fingerprint

        base = hashlib.sha256(f"{drawing}|{dpi}|{code_fingerprint()}".encode()).hexdigest()
        stored = {fmt: Path(cache_dir) / "figures" / f"{base}.{fmt}" for fmt in formats}

    def writer(fmt: str) -> Callable[[Path], None]:
        def write(temp: Path) -> None:
            if fmt in stored and stored[fmt].is_file():
                shutil.copyfile(stored[fmt], temp)
                return
            fig.savefig(temp, format=fmt, dpi=dpi, metadata=_STABLE_METADATA[fmt])
            if fmt in stored:
                with atomic_path(stored[fmt]) as kept:
                    shutil.copyfile(temp, kept)

        return write

    with mpl.rc_context(_export_params()):
        return _write_all_or_nothing({folder / f"{name}.{fmt}": writer(fmt) for fmt in formats})


class _UnkeyedDrawing(TypeError):
    """A drawing call with an argument :func:`_feed_drawing` cannot key."""


def _feed_drawing(digest, value) -> None:
    """Feed one argument of a renderer call (arrays, paths, transforms, colours, graphics
    contexts, fonts, numbers, strings, containers) into ``digest``."""
    from matplotlib.backend_bases import GraphicsContextBase
    from matplotlib.font_manager import FontProperties
    from matplotlib.path import Path as MplPath
    from matplotlib.transforms import Transform

    if value is None or isinstance(value, (bool, int, float, str, np.generic)):
        digest.update(repr(value).encode("utf-8", "surrogatepass"))
    elif isinstance(value, np.ndarray):
        digest.update(repr((value.dtype.str, value.shape)).encode())
        digest.update(np.ascontiguousarray(value).tobytes())
    elif isinstance(value, MplPath):
        for part in (value.vertices, value.codes, value.should_simplify):
            _feed_drawing(digest, np.asarray(part) if part is not None else None)
    elif isinstance(value, Transform):
        _feed_drawing(digest, value.get_matrix())
    elif isinstance(value, GraphicsContextBase):
        clip = value.get_clip_path()
        clip_path = None if clip is None or clip[0] is None else clip
        parts = (
            value.get_rgb(), value.get_linewidth(), value.get_dashes(), value.get_alpha(),
            value.get_forced_alpha(), value.get_capstyle(), value.get_joinstyle(),
            value.get_hatch(), value.get_hatch_color(), value.get_antialiased(),
            value.get_snap(), value.get_sketch_params(), value.get_url(),
            value.get_clip_rectangle(), clip_path,
        )  # fmt: skip
        for part in parts:
            _feed_drawing(digest, part)
    elif isinstance(value, BboxBase):
        _feed_drawing(digest, value.get_points())
    elif isinstance(value, FontProperties):
        digest.update(repr(sorted(vars(value).items())).encode())
    elif isinstance(value, (list, tuple)):
        digest.update(f"[{len(value)}".encode())
        for item in value:
            _feed_drawing(digest, item)
    else:
        raise _UnkeyedDrawing(type(value).__qualname__)


_RECORDED_CALLS = (
    "draw_path",
    "draw_markers",
    "draw_path_collection",
    "draw_quad_mesh",
    "draw_gouraud_triangles",
    "draw_image",
    "draw_text",
    "draw_mathtext",
    "draw_tex",
)


def _drawn_text_boxes(fig: Figure) -> tuple[list[tuple[str, Bbox]], str | None]:
    """Draw ``fig`` on a fresh Agg renderer; return each line of text it draws with the
    line's box in display pixels (origin bottom left), rotation included, and
    :func:`drawing_key`'s key of everything drawn (None when a call could not be keyed)."""
    width, height = fig.bbox.width, fig.bbox.height
    renderer = RendererAgg(math.ceil(width), math.ceil(height), fig.dpi)
    draw_text = renderer.draw_text
    boxes = []
    style = sorted(_export_params().items())
    digest = hashlib.sha256(repr((width, height, fig.dpi, style)).encode())
    keyed = [True]

    def recorded(method_name: str, draw):
        def record(*args, **kwargs):
            if keyed[0]:
                try:
                    digest.update(method_name.encode())
                    _feed_drawing(digest, [a for a in args if not isinstance(a, mpl.text.Text)])
                    _feed_drawing(digest, sorted((k, v) for k, v in kwargs.items() if k != "mtext"))
                except _UnkeyedDrawing:
                    keyed[0] = False
            return draw(*args, **kwargs)

        return record

    def recording_draw_text(gc, x, y, s, prop, angle, ismath=False, mtext=None):
        w, h, d = renderer.get_text_width_height_descent(s, prop, ismath)
        corners = np.array([[0, -d], [w, -d], [w, h - d], [0, h - d]], dtype=float)
        turn = np.deg2rad(angle)
        rotation = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
        points = corners @ rotation.T + [x, height - y if renderer.flipy() else y]
        boxes.append((s, Bbox([points.min(axis=0), points.max(axis=0)])))
        return draw_text(gc, x, y, s, prop, angle, ismath=ismath, mtext=mtext)

    renderer.draw_text = recording_draw_text
    for method_name in _RECORDED_CALLS:
        if hasattr(renderer, method_name):
            setattr(renderer, method_name, recorded(method_name, getattr(renderer, method_name)))
    fig.draw(renderer)
    return boxes, digest.hexdigest() if keyed[0] else None


def drawing_key(fig: Figure) -> str | None:
    """sha256 of everything ``fig`` draws on an Agg renderer (the export style applied):
    two figures with the same key draw the same paths, texts and images at the same
    places, so they save to the same bytes; None when a drawing call cannot be keyed."""
    with mpl.rc_context(_export_params()):
        return _drawn_text_boxes(fig)[1]


def _check_text_inside(fig: Figure, name: str, tolerance: float = 1.0) -> str | None:
    """Raise ValueError if a text ``fig`` draws reaches outside the figure (by more than
    ``tolerance`` pixels), naming the text and the figure ``name``; else return the
    figure's :func:`drawing_key`.

    Texts that are not drawn (hidden, or ticks outside the axis limits) are not checked.
    """
    area = fig.bbox.padded(tolerance)
    boxes, key = _drawn_text_boxes(fig)
    outside = [
        (text, box)
        for text, box in boxes
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
    return key


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

    ``folders`` is anything with ``figures_dir`` and ``tables_dir`` (the project settings;
    its ``cache_dir``, when it has one, keeps rendered figures, see :func:`export_figure`);
    ``table_name`` names the table when it differs from the figure's name.  The figure is
    saved as by :func:`export_figure` (in the paper style), the table as by
    :func:`export_table`, so a notebook step ends in one call.
    """
    with use_paper_style():
        cache_dir = getattr(folders, "cache_dir", None)
        paths = export_figure(fig, name, figures_dir=folders.figures_dir, cache_dir=cache_dir)
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
