"""Engines: the analysis steps run partition by partition, here or on a Dask cluster.

A step (:func:`tokenize_partition`, :func:`count_partition`, :func:`agency_partition`,
:func:`attribution_partition`)
reads one Parquet partition of the article table and returns a small per-article table;
:func:`run_partitions` maps it over the partitions on an engine (:class:`LocalEngine`:
this process or forked processes; :class:`DaskEngine`: a Dask cluster) and concatenates
the tables in partition order, so the result is the in-memory analysis of the whole table
whatever the engine.  ``with make_engine("dask", n_workers=4) as engine: ...``

Four reducers need more than one article at a time: :func:`collapse_partitions` (the
exact duplicates of :func:`arabmedia.corpus.collapse_exact` collapsed across partitions,
written as new partitions, which the other steps then read),
:func:`near_duplicate_partitions` (the clusters of
:func:`arabmedia.corpus.near_duplicate_clusters` from the LSH band keys of
:func:`band_partition`), :func:`match_event_partitions` (the same-event groups of
:func:`arabmedia.analysis.match_events`, blocked by days across outlets) and
:func:`fit_topic_sample` (a topic model fitted on a seeded sample, applied to every article
by :func:`transform_partition`).
"""

from arabmedia._lazy import lazy_exports

#: Each private module and the public names it defines, imported on first access.
_EXPORTS = {
    "_engines": (
        "ENGINES",
        "DaskEngine",
        "Engine",
        "LocalEngine",
        "make_engine",
        "shared",
    ),
    "_events": (
        "event_index_partition",
        "match_event_partitions",
    ),
    "_exact": (
        "collapse_partitions",
        "exact_keys_partition",
    ),
    "_partitions": (
        "TERM_PREFIX",
        "PartitionError",
        "agency_partition",
        "attribution_partition",
        "count_partition",
        "run_partitions",
        "term_counts",
        "tokenize_partition",
    ),
    "_reduce": (
        "BAND_PREFIX",
        "TopicSample",
        "band_partition",
        "fit_topic_sample",
        "near_duplicate_partitions",
        "transform_partition",
    ),
}

__all__, __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
