"""Whole figures of the notebooks: one call takes a table and returns the styled figure.

Each builder draws one of the chart types of :mod:`arabmedia.plot._charts` inside
:func:`use_paper_style` and sets its axis labels, so a notebook cell is a table and a call.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
from matplotlib.figure import Figure

from arabmedia.plot._charts import (
    bar_counts,
    dot_plot_ci,
    facet_time_series,
    keyness_plot,
    metric_panels,
    term_panels,
    time_series,
)
from arabmedia.plot._style import figure_size, outlet_colors, use_paper_style

ZERO_LINE = {"color": "#666666", "linewidth": 0.6}
"""Line properties of the zero line of a difference plot."""

K_DIAGNOSTICS = ("coherence", "exclusivity", "stability", "perplexity")


def dot_plot_figure(
    table: pd.DataFrame,
    label: str,
    value: str = "estimate",
    low: str = "low",
    high: str = "high",
    group: str | None = None,
    *,
    xlabel: str = "",
    xlim: tuple[float, float] | None = None,
    title: str | None = None,
    title_size: float | None = None,
    zero_line: bool | Mapping[str, object] = False,
) -> Figure:
    """:func:`dot_plot_ci` of ``table`` (estimates with intervals) with its axis labels.

    ``zero_line`` draws a vertical line at 0 (True: :data:`ZERO_LINE`, or a mapping of line
    properties), for differences.  ``title_size`` is the title's font size (default: style).
    """
    with use_paper_style():
        fig, ax = dot_plot_ci(table, label, value, low, high, group=group)
        if zero_line:
            ax.axvline(0, **(ZERO_LINE if zero_line is True else dict(zero_line)))
        ax.set_xlabel(xlabel)
        if xlim is not None:
            ax.set_xlim(xlim)
        if title is not None:
            ax.set_title(title, **({} if title_size is None else {"fontsize": title_size}))
    return fig


def time_series_figure(
    table: pd.DataFrame,
    date: str,
    value: str,
    group: str,
    low: str | None = None,
    high: str | None = None,
    *,
    freq: str | None = None,
    shade_gaps: bool = False,
    title: str | None = None,
    ylabel: str = "",
    ylim: tuple[float, float] | None = None,
) -> Figure:
    """:func:`time_series` of ``table`` (one row per group and period) with its labels."""
    with use_paper_style():
        fig, ax = time_series(
            table, date, value, group, low, high, freq=freq, shade_gaps=shade_gaps
        )
        if title is not None:
            ax.set_title(title)
        ax.set_ylabel(ylabel)
        ax.set_xlabel("")
        if ylim is not None:
            ax.set_ylim(ylim)
    return fig


def k_diagnostics_figure(summary: pd.DataFrame, chosen: Mapping[str, int]) -> Figure:
    """Panels of the K grid's diagnostics (``summarize_search`` table), chosen K per kind marked."""
    with use_paper_style():
        fig, _ = metric_panels(
            summary.rename(columns=lambda c: c.replace("_mean", "")),
            "k",
            list(K_DIAGNOSTICS),
            group="kind",
            highlight=dict(chosen),
        )
    return fig


def topic_terms_figure(terms: pd.DataFrame, titles: Mapping[int, str]) -> Figure:
    """One panel per topic of its top terms (``topic_terms`` table), titled by ``titles``."""
    with use_paper_style():
        fig, _ = term_panels(terms, "topic", "surface", "weight", titles=dict(titles))
    return fig


def topic_prevalence_figure(
    table: pd.DataFrame,
    titles: Mapping[int, str],
    group: str | None = None,
    *,
    marker: object | None = None,
) -> Figure:
    """Monthly topic prevalence (``monthly_topic_prevalence`` table), one panel per topic."""
    with use_paper_style():
        fig, _ = facet_time_series(
            table, "month", "estimate", "topic", "low", "high",
            group=group, titles=dict(titles), marker=marker,
        )  # fmt: skip
    return fig


def frame_series_figure(
    monthly: pd.DataFrame, group: str = "outlet", *, marker: object | None = None
) -> Figure:
    """Frame shares over time (``frame_prevalence`` table with ``freq``): one panel per frame
    label, all in one row, lines per ``group``; ``marker`` draws a dotted line at a date."""
    with use_paper_style():
        fig, _ = facet_time_series(
            monthly, "period", "estimate", "label", "low", "high",
            group=group, ncols=monthly["label"].nunique(), marker=marker,
        )  # fmt: skip
    return fig


def topic_change_figure(change: pd.DataFrame, xlabel: str) -> Figure:
    """Change of each topic's share in percentage points (``topic_change_at`` table), sorted."""
    points = change.assign(**{c: 100 * change[c] for c in ["difference", "low", "high"]})
    points = points.sort_values("difference", kind="stable")
    return dot_plot_figure(
        points, "topic_label", "difference", "low", "high", xlabel=xlabel, zero_line=True
    )


def bar_figure(
    table: pd.DataFrame,
    category: str,
    count: str,
    group: str | None = None,
    *,
    signed: bool = False,
    xlabel: str = "",
) -> Figure:
    """:func:`bar_counts` of ``table`` (one row per category and group) with its x label."""
    with use_paper_style():
        fig, ax = bar_counts(table, category, count, group=group, signed=signed)
        ax.set_xlabel(xlabel)
    return fig


def keyness_figure(
    table: pd.DataFrame,
    names: tuple[str, str],
    *,
    term: str = "term",
    frequency: str = "frequency",
    score: str = "z",
    n_labels: int = 10,
    xlabel: str = "",
    ylabel: str = "",
) -> Figure:
    """:func:`keyness_plot` of ``table`` (one row per term, e.g. Fightin' Words) with labels."""
    with use_paper_style():
        fig, ax = keyness_plot(table, term, frequency, score, names=names, n_labels=n_labels)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
    return fig


def vocabulary_growth_figure(
    curves: pd.DataFrame, line_styles: Mapping[str, str] | None = None
) -> Figure:
    """Word types (thousands) against word tokens (millions), one line per curve.

    ``curves`` is :func:`arabmedia.text.vocabulary_growth_by_group` output (columns curve,
    outlet, tokens, types; curves drawn in their order of appearance), coloured by outlet;
    ``line_styles`` maps a curve to a matplotlib line style (default solid).
    """
    styles = dict(line_styles or {})
    colors = outlet_colors(sorted(curves["outlet"].unique()))
    with use_paper_style():
        fig = Figure(figsize=figure_size(columns=1, aspect=0.75))
        ax = fig.subplots()
        for label, curve in curves.groupby("curve", sort=False):
            outlet = curve["outlet"].iloc[0]
            ax.plot(
                curve["tokens"] / 1e6,
                curve["types"] / 1e3,
                styles.get(label, "-"),
                color=colors[outlet],
                label=label,
            )
        ax.set_xlabel("word tokens (millions)")
        ax.set_ylabel("word types (thousands)")
        ax.legend(frameon=False)
    return fig


def choice_shares_figure(table: pd.DataFrame, of: str, group: str = "outlet") -> Figure:
    """Naming-choice shares (``compare_term_shares`` with labels): one dot per name and
    ``group``, x from 0 to 1, labelled "share of the concept's mentions (``of``)"."""
    xlabel = f"share of the concept's mentions ({of})"
    return dot_plot_figure(table, "label", group=group, xlabel=xlabel, xlim=(0, 1))


def monthly_figure(
    table: pd.DataFrame,
    title: str,
    *,
    ylabel: str = "share",
    ylim: tuple[float, float] | None = None,
    group: str = "outlet",
) -> Figure:
    """A monthly compare table (columns month, ``group``, estimate, low, high) as lines
    with intervals, months on a monthly grid."""
    return time_series_figure(
        table, "month", "estimate", group, "low", "high", freq="MS", title=title,
        ylabel=ylabel, ylim=ylim,
    )  # fmt: skip


def scare_quotes_figure(
    table: pd.DataFrame, field: str = "title", label: str = "term", group: str = "outlet"
) -> Figure:
    """Quoted shares (``compare_listed_scare_quotes`` table) of one ``field``'s rows, one dot
    per ``label`` and ``group``."""
    xlabel = f"share of mentions in quotation marks ({field}s)"
    return dot_plot_figure(table[table["field"] == field], label, group=group, xlabel=xlabel)


def fightin_words_figure(
    table: pd.DataFrame, names: tuple[str, str], of: str, *, n_labels: int = 12
) -> Figure:
    """Fightin' Words z against frequency (``distinctive_terms`` first table), the
    ``n_labels`` strongest terms labelled; x labelled "frequency in ``of``"."""
    return keyness_figure(
        table, names, n_labels=n_labels, xlabel=f"frequency in {of}", ylabel="Fightin' Words z"
    )


def frame_prevalence_figure(table: pd.DataFrame, of: str, group: str = "outlet") -> Figure:
    """Frame prevalence (``frame_prevalence`` table): one dot per frame label and ``group``,
    x labelled "share of articles (``of``)"."""
    return dot_plot_figure(table, "label", group=group, xlabel=f"share of articles ({of})")


def frame_change_figure(
    change: pd.DataFrame,
    title: str | None = None,
    *,
    xlabel: str = "change in hits per 1,000 words",
) -> Figure:
    """Change of each frame (``compare_frame_periods`` table): difference and interval per
    frame label, with a zero line."""
    return dot_plot_figure(
        change, "label", "difference", xlabel=xlabel, title=title, zero_line=True
    )


AGENCY_CAVEAT = "outlet gap: reliable\nperpetrator_named: understated"
"""Default title of :func:`agency_shares_figure`: how far the validation lets one read it."""


def agency_shares_figure(
    table: pd.DataFrame, of: str, group: str = "outlet", *, title: str | None = AGENCY_CAVEAT
) -> Figure:
    """Agency class shares (``compare_agency`` table): one dot per class and ``group``, x from
    0 to 1 labelled "share of casualty sentences (``of``)", the caveat as a small title."""
    xlabel = f"share of casualty sentences ({of})"
    return dot_plot_figure(
        table, "label", group=group, xlabel=xlabel, xlim=(0, 1), title=title, title_size=7
    )


def actor_types_figure(
    table: pd.DataFrame,
    of: str,
    markers: str = "verbs and prepositions",
    group: str = "outlet",
) -> Figure:
    """Actor type shares (``compare_actor_types_by_markers`` table) of one ``markers`` set:
    one dot per actor type and ``group``, x labelled "share of cited actors (``of``)"."""
    shown = table[table["markers"] == markers]
    return dot_plot_figure(shown, "actor_type", group=group, xlabel=f"share of cited actors ({of})")


def macro_f1_figure(
    pooled: pd.DataFrame, xlabel: str = "macro F1 (FIGNEWS, out of fold)"
) -> Figure:
    """Pooled macro F1 per method (``fignews_macro_f1`` table) with intervals, one colour per
    task, x from 0 to 1."""
    return dot_plot_figure(
        pooled, "method", "f1", "f1_low", "f1_high", "task", xlabel=xlabel, xlim=(0, 1)
    )
