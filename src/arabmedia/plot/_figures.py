"""Whole figures of the notebooks: one call takes a table and returns the styled figure.

Each builder draws one of the chart types of :mod:`arabmedia.plot._charts` inside
:func:`use_paper_style` and sets its axis labels, so a notebook cell is a table and a call.
Builders that colour by group take ``colors`` ({group: colour}): pass the study's one
:func:`outlet_colors` mapping to all of them so an outlet keeps its colour in every
figure; absent, colours come from :func:`outlet_colors` of the sorted groups.  With more
than :data:`MAX_OVERLAID_GROUPS` groups the charts switch to small multiples.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from arabmedia.analysis._keyness import REST
from arabmedia.plot._charts import (
    _fit_text,
    _legend_columns,
    _panel_grid,
    _panel_title,
    _pick_colors,
    _require_columns,
    _require_finite,
    _require_keys,
    _set_labels,
    bar_counts,
    dot_plot_ci,
    facet_time_series,
    metric_panels,
    term_panels,
    time_series,
)
from arabmedia.plot._style import (
    COLUMN_WIDTHS,
    CONTEXT_COLOR,
    MAX_OVERLAID_GROUPS,
    draws_rounded,
    figure_size,
    human_label,
    use_paper_style,
)

ZERO_LINE = {"color": "#666666", "linewidth": 0.6}
"""Line properties of the zero line of a difference plot."""

K_DIAGNOSTICS = ("coherence", "exclusivity", "stability", "perplexity")

Colors = Mapping[str, str] | None


@draws_rounded
def dot_plot_figure(
    table: pd.DataFrame,
    label: str,
    value: str = "estimate",
    low: str = "low",
    high: str = "high",
    group: str | None = None,
    *,
    colors: Colors = None,
    xlabel: str = "",
    xlim: tuple[float, float] | None = None,
    title: str | None = None,
    title_size: float | None = None,
    zero_line: bool | Mapping[str, object] = False,
) -> Figure:
    """:func:`dot_plot_ci` of ``table`` (estimates with intervals) with its axis labels.

    ``zero_line`` draws a vertical line at 0 (True: :data:`ZERO_LINE`, or a mapping of line
    properties), for differences.  ``title_size`` is the title's font size (default: style).
    With small multiples (more than 8 groups) ``xlim`` and the zero line apply to every
    panel and the x label and title to the whole figure.
    """
    with use_paper_style():
        fig, axes = dot_plot_ci(table, label, value, low, high, group=group, colors=colors)
        for ax in axes:
            if zero_line:
                ax.axvline(0, **(ZERO_LINE if zero_line is True else dict(zero_line)))
            if xlim is not None:
                ax.set_xlim(xlim)
        _set_labels(fig, axes, xlabel=xlabel, title=title, title_size=title_size)
        _fit_text(fig)
    return fig


@draws_rounded
def time_series_figure(
    table: pd.DataFrame,
    date: str,
    value: str,
    group: str,
    low: str | None = None,
    high: str | None = None,
    *,
    colors: Colors = None,
    freq: str | None = None,
    shade_gaps: bool = False,
    title: str | None = None,
    ylabel: str = "",
    ylim: tuple[float, float] | None = None,
) -> Figure:
    """:func:`time_series` of ``table`` (one row per group and period) with its labels."""
    with use_paper_style():
        fig, axes = time_series(
            table, date, value, group, low, high, freq=freq, shade_gaps=shade_gaps, colors=colors
        )
        for ax in axes:
            ax.set_xlabel("")
            if ylim is not None:
                ax.set_ylim(ylim)
        _set_labels(fig, axes, ylabel=ylabel, title=title)
        _fit_text(fig)
    return fig


@draws_rounded
def k_diagnostics_figure(
    summary: pd.DataFrame, chosen: Mapping[str, int], *, colors: Colors = None
) -> Figure:
    """Panels of the K grid's diagnostics (``summarize_search`` table), chosen K per kind
    marked, one colour per model kind (``colors``)."""
    with use_paper_style():
        fig, _ = metric_panels(
            summary.rename(columns=lambda c: c.replace("_mean", "")),
            "k",
            list(K_DIAGNOSTICS),
            group="kind",
            highlight=dict(chosen),
            colors=colors,
        )
    return fig


@draws_rounded
def topic_terms_figure(terms: pd.DataFrame, titles: Mapping[int, str]) -> Figure:
    """One panel per topic of its top terms (``topic_terms`` table), titled by ``titles``."""
    with use_paper_style():
        fig, _ = term_panels(terms, "topic", "surface", "weight", titles=dict(titles))
    return fig


@draws_rounded
def topic_prevalence_figure(
    table: pd.DataFrame,
    titles: Mapping[int, str],
    group: str | None = None,
    *,
    colors: Colors = None,
    marker: object | None = None,
) -> Figure:
    """Monthly topic prevalence (``monthly_topic_prevalence`` table), one panel per topic
    (heat maps of groups × months beyond 8 groups, see :func:`facet_time_series`)."""
    with use_paper_style():
        fig, _ = facet_time_series(
            table, "month", "estimate", "topic", "low", "high",
            group=group, titles=dict(titles), marker=marker, colors=colors,
        )  # fmt: skip
    return fig


@draws_rounded
def frame_series_figure(
    monthly: pd.DataFrame,
    group: str = "outlet",
    *,
    colors: Colors = None,
    marker: object | None = None,
) -> Figure:
    """Frame shares over time (``frame_prevalence`` table with ``freq``): one panel per frame
    label, all in one row, lines per ``group``; ``marker`` draws a dotted line at a date."""
    with use_paper_style():
        fig, _ = facet_time_series(
            monthly, "period", "estimate", "label", "low", "high",
            group=group, ncols=monthly["label"].nunique(), marker=marker, colors=colors,
        )  # fmt: skip
    return fig


@draws_rounded
def topic_change_figure(
    change: pd.DataFrame, xlabel: str, group: str = "outlet", *, colors: Colors = None
) -> Figure:
    """Change of each topic's share in percentage points (``topic_change_at`` table, one
    dot per topic and ``group``), sorted by the mean change."""
    points = change.assign(**{c: 100 * change[c] for c in ["difference", "low", "high"]})
    mean = points.groupby("topic_label")["difference"].transform("mean")
    points = points.assign(_mean=mean).sort_values(["_mean", group], kind="stable")
    return dot_plot_figure(
        points.drop(columns="_mean"),
        "topic_label",
        "difference",
        "low",
        "high",
        group=group,
        colors=colors,
        xlabel=xlabel,
        zero_line=True,
    )


@draws_rounded
def bar_figure(
    table: pd.DataFrame,
    category: str,
    count: str,
    group: str | None = None,
    *,
    colors: Colors = None,
    signed: bool = False,
    xlabel: str = "",
) -> Figure:
    """:func:`bar_counts` of ``table`` (one row per category and group) with its x label."""
    with use_paper_style():
        fig, axes = bar_counts(table, category, count, group=group, signed=signed, colors=colors)
        _set_labels(fig, axes, xlabel=xlabel)
        _fit_text(fig)
    return fig


@draws_rounded
def vocabulary_growth_figure(
    curves: pd.DataFrame,
    line_styles: Mapping[str, str] | None = None,
    *,
    colors: Colors = None,
) -> Figure:
    """Word types (thousands) against word tokens (millions), one line per curve.

    ``curves`` is :func:`arabmedia.text.vocabulary_growth_by_group` output (columns curve,
    outlet, tokens, types; curves drawn in their order of appearance), coloured by outlet
    (``colors``); ``line_styles`` maps a curve to a matplotlib line style (default solid).
    Beyond 8 outlets: one panel per outlet, its curves highlighted and the others in grey.
    """
    styles = dict(line_styles or {})
    palette = _pick_colors(
        sorted(curves["outlet"].unique()), colors, "vocabulary_growth_figure", "outlets"
    )
    groups = list(curves.groupby("curve", sort=False))
    with use_paper_style():
        if len(palette) <= MAX_OVERLAID_GROUPS:
            fig = Figure(figsize=figure_size(columns=1, aspect=0.75))
            FigureCanvasAgg(fig)
            panels = {None: fig.subplots()}
        else:
            fig, axes = _panel_grid(len(palette), 4, 1.4, sharex=True, sharey=True)
            panels = dict(zip(palette, axes, strict=True))
        for outlet, ax in panels.items():
            for label, curve in groups:
                owner = curve["outlet"].iloc[0]
                mine = outlet is None or owner == outlet
                ax.plot(
                    curve["tokens"] / 1e6,
                    curve["types"] / 1e3,
                    styles.get(label, "-"),
                    color=palette[owner] if mine else CONTEXT_COLOR,
                    linewidth=None if mine else 0.6,
                    label=human_label(label) if mine else None,
                    zorder=2 if mine else 1,
                )
            ax.legend(frameon=False, fontsize=7 if outlet is None else 5)
            if outlet is not None:
                _panel_title(ax, outlet, 4)
        axes = list(panels.values())
        xlabel, ylabel = "word tokens (millions)", "word types (thousands)"
        _set_labels(fig, axes, xlabel=xlabel, ylabel=ylabel)
        _fit_text(fig)
    return fig


@draws_rounded
def choice_shares_figure(
    table: pd.DataFrame, of: str, group: str = "outlet", *, colors: Colors = None
) -> Figure:
    """Naming-choice shares (``compare_term_shares`` with labels): one dot per name and
    ``group``, x from 0 to 1, labelled "share of the concept's mentions (``of``)"."""
    xlabel = f"share of the concept's mentions ({of})"
    return dot_plot_figure(table, "label", group=group, colors=colors, xlabel=xlabel, xlim=(0, 1))


@draws_rounded
def monthly_figure(
    table: pd.DataFrame,
    title: str,
    *,
    colors: Colors = None,
    ylabel: str = "share",
    ylim: tuple[float, float] | None = None,
    group: str = "outlet",
) -> Figure:
    """A monthly compare table (columns month, ``group``, estimate, low, high) as lines
    with intervals, months on a monthly grid."""
    return time_series_figure(
        table, "month", "estimate", group, "low", "high", colors=colors, freq="MS",
        title=title, ylabel=ylabel, ylim=ylim,
    )  # fmt: skip


@draws_rounded
def scare_quotes_figure(
    table: pd.DataFrame,
    field: str = "title",
    label: str = "term",
    group: str = "outlet",
    *,
    colors: Colors = None,
) -> Figure:
    """Quoted shares (``compare_listed_scare_quotes`` table) of one ``field``'s rows, one dot
    per ``label`` and ``group``."""
    xlabel = f"share of mentions in quotation marks ({field}s)"
    shown = table[table["field"] == field]
    return dot_plot_figure(shown, label, group=group, colors=colors, xlabel=xlabel)


DISTINCTIVE_TERMS_COLUMNS = ("comparison", "outlet", "surface", "z", "rank")
"""Columns :func:`distinctive_terms_figure` reads from the keyness table."""


@draws_rounded
def distinctive_terms_figure(
    table: pd.DataFrame,
    n: int = 10,
    colors: Colors = None,
    xlabel: str = "Fightin' Words z",
) -> Figure:
    """The top-``n`` distinctive terms of each side of each comparison, one panel each.

    ``table`` is a keyness table with one row per comparison, outlet and term: comparison
    (e.g. "A vs rest", "A vs B"), outlet (the outlet the term is distinctive of), surface
    (the form shown), z (signed: positive for the comparison's first side) and rank
    (1, 2, … within comparison and outlet); other columns (term, count_a, count_b, g2,
    log_ratio) are not drawn.  Each panel shows the terms of rank ≤ ``n`` of every outlet of
    its comparison as signed horizontal bars from a zero line, strongest at the top and
    bottom, labelled by surface and coloured by outlet (``colors``, else
    :func:`outlet_colors` of the sorted outlets; the "rest" side grey); panels are titled
    by the comparison, in order of first appearance.  One comparison: a one-column figure;
    more: two columns.
    """
    function = "distinctive_terms_figure"
    _require_columns(table, function, **{column: column for column in DISTINCTIVE_TERMS_COLUMNS})
    _require_finite(table, function, "z", "rank")
    _require_keys(table, function, "comparison", "outlet", "rank")
    if not (isinstance(n, int) and n >= 1):
        raise ValueError(f"{function}: n must be a positive integer, got {n!r}")
    shown = table[pd.to_numeric(table["rank"]) <= n]
    shown = shown.assign(z=pd.to_numeric(shown["z"]), outlet=shown["outlet"].astype(str))
    if colors is not None:
        colors = {REST: CONTEXT_COLOR, **colors}
    palette = _pick_colors(sorted(shown["outlet"].unique()), colors, function, "outlets")
    comparisons = list(pd.unique(shown["comparison"]))
    most = int(shown.groupby("comparison").size().max())
    ncols = min(len(comparisons), 3)
    width = COLUMN_WIDTHS[1 if len(comparisons) == 1 else 2]
    with use_paper_style():
        fig, axes = _panel_grid(
            len(comparisons), ncols, 0.45 + 0.13 * most, sharex=True, width=width
        )
        for ax, comparison in zip(axes, comparisons, strict=True):
            part = shown[shown["comparison"] == comparison].sort_values(
                ["z", "surface"], ascending=[False, True], kind="stable"
            )
            rows = np.arange(len(part))
            ax.barh(rows, part["z"], height=0.7, color=[palette[o] for o in part["outlet"]])
            ax.set_yticks(rows, part["surface"].astype(str).tolist())
            ax.set_ylim(most - 0.5, -0.5)
            ax.axvline(0, color="0.3", linewidth=0.8)
            ax.grid(axis="x")
            _panel_title(ax, comparison, ncols, width)
        if len(palette) <= MAX_OVERLAID_GROUPS:  # above the panels: the x label is below
            handles = [
                Patch(color=color, label=human_label(name)) for name, color in palette.items()
            ]
            names = [handle.get_label() for handle in handles]
            fig.legend(
                handles=handles, title="distinctive of", loc="outside upper center",
                ncols=_legend_columns(names, width),
            )  # fmt: skip
        _set_labels(fig, axes, xlabel=xlabel)
        _fit_text(fig)
    return fig


@draws_rounded
def frame_prevalence_figure(
    table: pd.DataFrame, of: str, group: str = "outlet", *, colors: Colors = None
) -> Figure:
    """Frame prevalence (``frame_prevalence`` table): one dot per frame label and ``group``,
    x labelled "share of articles (``of``)", or per 1,000 words for the rate measure."""
    rate = "measure" in table and (table["measure"] == "rate").all()
    xlabel = f"indicator hits per 1,000 words ({of})" if rate else f"share of articles ({of})"
    return dot_plot_figure(table, "label", group=group, colors=colors, xlabel=xlabel)


@draws_rounded
def frame_change_figure(
    change: pd.DataFrame,
    title: str | None = None,
    group: str = "outlet",
    *,
    colors: Colors = None,
    xlabel: str = "change in hits per 1,000 words",
) -> Figure:
    """Change of each frame (``compare_frame_periods`` table): difference and interval per
    frame label and ``group``, with a zero line."""
    return dot_plot_figure(
        change,
        "label",
        "difference",
        group=group,
        colors=colors,
        xlabel=xlabel,
        title=title,
        zero_line=True,
    )


AGENCY_CAVEAT = "outlet gap: reliable\nperpetrator named: understated"
"""Default title of :func:`agency_shares_figure`: how far the validation lets one read it."""


@draws_rounded
def agency_shares_figure(
    table: pd.DataFrame,
    of: str,
    group: str = "outlet",
    *,
    colors: Colors = None,
    title: str | None = AGENCY_CAVEAT,
) -> Figure:
    """Agency class shares (``compare_agency`` table): one dot per class (its code in words,
    e.g. "perpetrator named") and ``group``, x from 0 to 1 labelled "share of casualty
    sentences (``of``)", the caveat as a small title."""
    xlabel = f"share of casualty sentences ({of})"
    return dot_plot_figure(
        table, "label", group=group, colors=colors, xlabel=xlabel, xlim=(0, 1), title=title,
        title_size=7,
    )  # fmt: skip


@draws_rounded
def actor_types_figure(
    table: pd.DataFrame,
    of: str,
    markers: str = "verbs and prepositions",
    group: str = "outlet",
    *,
    colors: Colors = None,
) -> Figure:
    """Actor type shares (``compare_actor_types_by_markers`` table) of one ``markers`` set:
    one dot per actor type and ``group``, x labelled "share of cited actors (``of``)"."""
    shown = table[table["markers"] == markers]
    xlabel = f"share of cited actors ({of})"
    return dot_plot_figure(shown, "actor_type", group=group, colors=colors, xlabel=xlabel)


@draws_rounded
def macro_f1_figure(
    pooled: pd.DataFrame,
    xlabel: str = "macro F1 (FIGNEWS, out of fold)",
    *,
    colors: Colors = None,
) -> Figure:
    """Pooled macro F1 per method (``fignews_macro_f1`` table) with intervals, one colour per
    task (``colors``), x from 0 to 1."""
    return dot_plot_figure(
        pooled, "method", "f1", "f1_low", "f1_high", "task", colors=colors, xlabel=xlabel,
        xlim=(0, 1),
    )  # fmt: skip


@draws_rounded
def coverage_matrix_figure(
    table: pd.DataFrame,
    row: str = "outlet_a",
    column: str = "outlet_b",
    value: str = "shared_events",
    *,
    order: list[str] | None = None,
    label: str = "events both cover",
) -> Figure:
    """Heat map of a square outlet × outlet table (e.g. events both outlets cover), each cell
    annotated with its value; outlets in ``order`` (default: first appearance).  Sized for
    2–20 outlets: the cells shrink and the labels stay whole."""
    _require_columns(table, "coverage_matrix_figure", row=row, column=column, value=value)
    _require_finite(table, "coverage_matrix_figure", value)
    names = order or list(dict.fromkeys([*table[row], *table[column]]))
    grid = (
        table.pivot_table(index=row, columns=column, values=value, aggfunc="sum")
        .reindex(index=names, columns=names)
        .to_numpy(dtype=float)
    )
    n = len(names)
    with use_paper_style():
        width = COLUMN_WIDTHS[1] if n <= 6 else COLUMN_WIDTHS[2]
        fig = Figure(figsize=(width, width * 0.82), layout="constrained")
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        image = ax.imshow(np.nan_to_num(grid), cmap="Blues", aspect="equal")
        size = 7 if n <= 6 else max(3.5, 7 - 0.25 * n)
        top = np.nanmax(grid) if np.isfinite(grid).any() else 0
        for i in range(n):
            for j in range(n):
                if np.isfinite(grid[i, j]):
                    shade = "white" if top and grid[i, j] > 0.6 * top else "black"
                    text = f"{grid[i, j]:.0f}"
                    ax.text(j, i, text, ha="center", va="center", fontsize=size, color=shade)
        labels = [human_label(name) for name in names]
        ax.set_xticks(
            range(n), labels, rotation=45 if n > 2 else 0, ha="right" if n > 2 else "center"
        )
        ax.set_yticks(range(n), labels)
        ax.tick_params(length=0)
        fig.colorbar(image, ax=ax, shrink=0.8).set_label(label)
        _fit_text(fig)
    return fig


@draws_rounded
def lag_figure(
    lags: pd.DataFrame,
    pair: str = "pair",
    lag: str = "lag_hours",
    *,
    xlabel: str = "hours from the first report to this outlet's first report",
) -> Figure:
    """Box plots of reporting lags, one row per ordered outlet pair (first appearance order):
    the distribution over the events both cover of how long after A outlet B first reported
    (negative: B was first).  Whiskers at the 5th and 95th percentiles; fliers not drawn."""
    _require_columns(lags, "lag_figure", pair=pair, lag=lag)
    _require_finite(lags, "lag_figure", lag)
    names = list(dict.fromkeys(lags[pair]))
    data = [lags.loc[lags[pair] == name, lag].to_numpy(dtype=float) for name in names]
    with use_paper_style():
        fig = Figure(figsize=(COLUMN_WIDTHS[2], 0.9 + 0.32 * len(names)), layout="constrained")
        FigureCanvasAgg(fig)
        ax = fig.add_subplot()
        ax.boxplot(data, orientation="horizontal", whis=(5, 95), showfliers=False, widths=0.6)
        ax.set_yticks(range(1, len(names) + 1), [human_label(name) for name in names])
        ax.invert_yaxis()
        ax.axvline(0, **ZERO_LINE)
        ax.set_xlabel(xlabel)
        _fit_text(fig)
    return fig
