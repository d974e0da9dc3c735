"""The paper's figure set: what each numbered figure shows, and its export with an index entry."""

from __future__ import annotations

from matplotlib.figure import Figure

from arabmedia.plot._export import export_figure
from arabmedia.plot._style import use_paper_style

PAPER_FIGURES: dict[int, dict[str, str]] = {
    1: {
        "name": "coverage",
        "shows": "articles per week and outlet; grey: no data",
        "data": "Al Mayadeen and Al Jazeera article tables, deduplicated",
        "notebook": "00_corpus",
    },
    2: {
        "name": "naming_choices",
        "shows": "share of each name within its concept, per outlet",
        "data": "Al Jazeera and Al Mayadeen leads, term sets lexicons/data/terms/gaza_war.yaml",
        "notebook": "02_terminology",
    },
    3: {
        "name": "martyrs_share_monthly",
        "shows": "monthly share of شهداء among mentions of the dead",
        "data": "leads of both outlets",
        "notebook": "02_terminology",
    },
    4: {
        "name": "distinctive_terms",
        "shows": "most distinctive unigrams and bigrams per outlet",
        "data": "leads of both outlets, stop words removed",
        "notebook": "02_terminology",
    },
    5: {
        "name": "scare_quotes",
        "shows": "names of Israel written in quotation marks, per outlet",
        "data": "titles and leads of both outlets",
        "notebook": "02_terminology",
    },
    6: {
        "name": "frames",
        "shows": "frame prevalence per outlet (dictionary method)",
        "data": "titles and leads of both outlets, lexicons/data/frames",
        "notebook": "03_framing",
    },
    7: {
        "name": "agency",
        "shows": "agency in casualty sentences per outlet",
        "data": "titles and leads of both outlets, lexicons/data/agency",
        "notebook": "03_framing",
    },
    8: {
        "name": "agenda_change",
        "shows": "topic prevalence change in Al Mayadeen around 7 October",
        "data": "Al Mayadeen titles, leads and bodies",
        "notebook": "04_topics",
    },
    9: {
        "name": "fignews_validation",
        "shows": "prediction of FIGNEWS bias and propaganda labels",
        "data": "FIGNEWS-2024 posts (Arabic originals and Arabic MT), majority labels",
        "notebook": "03_framing",
    },
}
"""Per figure number: file name stem, what it shows, its data and the notebook of its table."""


def paper_figure_file(number: int) -> str:
    """File name stem of paper figure ``number``: ``05_fig<NN>_<name>``."""
    return f"05_fig{number:02d}_{PAPER_FIGURES[number]['name']}"


def export_paper_figure(fig: Figure, number: int, dates: str, *, figures_dir) -> dict[str, str]:
    """Save paper figure ``number`` (:data:`PAPER_FIGURES`) and return its figure-index row.

    ``dates`` is the date range the figure covers (e.g. "2023-10-07 to 2024-03-31").  The row
    has the columns of :func:`figure_index_markdown`: figure, file, shows, data, dates,
    notebook.
    """
    spec = PAPER_FIGURES[number]
    file = paper_figure_file(number)
    with use_paper_style():
        export_figure(fig, file, figures_dir=figures_dir)
    return {
        "figure": f"Figure {number}",
        "file": file,
        "shows": spec["shows"],
        "data": spec["data"],
        "dates": dates,
        "notebook": spec["notebook"],
    }
