"""Statistics: article-level bootstrap intervals, agreement, classification scores, association."""

from arabmedia._lazy import lazy_exports

#: Each private module and the public names it defines, imported on first access.
_EXPORTS = {
    "_agreement": ("krippendorff_alpha",),
    "_association": (
        "g2_2x2",
        "williams_q",
    ),
    "_bootstrap": (
        "BATCH_REPLICATES",
        "bootstrap_difference",
        "bootstrap_differences",
        "bootstrap_ratio",
        "bootstrap_ratios",
        "difference_table",
        "interval_table",
        "metric_table",
        "with_interval",
    ),
    "_classification": ("classification_scores",),
}

__all__, __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
