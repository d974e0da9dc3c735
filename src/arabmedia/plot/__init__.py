"""Plots: one paper style, the chart types the notebooks use, byte-identical exports."""

from arabmedia.plot._charts import (
    bar_counts,
    dot_plot_ci,
    facet_time_series,
    keyness_plot,
    metric_panels,
    term_panels,
    time_series,
)
from arabmedia.plot._export import (
    FIGURE_INDEX_COLUMNS,
    export_figure,
    export_table,
    figure_index_markdown,
)
from arabmedia.plot._style import (
    COLUMN_WIDTHS,
    FIGURE_FORMATS,
    FIXED_OUTLET_COLORS,
    GAP_COLOR,
    NEUTRAL_COLOR,
    PALETTE,
    figure_size,
    outlet_colors,
    outlet_key,
    paper_style,
    use_paper_style,
)

__all__ = [
    "COLUMN_WIDTHS",
    "FIGURE_FORMATS",
    "FIGURE_INDEX_COLUMNS",
    "FIXED_OUTLET_COLORS",
    "GAP_COLOR",
    "NEUTRAL_COLOR",
    "PALETTE",
    "bar_counts",
    "dot_plot_ci",
    "export_figure",
    "export_table",
    "facet_time_series",
    "figure_index_markdown",
    "figure_size",
    "keyness_plot",
    "metric_panels",
    "outlet_colors",
    "outlet_key",
    "paper_style",
    "term_panels",
    "time_series",
    "use_paper_style",
]
