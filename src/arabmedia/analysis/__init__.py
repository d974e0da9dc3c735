"""Analyses: naming choices, keyness, frames, agency, attribution, topics, validation, coding.

Each analysis takes the article table and its tokens and returns DataFrames with
documented columns, which the statistics and plot functions accept as they are.  Every
analysis names its steps with the same three verbs:

* ``find_*``: a long table, one row per hit (a mention, a frame indicator, a casualty
  sentence, an attribution marker);
* ``count_*``: one row per article (or document), counts in columns: the table the
  bootstrap resamples;
* ``compare_*``: per group of the ``by`` column(s), the shared statistics contract of
  :func:`arabmedia.stats.bootstrap_ratios`: the ``by`` columns, the item column (if any),
  then ``n_units, numerator, denominator, estimate, low, high``.

===========  ==========================  ==============  ===================================
analysis     find                        count           compare
===========  ==========================  ==============  ===================================
terminology  find_terms                  count_terms     compare_term_shares,
                                                         compare_term_rates,
                                                         compare_monthly_terms,
                                                         compare_scare_quotes (and its
                                                         per-field and listed-name forms)
framing      find_frames                 count_frames    compare_frames, compare_frame_change,
                                                         compare_frame_periods,
                                                         compare_frame_measures (share and
                                                         rate per 1,000 words side by side)
agency       find_casualty_sentences,    count_agency    compare_agency, compare_agency_change,
             find_agency                                 compare_agency_periods
attribution  find_attributions           count_actors    compare_actor_types,
                                                         compare_actor_types_by_markers
topics       (TopicModel)                proportions_    compare_topics, compare_topic_change
                                         frame
keyness                                  group_term_     distinctive_terms (each group vs
                                         counts          the rest, and named pairs)
domain       term_hits, frame_hits,      count_forms     domain_warnings (results one form
check        agency_hits                                 dominates, with KWIC lines)
events       match_events (one row per                   (event_pair_similarity and
             article: its event_id; event_tokens         same_event score gold pairs;
             tokenizes once for several runs)            tune_event_matching cuts on
                                                         dev pairs and matches once)
===========  ==========================  ==============  ===================================

Gold sets follow one blind protocol (``data/gold/README.md``): test halves frozen by hash
(``frozen_digest``, ``check_frozen``), a second coder's agreement (``gold_agreement``), and
the precision of every lexicon indicator from judged hits (``audited_judgements``,
``indicator_precision``, ``item_precision``).

Validation (FIGNEWS-2024, ArMPro), hand coding, keyness (Fightin' Words, G2), topic-model
selection, period splits and the length check of frame measures keep the names of what
they compute (``fignews_prediction``, ``armpro_validation``, ``fightin_words``, ``search_k``,
``split_periods``, ``frame_length_profile``, ``length_sensitivity``).

Each outlet is compared with itself across a date for every outlet that has texts on both
sides (``period_subset``, ``period_coverage``): ``compare_frame_periods``,
``compare_agency_periods`` and ``topic_change_at`` compare each outlet on its own
(``per_group``) and return an ``outlet`` column first.

One token list (one document or sentence) is matched by ``match_document`` (terms),
``match_frames``, ``match_attributions`` and ``classify_tokens`` (agency).
"""

from arabmedia._lazy import lazy_exports

#: Each private module and the public names it defines, imported on first access.
_EXPORTS = {
    "_agency": (
        "CASUALTY_LABELS",
        "CHUNK_ARTICLES",
        "CLAUSE_REACH",
        "EVIDENCE_REACH",
        "LABELS",
        "NOT_CASUALTY",
        "REFERENCE_COLUMNS",
        "SENTENCE_COLUMNS",
        "AgencyDecision",
        "agency_overview",
        "agency_sentences",
        "agency_validation",
        "article_sentences",
        "casualty_counts",
        "classify_texts",
        "classify_tokens",
        "compare_agency",
        "compare_agency_change",
        "compare_agency_periods",
        "count_agency",
        "evaluate_gold",
        "evaluate_gold_splits",
        "find_agency",
        "find_casualty_sentences",
        "gold_dir",
        "has_casualty_word",
        "load_gold",
        "read_reference_table",
        "resolve_references",
        "sentence_sha",
    ),
    "_agency_model": (
        "AgencyModel",
        "cross_validate_agency",
        "load_dev_gold",
    ),
    "_armpro": (
        "DETECTION_COLUMNS",
        "LOADED_LANGUAGE",
        "LexiconDetector",
        "LoadedLanguageDetector",
        "SupervisedDetector",
        "armpro_cross_validation",
        "armpro_span_files",
        "armpro_table",
        "armpro_table_from_files",
        "armpro_validation",
        "attach_spans",
        "loaded_language_matches",
        "loaded_language_scores",
        "paragraph_tokens",
    ),
    "_attribution": (
        "ALL_MARKERS",
        "ATTRIBUTION_COLUMNS",
        "ATTRIBUTION_MEASURES",
        "LEADING_SKIPS",
        "MEDIA_HEADS_DROPPED",
        "NO_ACTOR",
        "OTHER_ACTOR",
        "PERSON_BODIES",
        "SPEECH_MARKERS",
        "Attribution",
        "actor_type",
        "attribution_accuracy",
        "attribution_validation",
        "compare_actor_types",
        "compare_actor_types_by_markers",
        "count_actors",
        "evaluate_attribution_gold",
        "find_attributions",
        "find_compared_attributions",
        "load_attribution_gold",
        "marker_kind_counts",
        "match_attributions",
        "speech_markers",
        "top_actors",
        "top_actors_wide",
    ),
    "_coding": (
        "CODE_VALUES",
        "SHEET_ID_COLUMNS",
        "CodingSheetError",
        "codebook_markdown",
        "coder_agreement",
        "coder_majority",
        "coding_results",
        "coding_sample",
        "dictionary_vs_coders",
        "export_coding_sheet",
        "prepare_coding",
        "read_coding_sheets",
        "write_codebook",
    ),
    "_domain": (
        "DOMAIN_THRESHOLD",
        "FORM_COLUMNS",
        "HIT_COLUMNS",
        "KWIC_LINES",
        "KWIC_WINDOW",
        "MIN_HITS",
        "WARNING_COLUMNS",
        "agency_hits",
        "check_domain",
        "check_terms_by_field",
        "count_forms",
        "domain_warnings",
        "frame_hits",
        "term_hits",
    ),
    "_event_compare": (
        "COVERAGE_MEASURES",
        "EVENT_WEIGHTS",
        "GAP_COMPONENTS",
        "LAG_MEASURES",
        "WITHIN_MEASURES",
        "compare_lags",
        "compare_within_events",
        "coverage_matrix",
        "coverage_summary",
        "decompose_gap",
        "event_coverage",
        "event_ratios",
        "outlet_pairs",
        "per_pair",
        "report_lags",
        "shared_event_counts",
    ),
    "_events": (
        "EVENT_COLUMNS",
        "EVENT_METHODS",
        "EVENT_THRESHOLDS",
        "event_pair_similarity",
        "event_tokens",
        "match_events",
        "same_event",
        "tune_event_matching",
    ),
    "_fignews": (
        "FIGNEWS_CLASSES",
        "FIGNEWS_DICTIONARIES",
        "FIGNEWS_METHOD_NAMES",
        "FIGNEWS_TASK_NAMES",
        "TASKS",
        "annotator_ceiling",
        "fignews_agreement",
        "fignews_cross_validation",
        "fignews_feature_sets",
        "fignews_features",
        "fignews_macro_f1",
        "fignews_prediction",
        "fignews_table",
        "fignews_term_agency_features",
        "pooled_macro_f1",
        "sinalab_agreement",
        "vote_agreement",
        "votes_long",
    ),
    "_framing": (
        "ID_COLUMNS",
        "MEASURES",
        "MIXED_FRAMES",
        "NO_FRAME",
        "Match",
        "compare_frame_change",
        "compare_frame_measures",
        "compare_frame_periods",
        "compare_frames",
        "count_frames",
        "find_frames",
        "frame_indicator_counts",
        "frame_length_profile",
        "frame_prevalence",
        "frame_scores",
        "length_sensitivity",
        "match_frames",
        "monthly_frame_prevalence",
        "sentence_frames",
    ),
    "_gold": (
        "AGREEMENT_COLUMNS",
        "FROZEN_PATH",
        "FrozenGoldError",
        "check_frozen",
        "choose_pair_threshold",
        "event_pair_text",
        "frozen_digest",
        "gold_agreement",
        "gold_agreements",
        "load_event_pairs",
        "read_frozen",
        "score_event_pairs",
        "segmentation_validation",
    ),
    "_keyness": (
        "DISTINCTIVE_COLUMNS",
        "REST",
        "distinctive_terms",
        "fightin_words",
        "group_term_counts",
        "log_likelihood",
        "strongest_per_side",
    ),
    "_kwic": (
        "collocations",
        "kwic",
        "kwic_sample",
        "kwic_samples",
        "token_spans",
        "top_collocations",
    ),
    "_periods": (
        "date_span",
        "month_start",
        "overlap_window",
        "per_group",
        "period_coverage",
        "period_labels",
        "split_periods",
        "window_overview",
    ),
    "_precision": (
        "INDICATOR_PRECISION_COLUMNS",
        "ITEM_PRECISION_COLUMNS",
        "JUDGEMENT_COLUMNS",
        "audit_covers",
        "audited_judgements",
        "indicator_precision",
        "item_precision",
        "lexicon_precision",
    ),
    "_terminology": (
        "MATCH_COLUMNS",
        "QUOTE_TOKENS",
        "SO_CALLED",
        "compare_listed_scare_quotes",
        "compare_monthly_terms",
        "compare_scare_quotes",
        "compare_scare_quotes_by_field",
        "compare_term_rates",
        "compare_term_scare_quotes",
        "compare_term_shares",
        "compare_term_shares_by_field",
        "count_terms",
        "field_subsets",
        "find_and_count_terms",
        "find_and_count_terms_by_field",
        "find_terms",
        "frequent_quoted_names",
        "in_term_order",
        "match_document",
        "period_subset",
        "pivot_terms",
        "pool_variants",
        "word_counts",
    ),
    "_topic_search": (
        "METRICS",
        "choose_k",
        "exclusivity",
        "holdout_split",
        "matched_overlap",
        "npmi_coherence",
        "recommend_k",
        "search_k",
        "summarize_search",
        "top_term_indices",
    ),
    "_topics": (
        "DEFAULT_MAX_ITER",
        "KINDS",
        "NPMI_EPSILON",
        "STEM_CACHE_FORMAT",
        "TopicCorpus",
        "TopicModel",
        "build_term_map",
        "build_topic_corpora",
        "build_topic_corpus",
        "compare_topic_change",
        "compare_topics",
        "fit_topic_model",
        "monthly_topic_prevalence",
        "outlet_topic_prevalence",
        "proportions_frame",
        "representative_documents",
        "shared_months",
        "stem_types",
        "topic_change_at",
        "topic_columns",
        "topic_labels",
        "topic_terms",
        "topic_titles",
    ),
    "_validation": (
        "cross_validated_predictions",
        "feature_model",
        "grouped_folds",
        "score_methods",
        "stratified_folds",
        "text_model",
    ),
}

__all__, __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
