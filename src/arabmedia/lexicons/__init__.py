"""Lexicons: term sets, frame dictionaries, agency and attribution word lists, stop words,
the segmenter's protected words and topic labels.

The default lexicons are data files shipped inside the package (``lexicons/data``), so an
installed wheel finds them from any working directory; a researcher passes their own files
to the loaders instead.  Every YAML file is validated by one pydantic schema layer (unknown
keys are errors, every entry needs its rationale), every plain-text word list line by line,
and every problem is a :class:`LexiconError` naming the file, the entry and the reason.
Entries are expanded into the surface forms they match by
:func:`arabmedia.text.surface_forms`, the same rule in every lexicon.
"""

from arabmedia._lazy import lazy_exports

#: Each private module and the public names it defines, imported on first access.
_EXPORTS = {
    "_agency": (
        "AGENCY_DIR",
        "TRIGGER_KINDS",
        "AgencyLexicon",
        "load_agency_lexicon",
    ),
    "_attribution": (
        "ATTRIBUTION_DIR",
        "GLUED_NAME_MIN",
        "TIME_WORDS",
        "ActorType",
        "AttributionLexicon",
        "load_attribution_lexicon",
    ),
    "_errors": ("LexiconError",),
    "_frames": (
        "DEFAULT_FRAMES",
        "FRAME_FILES",
        "FRAMES_DIR",
        "Frame",
        "FrameDictionary",
        "Indicator",
        "load_frames",
    ),
    "_precision": (
        "PRECISION_COLUMNS",
        "PRECISION_KINDS",
        "load_precision_judgements",
        "precision_files",
    ),
    "_protected_words": (
        "PROTECTED_KINDS",
        "PROTECTED_WORDS_FILE",
        "ProtectedWords",
        "load_protected_words",
    ),
    "_resources": ("LEXICON_DIR",),
    "_stopwords": (
        "STOPWORDS_DIR",
        "build_stopword_list",
        "load_removed_stopwords",
        "load_stopwords",
    ),
    "_terms": (
        "TERMS_DIR",
        "Concept",
        "TermSets",
        "Variant",
        "load_term_sets",
        "parse_term_sets",
        "term_sets_from_terms",
    ),
    "_topic_labels": (
        "TOPIC_LABELS_FILE",
        "TopicLabelEntry",
        "load_topic_labels",
        "vocabulary_fingerprint",
    ),
}

__all__, __getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
