"""Corpus: from raw files to one article table, with nothing lost.

The manifest (data/manifest.yml) says where each corpus file comes from and what it hashes
to; the readers turn records into article rows or reject rows (read = loaded + rejected)
and list the problems of kept rows (undated, repeated ids, re-encoded files);
deduplication collapses exact copies and clusters near-duplicates; the overview counts
articles per outlet and period.  Columns of the article table: :data:`ARTICLE_COLUMNS`.
"""

from arabmedia._lazy import lazy_exports

#: Each private module and the public names it defines, imported on first access.
_EXPORTS = {
    "_articles": (
        "ARTICLE_CACHE_FORMAT",
        "article_text",
        "input_files",
        "load_articles",
    ),
    "_dates": (
        "UNKNOWN_WHEN",
        "When",
        "parse_arabic_date",
        "parse_date",
        "parse_timestamp",
    ),
    "_dedup": (
        "DEFAULT_MIN_WORDS",
        "LSH_RECALL_AT_THRESHOLD",
        "PROGRESS_MIN_ROWS",
        "TEXT_SCOPES",
        "canonical_url",
        "collapse_exact",
        "deduplicate",
        "duplicate_summary",
        "near_duplicate_clusters",
        "normalize_for_matching",
    ),
    "_labels": (
        "armpro_file_spans",
        "armpro_spans",
        "fignews_labels",
    ),
    "_loading": (
        "concat_results",
        "expand_globs",
        "load_corpora",
        "read_corpus",
        "read_files",
        "write_load_result",
    ),
    "_manifest": (
        "ACQUIRE_COLUMNS",
        "CHUNK_BYTES",
        "DOWNLOAD_TIMEOUT_SECONDS",
        "FILE_ROLES",
        "KNOWN_READERS",
        "MANIFEST_VERSION",
        "MIRROR_SUMS_COLUMNS",
        "RAW_URL_TEMPLATE",
        "UNKNOWN_REPOSITORY",
        "VERIFY_COLUMNS",
        "AcquisitionError",
        "CorpusSpec",
        "FileSpec",
        "Manifest",
        "ManifestError",
        "acquire",
        "check_mirror_sums",
        "load_manifest",
        "read_sha256sums",
        "sha256_file",
        "verify",
    ),
    "_overview": (
        "coverage_gaps",
        "length_summary",
        "reject_summary",
        "weekly_counts",
        "word_counts",
    ),
    "_readers": (
        "ALJAZEERA_KINDS",
        "ALMAYADEEN_KINDS",
        "FIGNEWS_LANGUAGES",
        "FIGNEWS_OUTLET",
        "READERS",
    ),
    "_schema": (
        "ARTICLE_COLUMNS",
        "BEIRUT",
        "CP1256_MIN_ARABIC_SHARE",
        "NO_OUTLET",
        "PROBLEM_COLUMNS",
        "PROBLEMS",
        "READER_OPTIONS",
        "REJECT_COLUMNS",
        "LoadResult",
        "Reader",
        "RecordError",
    ),
    "_store": (
        "PART_ROWS",
        "PARTITION_COLUMNS",
        "STORE_FORMAT",
        "read_store",
        "store_folder",
        "store_part_files",
        "store_partitions",
        "store_problems",
        "store_rejects",
        "write_store",
    ),
    "_study": (
        "NothingLoadedError",
        "compared_articles",
        "compared_fields",
        "corpus_summary",
        "load_study",
        "manifest_corpora",
        "outlet_summary",
        "problem_summary",
        "study_outlets",
    ),
}

__all__, __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
