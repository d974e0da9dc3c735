"""A study's paper figure set: what each numbered figure shows, and its export with an index row.

The figure list is study data (for the default study ``data/paper_figures.yaml``), not code:
another study describes its own figures without touching the package, or uses the bundled
:data:`DEFAULT_PAPER_FIGURES`, worded for any study.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from matplotlib.figure import Figure

from arabmedia.plot._export import export_figure
from arabmedia.plot._style import use_paper_style

PAPER_FIGURE_FIELDS = ("name", "shows", "data", "notebook")
#: The figure list of a study that has none of its own.
DEFAULT_PAPER_FIGURES = Path(__file__).parent / "data" / "paper_figures.yaml"


def load_paper_figures(path: str | Path | None = None) -> dict[int, dict[str, str]]:
    """Figure number -> {name, shows, data, notebook} from a YAML file with a ``figures`` map
    (default: :data:`DEFAULT_PAPER_FIGURES`).

    Raises ValueError naming the file, the figure and the missing or unknown field.
    """
    path = Path(path or DEFAULT_PAPER_FIGURES)
    figures = (yaml.safe_load(path.read_text("utf-8")) or {}).get("figures")
    if not isinstance(figures, dict) or not figures:
        raise ValueError(f"{path}: expected a non-empty mapping 'figures'")
    out = {}
    for number, spec in figures.items():
        if not isinstance(number, int) or not isinstance(spec, dict):
            raise ValueError(f"{path}: figure {number!r}: expected a number and a mapping")
        fields = set(spec)
        if fields != set(PAPER_FIGURE_FIELDS):
            missing = sorted(set(PAPER_FIGURE_FIELDS) - fields)
            unknown = sorted(fields - set(PAPER_FIGURE_FIELDS))
            raise ValueError(f"{path}: figure {number}: missing {missing}, unknown {unknown}")
        out[number] = {field: str(spec[field]) for field in PAPER_FIGURE_FIELDS}
    return dict(sorted(out.items()))


def paper_figure_file(number: int, figures: dict[int, dict[str, str]]) -> str:
    """File name stem of paper figure ``number``: ``05_fig<NN>_<name>``."""
    return f"05_fig{number:02d}_{figures[number]['name']}"


def export_paper_figure(
    fig: Figure,
    number: int,
    dates: str,
    figures: dict[int, dict[str, str]],
    *,
    figures_dir,
    cache_dir=None,
) -> dict[str, str]:
    """Save paper figure ``number`` of ``figures`` and return its figure-index row.

    ``dates`` is the date range the figure covers (e.g. "<first day> to <last day>");
    ``cache_dir`` is passed to :func:`export_figure`.  The row
    has the columns of :func:`figure_index_markdown`: figure, file, shows, data, dates,
    notebook.
    """
    spec = figures[number]
    file = paper_figure_file(number, figures)
    with use_paper_style():
        export_figure(fig, file, figures_dir=figures_dir, cache_dir=cache_dir)
    return {
        "figure": f"Figure {number}",
        "file": file,
        "shows": spec["shows"],
        "data": spec["data"],
        "dates": dates,
        "notebook": spec["notebook"],
    }
