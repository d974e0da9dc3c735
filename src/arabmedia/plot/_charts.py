"""The chart types the notebooks use; each takes a tidy DataFrame and returns a Figure."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from arabmedia.plot._style import (
    COLUMN_WIDTHS,
    GAP_COLOR,
    NEUTRAL_COLOR,
    PALETTE,
    figure_size,
    outlet_colors,
    use_paper_style,
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
    panel titles; ``marker`` draws a dotted vertical line at a date (e.g. an event date).
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
