"""Plots: one paper style, the chart types the notebooks use, byte-identical exports.

Colours: build one mapping per study with ``outlet_colors(study_outlets)`` and pass it as
``colors`` to every figure.  Grouped figures take 2 to 20 groups (small multiples beyond
``MAX_OVERLAID_GROUPS``); codes are shown as words (``human_label``); ``export_figure``
refuses a figure whose text reaches outside it.
"""

from arabmedia._lazy import lazy_exports

#: Each private module and the public names it defines, imported on first access.
_EXPORTS = {
    "_charts": (
        "bar_counts",
        "dot_plot_ci",
        "facet_time_series",
        "metric_panels",
        "term_panels",
        "time_series",
    ),
    "_export": (
        "FIGURE_INDEX_COLUMNS",
        "export_figure",
        "export_figure_and_table",
        "export_table",
        "export_tables",
        "figure_index_markdown",
    ),
    "_figures": (
        "AGENCY_CAVEAT",
        "DISTINCTIVE_TERMS_COLUMNS",
        "ZERO_LINE",
        "actor_types_figure",
        "agency_shares_figure",
        "bar_figure",
        "choice_shares_figure",
        "coverage_matrix_figure",
        "distinctive_terms_figure",
        "dot_plot_figure",
        "frame_change_figure",
        "frame_prevalence_figure",
        "frame_series_figure",
        "k_diagnostics_figure",
        "lag_figure",
        "macro_f1_figure",
        "monthly_figure",
        "scare_quotes_figure",
        "time_series_figure",
        "topic_change_figure",
        "topic_prevalence_figure",
        "topic_terms_figure",
        "vocabulary_growth_figure",
    ),
    "_paper": (
        "PAPER_FIGURE_FIELDS",
        "export_paper_figure",
        "load_paper_figures",
        "paper_figure_file",
    ),
    "_style": (
        "COLUMN_WIDTHS",
        "CONTEXT_COLOR",
        "DRAWN_DIGITS",
        "EXTRA_PALETTE",
        "FIGURE_FORMATS",
        "GAP_COLOR",
        "HUMAN_LABELS",
        "MAX_OVERLAID_GROUPS",
        "NEUTRAL_COLOR",
        "PALETTE",
        "draws_rounded",
        "figure_size",
        "human_label",
        "outlet_colors",
        "paper_style",
        "rounded_floats",
        "use_paper_style",
    ),
}

__all__, __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
