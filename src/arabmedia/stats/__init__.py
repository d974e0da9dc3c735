"""Statistics: article-level bootstrap intervals, agreement, classification scores, association."""

from arabmedia.stats._agreement import (
    krippendorff_alpha,
)
from arabmedia.stats._association import (
    g2_2x2,
    williams_q,
)
from arabmedia.stats._bootstrap import (
    BATCH_REPLICATES,
    bootstrap_difference,
    bootstrap_differences,
    bootstrap_ratio,
    bootstrap_ratios,
    difference_table,
    interval_table,
    metric_table,
    with_interval,
)
from arabmedia.stats._classification import (
    classification_scores,
)

__all__ = [
    "BATCH_REPLICATES",
    "bootstrap_difference",
    "bootstrap_differences",
    "bootstrap_ratio",
    "bootstrap_ratios",
    "classification_scores",
    "difference_table",
    "g2_2x2",
    "interval_table",
    "krippendorff_alpha",
    "metric_table",
    "williams_q",
    "with_interval",
]
