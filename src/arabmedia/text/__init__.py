"""Text: normalization, tokens, clitic segmentation, sentences, stop-word removal, caches.

Every analysis reads the project's normalized tokens (:func:`tokenize_many`) from the
content-keyed token cache (:func:`article_tokens`); document-term matrices are built on
the same tokens (:func:`make_vectorizer`).  Figures and tables show each normalized token in
its most frequent spelling in the corpus (:func:`display_forms`, :func:`display_terms`).
"""

from arabmedia._lazy import lazy_exports

#: Each private module and the public names it defines, imported on first access.
_EXPORTS = {
    "_cache": (
        "CACHE_FORMAT",
        "article_tokens",
        "cache_key",
        "cached_tokens",
    ),
    "_clitics": (
        "ARTICLE",
        "CLITIC_LEVELS",
        "CONJUNCTIONS",
        "ENTRY_ENCLITICS",
        "FUTURE",
        "HOST_ENCLITICS",
        "OPEN_CLASS_ENCLITICS",
        "PREPOSITIONS",
        "PROCLITIC_CHAINS",
        "PhraseIndex",
        "ProcliticChain",
        "surface_forms",
        "surface_words",
        "with_enclitics",
    ),
    "_display": (
        "DISPLAY_FOLDS",
        "article_display_forms",
        "display_forms",
        "display_settings",
        "display_terms",
    ),
    "_dtm": (
        "TokenPreprocessor",
        "make_vectorizer",
    ),
    "_normalize": (
        "ALEF_VARIANTS",
        "ARABIC_DIACRITICS",
        "CAMEL_SYMBOLS_PATTERN",
        "CONTROL_CHARS",
        "DEFAULT_SETTINGS",
        "DOUBLE_QUOTES",
        "EASTERN_DIGITS",
        "EXTRA_ARABIC_MARKS",
        "PERSIAN_DIGITS",
        "SINGLE_QUOTES",
        "STEP_NAMES",
        "TATWEEL",
        "UNICODE_FIXES",
        "WHITESPACE",
        "NormalizeSettings",
        "cumulative_settings",
        "normalize",
        "normalize_many",
        "normalize_steps",
        "reference_normalize",
        "reference_tokenize",
        "token_regex",
        "tokenize",
        "tokenize_many",
        "tokenize_many_arrow",
    ),
    "_segment": (
        "ARABIC_LETTERS",
        "IMPERFECT_PREFIXES",
        "NOT_TANWEEN_ENDINGS",
        "PRONOUN_HOSTS",
        "PRONOUN_WORDS",
        "SHORT_HOSTS",
        "STEM_SUFFIXES",
        "TANWEEN_ALIF",
        "VOCABULARY_FILE",
        "VOCABULARY_TOP",
        "CamelDataMissingWarning",
        "CamelSegmenter",
        "RuleSegmenter",
        "camel_data_available",
        "camel_data_dir",
        "make_segmenter",
        "read_vocabulary",
        "segment_words",
        "vocabulary_counts",
        "write_vocabulary",
    ),
    "_sentences": (
        "CLOSERS",
        "LINE_BREAKS",
        "OPENING_QUOTES",
        "STRAIGHT_QUOTE",
        "TERMINALS",
        "sentence_spans",
        "split_sentences",
    ),
    "_stopwords": ("remove_stopwords",),
    "_vocabulary": (
        "is_word",
        "top_terms",
        "types_by_step",
        "types_by_step_by_group",
        "vocabulary_growth",
        "vocabulary_growth_by_group",
    ),
}

__all__, __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
