"""The chart types the notebooks use; each takes a tidy DataFrame and returns a Figure.

Grouped charts (dots with intervals, lines over time, bars) draw up to
:data:`MAX_OVERLAID_GROUPS` groups in one panel (dodged dots or bars, coloured lines, a
legend) and more as small multiples: one labelled panel per group (or per item), so a
study of 9 to 20 outlets never depends on telling 20 colours apart.  Groups are coloured
by ``colors`` ({group: colour}, e.g. a study's :func:`outlet_colors` of all its outlets,
used as is and in its order) or, when absent, by :func:`outlet_colors` of the sorted
groups.  Codes shown in ticks, legends and titles go through :func:`human_label`.
Grouped charts return ``(fig, axes)``: the list of data axes (one for a single panel).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from arabmedia.plot._style import (
    COLUMN_WIDTHS,
    CONTEXT_COLOR,
    GAP_COLOR,
    MAX_OVERLAID_GROUPS,
    NEUTRAL_COLOR,
    PALETTE,
    draws_rounded,
    figure_size,
    human_label,
    outlet_colors,
    use_paper_style,
)

#: Average width of a character of the style's small type (7 pt DejaVu Sans), in inches;
#: used to choose legend columns and to wrap panel titles before the layout is drawn.
_CHAR_WIDTH = 4.3 / 72


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


def _row_height(n_groups: int) -> float:
    """Height in inches of one category row holding ``n_groups`` dodged dots or bars."""
    return max(0.22, 0.08 * n_groups)


def _legend_columns(labels: Sequence[str], width: float) -> int:
    """Legend columns that fit ``labels`` side by side in ``width`` inches (at most 3)."""
    if not labels:
        return 1
    per_entry = (max(len(label) for label in labels) + 5) * _CHAR_WIDTH
    return max(1, min(len(labels), 3, int(width // per_entry)))


def _category_size(n_rows: int, n_groups: int, legend_labels: Sequence[str]) -> tuple[float, float]:
    """One-column size with a row height for ``n_groups`` per category, plus a legend below."""
    width, height = figure_size(1)
    legend = 0.0
    if legend_labels:
        rows = math.ceil(len(legend_labels) / _legend_columns(legend_labels, width))
        legend = 0.3 + 0.15 * rows
    return width, max(height, 0.6 + _row_height(n_groups) * n_rows) + legend


def _group_offsets(n_groups: int, spread: float) -> np.ndarray:
    """Vertical offsets that place ``n_groups`` markers or bars side by side within a row."""
    if n_groups == 1:
        return np.zeros(1)
    return np.linspace(-spread / 2, spread / 2, n_groups)


def _pick_colors(
    names: Sequence[str], colors: Mapping[str, str] | None, function: str, what: str
) -> dict[str, str]:
    """Colour of each of ``names``: from ``colors`` in its order when given (every name must
    have one), else :func:`outlet_colors` of the names in the order given."""
    if colors is None:
        return outlet_colors(names)
    missing = [name for name in names if name not in colors]
    if missing:
        raise ValueError(
            f"{function}: colors has no colour for {what} {missing}; it has {list(colors)}"
        )
    shown = set(names)
    return {name: color for name, color in colors.items() if name in shown}


def _group_colors(
    df: pd.DataFrame, group: str | None, colors: Mapping[str, str] | None, function: str
) -> dict[object, str]:
    """Colour per value of ``group`` (see :func:`_pick_colors`; sorted values when
    ``colors`` is absent), or the neutral colour for ungrouped data."""
    if group is None:
        return {None: NEUTRAL_COLOR}
    names = sorted(df[group].astype(str).unique())
    return _pick_colors(names, colors, function, f"{group!r} value(s)")


def _add_legend(fig: Figure, ax: Axes, title: str | None) -> None:
    """Put the legend of ``ax`` below the plot, outside it, so it never hides data."""
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(
        handles,
        labels,
        title=None if title is None else human_label(title),
        loc="outside lower center",
        ncols=_legend_columns(labels, fig.get_figwidth()),
    )


def _panel_grid(
    n_panels: int,
    ncols: int,
    panel_height: float,
    *,
    sharex: bool = False,
    sharey: bool = False,
    width: float = COLUMN_WIDTHS[2],
) -> tuple[Figure, list[Axes]]:
    """A figure ``width`` inches wide with ``n_panels`` axes in rows of ``ncols``; spare axes
    hidden, and x tick labels shown on every panel with no visible panel below it."""
    ncols = max(1, min(ncols, n_panels))
    nrows = math.ceil(n_panels / ncols)
    fig = Figure(figsize=(width, 0.6 + panel_height * nrows))
    FigureCanvasAgg(fig)
    grid = fig.subplots(nrows, ncols, squeeze=False, sharex=sharex, sharey=sharey)
    axes = list(grid.ravel())
    for ax in axes[n_panels:]:
        ax.set_visible(False)
    for number, ax in enumerate(axes[:n_panels]):
        if number + ncols >= n_panels:
            ax.xaxis.set_tick_params(labelbottom=True)
    return fig, axes[:n_panels]


def _panel_title(ax: Axes, text: object, ncols: int, width: float = COLUMN_WIDTHS[2]) -> None:
    """Title a small panel with ``text`` in words, wrapped to the panel's width."""
    chars = max(8, int(width / ncols / _CHAR_WIDTH) - 2)
    ax.set_title(textwrap.fill(human_label(text), chars), fontsize=7)


def _texts_to_fit(fig: Figure) -> list:
    """The axis labels and titles of ``fig`` whose width the layout does not bound."""
    texts = [text for ax in fig.axes for text in (ax.xaxis.label, ax.title)]
    texts += [getattr(fig, name, None) for name in ("_suptitle", "_supxlabel")]
    return [text for text in texts if text is not None and text.get_visible() and text.get_text()]


def _fit_text(fig: Figure) -> Figure:
    """Wrap axis labels and titles wider than the room the figure leaves them, in place.

    A centred label may reach half its width to either side of its centre, so its room is
    twice the distance from its centre to the nearer figure edge; a label wider than that
    (e.g. an x label under an axes pushed right by long category names) is broken into
    lines, and the layout drawn again.  Returns ``fig``.
    """
    for _ in range(3):
        fig.draw_without_rendering()
        width = fig.bbox.width
        changed = False
        for text in _texts_to_fit(fig):
            box = text.get_window_extent()
            centre = (box.x0 + box.x1) / 2
            room = 2 * min(centre, width - centre) - 4
            if box.width > room and room > 0:
                words = " ".join(text.get_text().split())
                chars = max(8, int(len(words) * room / box.width))
                wrapped = textwrap.fill(words, chars)
                if wrapped != text.get_text():
                    text.set_text(wrapped)
                    changed = True
        if not changed:
            break
    return fig


def _set_labels(
    fig: Figure,
    axes: Sequence[Axes],
    *,
    xlabel: str | None = None,
    ylabel: str | None = None,
    title: str | None = None,
    title_size: float | None = None,
) -> None:
    """Label a chart: on its one axes, or once for the whole figure for small multiples.

    None leaves a label as it is; ``title_size`` is the title's font size (default: style).
    """
    title_font = {} if title_size is None else {"fontsize": title_size}
    if len(axes) == 1:
        (ax,) = axes
        if xlabel is not None:
            ax.set_xlabel(xlabel)
        if ylabel is not None:
            ax.set_ylabel(ylabel)
        if title is not None:
            ax.set_title(title, **title_font)
        return
    if xlabel is not None:
        fig.supxlabel(xlabel, fontsize="medium")
    if ylabel is not None:
        fig.supylabel(ylabel, fontsize="medium")
    if title is not None:
        fig.suptitle(title, **title_font)


def _validate_intervals(df: pd.DataFrame, function: str, value: str, low: str, high: str):
    """The numeric copy of ``df``, or an error naming rows whose value is outside its interval."""
    data = df.assign(**{col: pd.to_numeric(df[col]) for col in (value, low, high)})
    outside = data.index[(data[low] > data[value]) | (data[value] > data[high])]
    if len(outside):
        raise ValueError(
            f"{function}: {value!r} must lie between {low!r} and {high!r}; "
            f"rows {outside[:5].tolist()} do not"
        )
    return data


def _errorbar(ax: Axes, part: pd.DataFrame, y, value: str, low: str, high: str, **style):
    """Dots at ``part[value]`` with horizontal interval lines from ``low`` to ``high``."""
    estimate = part[value].to_numpy(dtype=float)
    ax.errorbar(
        estimate,
        y,
        xerr=[
            estimate - part[low].to_numpy(dtype=float),
            part[high].to_numpy(dtype=float) - estimate,
        ],
        fmt="o",
        elinewidth=1.0,
        capsize=0,
        **style,
    )


@draws_rounded
def dot_plot_ci(
    df: pd.DataFrame,
    label: str,
    value: str,
    low: str,
    high: str,
    group: str | None = None,
    *,
    colors: Mapping[str, str] | None = None,
) -> tuple[Figure, list[Axes]]:
    """Horizontal dot plot of estimates with confidence intervals, one row per category.

    ``df`` has one row per category (and group): ``label`` the category shown on
    the y axis (Arabic allowed, e.g. a term like "شهداء"; codes shown as words),
    ``value`` the estimate, ``low`` and ``high`` the interval bounds (finite,
    ``low <= value <= high``), and optionally ``group`` (e.g. the outlet) coloured by
    ``colors``.  Up to :data:`MAX_OVERLAID_GROUPS` groups sit side by side within a
    row (legend below); more groups get one panel per category with the groups on
    its y axis (shared x axis), so every estimate keeps a readable label.  Categories
    appear in order of first appearance in ``df``; groups in ``colors`` order (sorted
    when ``colors`` is absent).  Returns ``(fig, axes)``.
    """
    function = "dot_plot_ci"
    _require_columns(df, function, label=label, value=value, low=low, high=high, group=group)
    _require_finite(df, function, value, low, high)
    _require_keys(df, function, label, group)
    data = _validate_intervals(df, function, value, low, high)
    categories = list(pd.unique(data[label]))
    palette = _group_colors(data, group, colors, function)
    with use_paper_style():
        if len(palette) > MAX_OVERLAID_GROUPS:
            fig, axes = _dot_panels(data, label, value, low, high, group, categories, palette)
        else:
            legend = [] if group is None else [human_label(name) for name in palette]
            fig, ax = _new_axes(_category_size(len(categories), len(palette), legend))
            row_of = {category: row for row, category in enumerate(categories)}
            offsets = _group_offsets(len(palette), spread=0.5 if len(palette) <= 2 else 0.7)
            for offset, (name, color) in zip(offsets, palette.items(), strict=True):
                part = data if group is None else data[data[group].astype(str) == name]
                rows = part[label].map(row_of).to_numpy(dtype=float) + offset
                _errorbar(
                    ax, part, rows, value, low, high, color=color, ecolor=color,
                    label=human_label(name),
                )  # fmt: skip
            _finish_category_axes(fig, ax, categories, value, group)
            axes = [ax]
        _fit_text(fig)
    return fig, axes


def _dot_panels(data, label, value, low, high, group, categories, palette):
    """Small multiples of a dot plot: a panel per category, the groups on its y axis."""
    ncols = min(len(categories), 4)
    fig, axes = _panel_grid(
        len(categories), ncols, 0.45 + 0.13 * len(palette), sharex=True, sharey=True
    )
    row_of = {name: row for row, name in enumerate(palette)}
    for ax, category in zip(axes, categories, strict=True):
        part = data[data[label] == category]
        names = part[group].astype(str)
        for name, color in palette.items():
            chosen = part[names == name]
            _errorbar(ax, chosen, [row_of[name]] * len(chosen), value, low, high, color=color)
        ax.set_yticks(range(len(palette)), [human_label(name) for name in palette])
        ax.set_ylim(len(palette) - 0.5, -0.5)
        ax.grid(axis="x")
        _panel_title(ax, category, ncols)
    return fig, axes


def _finish_category_axes(
    fig: Figure, ax: Axes, categories: list, xlabel: str, group: str | None
) -> None:
    """Categories (in words) top to bottom on the y axis, x grid, legend for grouped plots."""
    ax.set_yticks(range(len(categories)), [human_label(name) for name in categories])
    ax.set_ylim(len(categories) - 0.5, -0.5)
    ax.set_xlabel(human_label(xlabel))
    ax.grid(axis="x")
    if group is not None:
        _add_legend(fig, ax, title=group)


def _period_runs(starts: Sequence[pd.Timestamp], step: pd.DateOffset) -> list[tuple]:
    """Merge missing period starts into ``(first_start, end)`` spans of consecutive periods."""
    spans: list[tuple] = []
    for start in starts:
        if spans and spans[-1][1] == start:
            spans[-1] = (spans[-1][0], start + step)
        else:
            spans.append((start, start + step))
    return spans


def _series_parts(data, date, group, names, step, freq, function) -> dict[str, pd.DataFrame]:
    """Each group's rows indexed by date; on a frequency grid (missing periods as NaN) when
    ``step`` is given, after checking that every date falls on it."""
    parts = {}
    for name in names:
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
        parts[name] = part
    return parts


def _draw_series(ax: Axes, part: pd.DataFrame, value, low, high, color, label) -> None:
    """One group's line with markers, and its interval band when ``low`` is given."""
    ax.plot(
        part.index, part[value].to_numpy(dtype=float), marker="o", markersize=2.5,
        color=color, label=label,
    )  # fmt: skip
    if low is not None:
        ax.fill_between(
            part.index,
            part[low].to_numpy(dtype=float),
            part[high].to_numpy(dtype=float),
            color=color,
            alpha=0.2,
            linewidth=0,
        )


def _shade_gaps(ax: Axes, data: pd.DataFrame, date: str, step) -> bool:
    """Grey the periods where no group has data; True if there was any."""
    observed = pd.DatetimeIndex(data[date].unique())
    everything = pd.date_range(observed.min(), observed.max(), freq=step)
    spans = _period_runs(everything.difference(observed), step)
    for number, (start, end) in enumerate(spans):
        ax.axvspan(
            start, end, color=GAP_COLOR, linewidth=0, zorder=0,
            label="no data" if number == 0 else None,
        )  # fmt: skip
    return bool(spans)


@draws_rounded
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
    colors: Mapping[str, str] | None = None,
) -> tuple[Figure, list[Axes]]:
    """Line per group (outlet) over time, with optional confidence bands and shaded gaps.

    ``df`` has one row per group and period: ``date`` the period start (anything
    :func:`pandas.to_datetime` reads), ``value`` the number plotted, ``group`` the
    outlet (coloured by ``colors``), and optionally ``low`` and ``high`` (both or
    neither) bounding a shaded interval band.  ``freq`` is the series' pandas
    frequency (``"MS"`` month starts, ``"W-MON"`` weeks starting on Monday): when
    given, every date must fall on it, a period missing inside a group's range breaks
    that group's line instead of being bridged, and ``shade_gaps=True`` greys the
    periods where no group has data (a pause in the corpora, not a zero).  Up to
    :data:`MAX_OVERLAID_GROUPS` groups: one one-column panel, a line per group and a
    legend in ``colors`` order (sorted when absent).  More groups: one panel per group
    (shared axes, two-column figure), its line highlighted and the other groups' lines
    in light grey behind it.  Returns ``(fig, axes)``.
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
    palette = _group_colors(data, group, colors, function)
    parts = _series_parts(data, date, group, palette, step, freq, function)
    with use_paper_style():
        if len(palette) <= MAX_OVERLAID_GROUPS:
            width, height = figure_size(1)
            names = [human_label(name) for name in palette]
            legend_rows = math.ceil(len(names) / _legend_columns(names, width))
            fig, ax = _new_axes((width, height + 0.2 * (legend_rows - 1)))
            for name, color in palette.items():
                _draw_series(ax, parts[name], value, low, high, color, human_label(name))
            if shade_gaps:
                _shade_gaps(ax, data, date, step)
            ax.set_ylabel(human_label(value))
            ax.grid(axis="y")
            _add_legend(fig, ax, title=group)
            axes = [ax]
        else:
            ncols = 4
            fig, axes = _panel_grid(len(palette), ncols, 1.1, sharex=True, sharey=True)
            for ax, (name, color) in zip(axes, palette.items(), strict=True):
                for other, part in parts.items():
                    if other != name:
                        ax.plot(part.index, part[value], color=CONTEXT_COLOR, linewidth=0.6)
                _draw_series(ax, parts[name], value, low, high, color, human_label(name))
                gaps = shade_gaps and _shade_gaps(ax, data, date, step)
                _few_date_ticks(ax)
                ax.grid(axis="y")
                _panel_title(ax, name, ncols)
            if gaps:
                no_data = Patch(color=GAP_COLOR, label="no data")
                fig.legend(handles=[no_data], loc="outside lower center")
            fig.supylabel(human_label(value), fontsize="medium")
        _fit_text(fig)
    return fig, axes


def _few_date_ticks(ax: Axes) -> None:
    """At most four concise date ticks on the x axis of a narrow panel, so labels never touch."""
    locator = mdates.AutoDateLocator(minticks=2, maxticks=4)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))
    ax.tick_params(axis="x", labelsize=6)


@draws_rounded
def bar_counts(
    df: pd.DataFrame,
    category: str,
    count: str,
    group: str | None = None,
    *,
    signed: bool = False,
    colors: Mapping[str, str] | None = None,
) -> tuple[Figure, list[Axes]]:
    """Horizontal bars of counts per category, side by side per group when given.

    ``df`` has one row per category (and group): ``category`` the label on the
    y axis (Arabic allowed; codes shown as words), ``count`` a finite non-negative
    number (any finite number with ``signed=True``, e.g. keyness scores of two sides,
    drawn from a zero line), and optionally ``group`` (e.g. the outlet, coloured by
    ``colors``).  A missing category–group pair draws no bar.  Up to
    :data:`MAX_OVERLAID_GROUPS` groups share one panel (legend below, in ``colors``
    order); more groups get one panel each (titled by the group, shared x axis) with
    that group's categories.  Categories appear top to bottom in order of first
    appearance in ``df``.  Returns ``(fig, axes)``.
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
    palette = _group_colors(data, group, colors, function)
    with use_paper_style():
        if len(palette) > MAX_OVERLAID_GROUPS:
            fig, axes = _bar_panels(data, category, count, group, palette, signed)
        else:
            legend = [] if group is None else [human_label(name) for name in palette]
            fig, ax = _new_axes(_category_size(len(categories), len(palette), legend))
            row_of = {name: row for row, name in enumerate(categories)}
            bar_height = 0.8 / len(palette)
            offsets = _group_offsets(len(palette), spread=0.8 - bar_height)
            for offset, (name, color) in zip(offsets, palette.items(), strict=True):
                part = data if group is None else data[data[group].astype(str) == name]
                ax.barh(
                    part[category].map(row_of).to_numpy(dtype=float) + offset,
                    part[count].to_numpy(dtype=float),
                    height=bar_height,
                    color=color,
                    label=human_label(name),
                )
            if signed:
                ax.axvline(0, color="0.3", linewidth=0.8)
            _finish_category_axes(fig, ax, categories, count, group)
            axes = [ax]
        _fit_text(fig)
    return fig, axes


def _bar_panels(data, category, count, group, palette, signed):
    """Small multiples of a bar chart: a panel per group with that group's categories
    (labelled on the first panel of a row only when every group has the same ones)."""
    names = data[group].astype(str)
    most = int(names.value_counts().max())
    per_group = {tuple(data.loc[names == name, category]) for name in palette}
    shared = len(per_group) == 1  # every group has the same categories: label them once
    ncols = min(len(palette), 4 if shared else 3)
    fig, axes = _panel_grid(len(palette), ncols, 0.45 + 0.14 * most, sharex=True, sharey=shared)
    for ax, (name, color) in zip(axes, palette.items(), strict=True):
        part = data[names == name]
        rows = np.arange(len(part))
        ax.barh(rows, part[count].to_numpy(dtype=float), height=0.7, color=color)
        ax.set_yticks(rows, [human_label(label) for label in part[category]])
        ax.set_ylim(most - 0.5, -0.5)
        ax.grid(axis="x")
        if signed:
            ax.axvline(0, color="0.3", linewidth=0.8)
        _panel_title(ax, name, ncols)
    return fig, axes


def _freeze_layout(fig: Figure) -> None:
    """Run the constrained layout once and keep it: many-panel layouts take seconds, and
    exporting PDF and PNG would otherwise compute the same layout again for each format."""
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
        fig.set_layout_engine("none")


@draws_rounded
def metric_panels(
    df: pd.DataFrame,
    x: str,
    metrics: Sequence[str],
    *,
    group: str | None = None,
    se_suffix: str = "_se",
    highlight: dict[str, float] | None = None,
    titles: dict[str, str] | None = None,
    colors: Mapping[str, str] | None = None,
) -> tuple[Figure, list[Axes]]:
    """One small panel per metric against ``x`` (e.g. topic-model diagnostics against K).

    ``df`` has one row per ``x`` value (and ``group``, e.g. the model kind, coloured by
    ``colors``): a column per metric and optionally ``<metric><se_suffix>`` drawn as error
    bars.  A panel is skipped when its metric is missing for every row.  ``highlight`` maps
    a group value (or None for ungrouped data) to an ``x`` marked by a dashed vertical line
    (e.g. the recommended K); ``titles`` renames panels (default: the metric in words).
    Returns ``(fig, axes)``.
    """
    function = "metric_panels"
    _require_columns(df, function, x=x, group=group)
    missing = [metric for metric in metrics if metric not in df]
    if missing:
        raise ValueError(f"{function}: no column(s) {missing}; columns are {list(df.columns)}")
    shown = [metric for metric in metrics if df[metric].notna().any()]
    palette = _group_colors(df, group, colors, function)
    with use_paper_style():
        fig, axes = _panel_grid(len(shown), ncols=len(shown), panel_height=1.7)
        for ax, metric in zip(axes, shown, strict=True):
            for name, color in palette.items():
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
                    color=color,
                    label=None if name is None else human_label(name),
                )
                mark = (highlight or {}).get(name)
                if mark is not None:
                    ax.axvline(mark, color=color, linestyle="--", linewidth=0.8)
            ax.set_title((titles or {}).get(metric, human_label(metric)))
            ax.set_xlabel(human_label(x))
            ax.grid(axis="y")
        if group is not None and axes:
            _add_legend(fig, axes[0], title=group)
        _fit_text(fig)
        _freeze_layout(fig)
    return fig, axes


@draws_rounded
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
            ax.set_title(human_label((titles or {}).get(name, name)), fontsize=7)
            ax.tick_params(axis="x", labelsize=5)
            ax.tick_params(axis="y", labelsize=6)
        _fit_text(fig)
        _freeze_layout(fig)
    return fig, axes


@draws_rounded
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
    colors: Mapping[str, str] | None = None,
) -> tuple[Figure, list[Axes]]:
    """One small time-series panel per facet (e.g. topic), lines per group (``colors``).

    ``df`` has one row per facet, group and period: ``date`` (anything
    :func:`pandas.to_datetime` reads), ``value`` and optionally ``low``/``high`` (both or
    neither) for a shaded band.  Panels share the y axis; ``titles`` maps facet values to
    panel titles (default: the facet in words); ``marker`` draws a dotted vertical line at
    a date (e.g. an event date).  With more than :data:`MAX_OVERLAID_GROUPS` groups, lines
    could not be told apart: each facet panel becomes a heat map instead, the groups as
    rows and the periods as columns, one shared colour scale (``cividis``, a colour bar
    labelled by ``value``) and no intervals.
    """
    function = "facet_time_series"
    _require_columns(df, function, date=date, value=value, facet=facet, low=low, high=high)
    if (low is None) != (high is None):
        raise ValueError(f"{function}: give both low and high, or neither")
    _require_finite(df, function, value, low, high)
    _require_keys(df, function, facet, group, date)
    data = df.assign(**{date: pd.to_datetime(df[date])})
    facets = sorted(data[facet].unique())
    palette = _group_colors(data, group, colors, function)
    with use_paper_style():
        if len(palette) > MAX_OVERLAID_GROUPS:
            fig, axes = _facet_heatmaps(data, date, value, facet, group, facets, palette, ncols)
        else:
            fig, axes = _panel_grid(len(facets), ncols, panel_height=1.25)
            top = float(data[high if high else value].max()) * 1.05
            for ax, name in zip(axes, facets, strict=True):
                for group_name, color in palette.items():
                    part = data[data[facet] == name]
                    if group is not None:
                        part = part[part[group].astype(str) == group_name]
                    part = part.sort_values(date, kind="stable")
                    label = None if group_name is None else human_label(group_name)
                    ax.plot(part[date], part[value], color=color, linewidth=1.0, label=label)
                    if low is not None:
                        ax.fill_between(
                            part[date], part[low], part[high], color=color, alpha=0.2,
                            linewidth=0,
                        )  # fmt: skip
                ax.set_ylim(0, top)
                ax.tick_params(labelsize=5)
                ax.grid(axis="y")
            if group is not None and axes:
                _add_legend(fig, axes[0], title=group)
        for ax, name in zip(axes, facets, strict=True):
            if marker is not None:
                ax.axvline(pd.Timestamp(marker), color="#666666", linestyle=":", linewidth=0.8)
            _panel_title(ax, (titles or {}).get(name, name), min(ncols, len(facets)))
        _fit_text(fig)
        _freeze_layout(fig)
    return fig, axes


def _facet_heatmaps(data, date, value, facet, group, facets, palette, ncols):
    """A heat map per facet: groups as rows, periods as columns, one colour scale."""
    periods = pd.DatetimeIndex(sorted(data[date].unique()))
    step = periods[-1] - periods[-2] if len(periods) > 1 else pd.Timedelta(days=1)
    edges = periods.append(pd.DatetimeIndex([periods[-1] + step]))
    low, high = float(data[value].min()), float(data[value].max())
    fig, axes = _panel_grid(len(facets), ncols, 0.45 + 0.1 * len(palette), sharey=True)
    for ax, name in zip(axes, facets, strict=True):
        part = data[data[facet] == name].assign(_group=lambda d: d[group].astype(str))
        grid = part.pivot(index="_group", columns=date, values=value)
        grid = grid.reindex(index=list(palette), columns=periods)
        mesh = ax.pcolormesh(
            edges, np.arange(len(palette) + 1), grid.to_numpy(dtype=float),
            cmap="cividis", vmin=low, vmax=high,
        )  # fmt: skip
        ax.set_facecolor(GAP_COLOR)  # periods without data
        ax.set_yticks(np.arange(len(palette)) + 0.5, [human_label(n) for n in palette])
        ax.set_ylim(len(palette), 0)
        ax.tick_params(labelsize=5)
    fig.colorbar(mesh, ax=axes, label=human_label(value), shrink=0.6)
    return fig, axes
