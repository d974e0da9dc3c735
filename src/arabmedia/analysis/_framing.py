"""Dictionary frame detection: which frames a sentence or an article makes salient.

A frame (Entman 1993) is detected through indicators: Arabic words and phrases listed,
with a rationale and a reference each, in YAML files under ``lexicons/data/frames/`` (schema in
``lexicons/data/frames/README.md``).  Researchers can pass their own files.

Matching rule (documented in the README as well):

* Indicator forms and texts are normalized and tokenized the same way
  (:func:`arabmedia.text.tokenize` with the dictionary's settings, by default
  ``DEFAULT_SETTINGS``), so أ/ا, ة/ه, diacritics and tatweel never matter.
* A text token matches an indicator token when it equals it or equals it behind clitic
  prefixes: an optional conjunction و/ف, then an optional preposition ب/ل/ك, then an
  optional article ال (ل + ال is written لل).  So احتلال matches الاحتلال, والاحتلال,
  للاحتلال; and الاحتلال matches بالاحتلال and للاحتلال.  What remains must have at least
  :data:`MIN_STEM` letters.  Indicators marked ``exact`` match only the token itself.
  Suffixes (plural, verbal, pronoun) are not stripped: the files list those forms.
* Multi-word indicators match consecutive tokens (each with the clitic rule).
* Within one frame, matches are chosen left to right, longest first, without overlap, so
  a phrase and a word inside it count once.  Different frames may match the same words.

Lookup is a dict from a token reading to the forms that start with it, so the cost per
token is a few dict look-ups whatever the size of the dictionary.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import yaml

from arabmedia.lexicons._resources import LEXICON_DIR
from arabmedia.stats._bootstrap import bootstrap_ratios
from arabmedia.text._normalize import DEFAULT_SETTINGS, NormalizeSettings, tokenize, tokenize_many
from arabmedia.text._sentences import split_sentences
from arabmedia.text._vocabulary import is_word

#: Folder of the project's dictionaries.
FRAMES_DIR = LEXICON_DIR / "frames"
#: The project's dictionary files by short name.
FRAME_FILES = {
    "generic": FRAMES_DIR / "generic.yaml",
    "war": FRAMES_DIR / "war.yaml",
    "journalism": FRAMES_DIR / "journalism.yaml",
    "loaded_language": FRAMES_DIR / "loaded_language.yaml",
}
#: What :func:`load_frames` loads by default: the content frames (generic and war-specific).
DEFAULT_FRAMES = ("generic", "war")

CONJUNCTIONS = ("و", "ف")
PREPOSITIONS = ("ب", "ل", "ك")
ARTICLE = "ال"
#: Letters that must remain after stripping clitic prefixes.
MIN_STEM = 2
#: Value of ``dominant_frame`` for a text without any hit, and for a tie (``ties="mixed"``).
NO_FRAME = "none"
MIXED_FRAMES = "mixed"

_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_FILE_KEYS = {"dictionary", "version", "description", "references", "frames"}
_FRAME_KEYS = {"name", "label", "definition", "coding_question", "reference", "indicators"}
_INDICATOR_KEYS = {"pattern", "forms", "rationale", "reference", "exact"}


class DictionaryError(ValueError):
    """A dictionary file that cannot be used; the message names file, frame, indicator, reason."""


@dataclass(frozen=True)
class Indicator:
    """One indicator: the pattern, its extra forms, and their normalized token sequences."""

    frame: str
    pattern: str
    forms: tuple[str, ...]  # as written, the pattern first
    tokens: tuple[tuple[str, ...], ...]  # normalized tokens of each form
    rationale: str
    reference: str  # full citation
    exact: bool


@dataclass(frozen=True)
class Frame:
    """A frame with its definition, coding question and indicators."""

    name: str
    label: str
    definition: str
    coding_question: str
    reference: str
    dictionary: str
    source: Path
    indicators: tuple[Indicator, ...]


class _Entry(NamedTuple):
    tokens: tuple[str, ...]
    frame: int
    indicator: int
    form: int
    exact: bool


@dataclass(frozen=True)
class FrameDictionary:
    """Frames in a fixed order (the files' order) and the normalization their forms used."""

    frames: tuple[Frame, ...]
    settings: NormalizeSettings = DEFAULT_SETTINGS
    _index: dict[str, tuple[_Entry, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index: dict[str, list[_Entry]] = {}
        for f, frame in enumerate(self.frames):
            for i, indicator in enumerate(frame.indicators):
                for k, tokens in enumerate(indicator.tokens):
                    entry = _Entry(tokens, f, i, k, indicator.exact)
                    index.setdefault(tokens[0], []).append(entry)
        frozen = {key: tuple(sorted(v, key=lambda e: -len(e.tokens))) for key, v in index.items()}
        object.__setattr__(self, "_index", frozen)

    @property
    def names(self) -> list[str]:
        """Frame names in dictionary order."""
        return [frame.name for frame in self.frames]

    def frame(self, name: str) -> Frame:
        """The frame called ``name``."""
        for frame in self.frames:
            if frame.name == name:
                return frame
        raise KeyError(f"no frame {name!r}; frames are {self.names}")

    def indicator_table(self) -> pd.DataFrame:
        """One row per indicator form.

        Columns: dictionary, frame, pattern, form, tokens (normalized, space-joined),
        exact, rationale, reference, source (file).
        """
        rows = [
            (
                frame.dictionary,
                frame.name,
                indicator.pattern,
                form,
                " ".join(tokens),
                indicator.exact,
                indicator.rationale,
                indicator.reference,
                str(frame.source),
            )
            for frame in self.frames
            for indicator in frame.indicators
            for form, tokens in zip(indicator.forms, indicator.tokens, strict=True)
        ]
        columns = [
            "dictionary",
            "frame",
            "pattern",
            "form",
            "tokens",
            "exact",
            "rationale",
            "reference",
            "source",
        ]
        return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------- loading


def _text(value: Any, where: str, key: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise DictionaryError(f"{where}: '{key}' must be a non-empty string, got {value!r}")
    return value.strip()


def _check_keys(mapping: Any, allowed: set[str], required: set[str], where: str) -> None:
    if not isinstance(mapping, dict):
        raise DictionaryError(f"{where}: expected a mapping, got {type(mapping).__name__}")
    unknown = sorted(set(mapping) - allowed)
    if unknown:
        raise DictionaryError(f"{where}: unknown key(s) {unknown}; allowed: {sorted(allowed)}")
    missing = sorted(required - set(mapping))
    if missing:
        raise DictionaryError(f"{where}: missing key(s) {missing}")


def _reference(key: Any, references: dict[str, str], where: str) -> str:
    if key not in references:
        raise DictionaryError(f"{where}: reference {key!r} is not in the file's references")
    return references[key]


def _form_tokens(form: str, settings: NormalizeSettings, where: str) -> tuple[str, ...]:
    tokens = tuple(tokenize(form, settings))
    if not tokens:
        raise DictionaryError(f"{where}: form {form!r} has no tokens")
    punctuation = [t for t in tokens if not is_word(t)]
    if punctuation:
        raise DictionaryError(f"{where}: form {form!r} contains punctuation {punctuation}")
    return tokens


def _indicator(
    raw: Any, frame: str, references: dict[str, str], default_reference: str, where: str
) -> Indicator:
    pattern = raw.get("pattern") if isinstance(raw, dict) else None
    where = f"{where}, indicator {pattern!r}"
    _check_keys(raw, _INDICATOR_KEYS, {"pattern", "rationale"}, where)
    pattern = _text(pattern, where, "pattern")
    forms = raw.get("forms", [])
    if not isinstance(forms, list):
        raise DictionaryError(f"{where}: 'forms' must be a list, got {type(forms).__name__}")
    forms = [pattern, *(_text(form, where, "forms") for form in forms)]
    exact = raw.get("exact", False)
    if not isinstance(exact, bool):
        raise DictionaryError(f"{where}: 'exact' must be true or false, got {exact!r}")
    reference = default_reference
    if "reference" in raw:
        reference = _reference(raw["reference"], references, where)
    return Indicator(
        frame=frame,
        pattern=pattern,
        forms=tuple(forms),
        tokens=(),  # filled by _read_file once the settings are known
        rationale=_text(raw.get("rationale"), where, "rationale"),
        reference=reference,
        exact=exact,
    )


def _read_file(path: Path, settings: NormalizeSettings) -> list[Frame]:
    """The frames of one YAML file, validated."""
    where = str(path)
    try:
        raw = yaml.safe_load(path.read_text("utf-8"))
    except OSError as error:
        raise DictionaryError(f"{where}: cannot read the file ({error.strerror})") from error
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise DictionaryError(f"{where}: not valid YAML/UTF-8: {error}") from error
    _check_keys(raw, _FILE_KEYS, {"dictionary", "references", "frames"}, where)
    dictionary = _text(raw["dictionary"], where, "dictionary")
    references = raw["references"]
    if not isinstance(references, dict) or not all(
        isinstance(v, str) and v.strip() for v in references.values()
    ):
        raise DictionaryError(f"{where}: 'references' must map keys to citation strings")
    if not isinstance(raw["frames"], list) or not raw["frames"]:
        raise DictionaryError(f"{where}: 'frames' must be a non-empty list")
    frames = []
    for raw_frame in raw["frames"]:
        name = raw_frame.get("name") if isinstance(raw_frame, dict) else None
        frame_where = f"{where}: frame {name!r}"
        _check_keys(raw_frame, _FRAME_KEYS, _FRAME_KEYS, frame_where)
        if not isinstance(name, str) or not _NAME.match(name):
            raise DictionaryError(f"{frame_where}: name must match {_NAME.pattern}")
        reference = _reference(raw_frame["reference"], references, frame_where)
        if not isinstance(raw_frame["indicators"], list) or not raw_frame["indicators"]:
            raise DictionaryError(f"{frame_where}: 'indicators' must be a non-empty list")
        indicators = []
        seen: dict[tuple[str, ...], str] = {}
        for raw_indicator in raw_frame["indicators"]:
            indicator = _indicator(raw_indicator, name, references, reference, frame_where)
            indicator_where = f"{frame_where}, indicator {indicator.pattern!r}"
            tokens = []
            for form in indicator.forms:
                form_tokens = _form_tokens(form, settings, indicator_where)
                if form_tokens in seen:
                    raise DictionaryError(
                        f"{indicator_where}: form {form!r} duplicates a form of indicator "
                        f"{seen[form_tokens]!r} after normalization"
                    )
                seen[form_tokens] = indicator.pattern
                tokens.append(form_tokens)
            indicators.append(dataclasses.replace(indicator, tokens=tuple(tokens)))
        frames.append(
            Frame(
                name=name,
                label=_text(raw_frame["label"], frame_where, "label"),
                definition=_text(raw_frame["definition"], frame_where, "definition"),
                coding_question=_text(raw_frame["coding_question"], frame_where, "coding_question"),
                reference=reference,
                dictionary=dictionary,
                source=path,
                indicators=tuple(indicators),
            )
        )
    return frames


def load_frames(
    *files: str | Path, settings: NormalizeSettings = DEFAULT_SETTINGS
) -> FrameDictionary:
    """Load and validate dictionary files into one :class:`FrameDictionary`.

    Each argument is a short name from :data:`FRAME_FILES` (``"generic"``, ``"war"``,
    ``"journalism"``, ``"loaded_language"``) or a path to the researcher's own file;
    without arguments, :data:`DEFAULT_FRAMES`.  Frame names must be unique across files.
    Raises :class:`DictionaryError` naming the file, frame, indicator and reason.
    """
    paths = [Path(FRAME_FILES.get(str(f), f)) for f in (files or DEFAULT_FRAMES)]
    frames: list[Frame] = []
    for path in paths:
        for frame in _read_file(path, settings):
            clash = next((f for f in frames if f.name == frame.name), None)
            if clash is not None:
                raise DictionaryError(
                    f"{path}: frame {frame.name!r}: name already used in {clash.source}"
                )
            frames.append(frame)
    return FrameDictionary(tuple(frames), settings)


# --------------------------------------------------------------------------- matching


@functools.lru_cache(maxsize=1 << 18)
@functools.lru_cache(maxsize=1 << 18)
def clitic_readings(token: str) -> tuple[str, ...]:
    """``token`` and what remains of it after stripping clitic prefixes (see module doc).

    >>> clitic_readings("وللاحتلال")
    ('وللاحتلال', 'للاحتلال', 'الاحتلال', 'احتلال', 'لاحتلال')
    """
    readings = [token]
    after_conjunction = [token]
    if token[:1] in CONJUNCTIONS:
        after_conjunction.append(token[1:])
    for rest in after_conjunction:
        candidates = [rest]
        if rest.startswith("لل"):  # ل + ال, the article's alef dropped
            candidates.append(ARTICLE + rest[2:])
        if rest[:1] in PREPOSITIONS:
            candidates.append(rest[1:])
        for candidate in candidates:
            readings.append(candidate)
            if candidate.startswith(ARTICLE):
                readings.append(candidate[len(ARTICLE) :])
    unique = dict.fromkeys(r for r in readings if len(r) >= MIN_STEM)
    return tuple(unique)


class Match(NamedTuple):
    """One indicator match: token positions [start, end) in the text's token list."""

    frame: str
    indicator: str  # the indicator's pattern
    form: str  # the form that matched, as written
    start: int
    end: int


class _Matcher:
    """Matches one dictionary in many token lists, remembering what each token type starts.

    Created per call (never shared), so the per-type memo is not global state.
    """

    def __init__(self, dictionary: FrameDictionary):
        self.index = dictionary._index
        self.n_frames = len(dictionary.frames)
        self.types: dict[str, tuple[bool, tuple[_Entry, ...]]] = {}

    def _type_info(self, token: str) -> tuple[bool, tuple[_Entry, ...]]:
        """(is a word token, entries whose first token this token matches)."""
        entries = tuple(
            entry
            for reading in clitic_readings(token)
            for entry in self.index.get(reading, ())
            if not entry.exact or reading == token
        )
        info = (is_word(token), entries)
        self.types[token] = info
        return info

    def scan(self, tokens: Sequence[str]) -> tuple[int, list[tuple[int, _Entry]]]:
        """(number of word tokens, selected matches as (start, entry)) of one token list."""
        types, n = self.types, len(tokens)
        words = 0
        found = []
        for start, token in enumerate(tokens):
            info = types.get(token) or self._type_info(token)
            words += info[0]
            for entry in info[1]:
                length = len(entry.tokens)
                if start + length <= n and all(
                    _token_matches(tokens[start + k], entry.tokens[k], entry.exact)
                    for k in range(1, length)
                ):
                    found.append((start, entry))
        return words, _select(found, self.n_frames)


def _token_matches(token: str, expected: str, exact: bool) -> bool:
    return token == expected or (not exact and expected in clitic_readings(token))


def _select(found: list[tuple[int, _Entry]], n_frames: int) -> list[tuple[int, _Entry]]:
    """Per frame, non-overlapping matches: leftmost first, then longest, then file order."""
    found = sorted(
        found,
        key=lambda m: (m[1].frame, m[0], -len(m[1].tokens), m[1].indicator, m[1].form),
    )
    kept = []
    frame_end = [-1] * n_frames
    for start, entry in found:
        if start >= frame_end[entry.frame]:
            kept.append((start, entry))
            frame_end[entry.frame] = start + len(entry.tokens)
    return kept


def _as_matches(kept: list[tuple[int, _Entry]], dictionary: FrameDictionary) -> list[Match]:
    matches = []
    for start, entry in kept:
        frame = dictionary.frames[entry.frame]
        indicator = frame.indicators[entry.indicator]
        form = indicator.forms[entry.form]
        matches.append(Match(frame.name, indicator.pattern, form, start, start + len(entry.tokens)))
    return matches


def find_matches(tokens: Sequence[str], dictionary: FrameDictionary) -> list[Match]:
    """Matches of ``dictionary`` in one normalized token list, by frame order then position."""
    _, kept = _Matcher(dictionary).scan(list(tokens))
    return _as_matches(kept, dictionary)


def match_table(tokens: pd.Series, dictionary: FrameDictionary) -> pd.DataFrame:
    """All matches in a Series of token lists, one row per match.

    Columns: ``row`` (the Series' index label), frame, indicator, form, start, end (token
    positions, end exclusive), ``matched`` (the text tokens, space-joined).
    """
    matcher = _Matcher(dictionary)
    rows = []
    for label, doc in tokens.items():
        doc = list(doc)
        _, kept = matcher.scan(doc)
        for match in _as_matches(kept, dictionary):
            rows.append((label, *match, " ".join(doc[match.start : match.end])))
    columns = ["row", "frame", "indicator", "form", "start", "end", "matched"]
    return pd.DataFrame(rows, columns=columns)


# --------------------------------------------------------------------------- scores


def frame_scores(
    tokens: pd.Series,
    dictionary: FrameDictionary,
    *,
    per: int = 1000,
    ties: str = "mixed",
) -> pd.DataFrame:
    """Frame hits and length-normalized rates per text, aligned with ``tokens.index``.

    ``tokens`` holds normalized token lists (e.g. from :func:`arabmedia.text.article_tokens`,
    made with the dictionary's settings).  Columns: ``n_tokens`` (word tokens, punctuation
    left out), then for each frame ``hits_<frame>`` (non-overlapping matches) and
    ``rate_<frame>`` (hits per ``per`` word tokens; 0 for an empty text), ``n_frames``
    (frames with at least one hit) and ``dominant_frame``: the frame with most hits;
    :data:`NO_FRAME` without hits; on a tie :data:`MIXED_FRAMES` (``ties="mixed"``) or the
    tied frame that comes first in the dictionary (``ties="first"``).
    """
    if ties not in ("mixed", "first"):
        raise ValueError(f"ties must be 'mixed' or 'first', got {ties!r}")
    n_frames = len(dictionary.frames)
    hits = np.zeros((len(tokens), n_frames), dtype=np.int64)
    matcher = _Matcher(dictionary)
    lengths = np.zeros(len(tokens), dtype=np.int64)
    for row, doc in enumerate(tokens):
        doc = list(doc)
        lengths[row], kept = matcher.scan(list(doc))
        for _, entry in kept:
            hits[row, entry.frame] += 1
    names = dictionary.names
    table = pd.DataFrame({"n_tokens": lengths}, index=tokens.index)
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = np.where(lengths[:, None] > 0, per * hits / lengths[:, None], 0.0)
    for f, name in enumerate(names):
        table[f"hits_{name}"] = hits[:, f]
    for f, name in enumerate(names):
        table[f"rate_{name}"] = rates[:, f]
    table["n_frames"] = (hits > 0).sum(axis=1)
    table["dominant_frame"] = _dominant(hits, names, ties)
    return table


def _dominant(hits: np.ndarray, names: list[str], ties: str) -> list[str]:
    if hits.shape[1] == 0:
        return [NO_FRAME] * len(hits)
    best = hits.max(axis=1)
    first = hits.argmax(axis=1)  # argmax returns the first maximum: dictionary order
    tied = (hits == best[:, None]).sum(axis=1) > 1
    return [
        NO_FRAME if top == 0 else (MIXED_FRAMES if is_tied and ties == "mixed" else names[position])
        for top, position, is_tied in zip(best, first, tied, strict=True)
    ]


ID_COLUMNS = ("doc_id", "corpus", "outlet", "date", "kind")


def article_frames(
    articles: pd.DataFrame,
    tokens: pd.Series,
    dictionary: FrameDictionary,
    *,
    per: int = 1000,
    ties: str = "mixed",
) -> pd.DataFrame:
    """:func:`frame_scores` of each article, with the article's identifying columns.

    ``tokens`` must be aligned with ``articles.index``.  Columns: those of
    :data:`ID_COLUMNS` that ``articles`` has, then the columns of :func:`frame_scores`.
    """
    if not tokens.index.equals(articles.index):
        raise ValueError("article_frames: tokens must be aligned with articles.index")
    ids = articles[[c for c in ID_COLUMNS if c in articles.columns]]
    return pd.concat([ids, frame_scores(tokens, dictionary, per=per, ties=ties)], axis=1)


def sentence_frames(
    articles: pd.DataFrame,
    dictionary: FrameDictionary,
    *,
    fields: Sequence[str] = ("title", "lead", "body"),
    per: int = 1000,
    ties: str = "mixed",
    n_jobs: int = 1,
) -> pd.DataFrame:
    """Frames of each sentence (:func:`arabmedia.text.split_sentences` of the text).

    The text is :func:`arabmedia.corpus.article_text` over ``fields``; sentences are
    tokenized with the dictionary's settings.  One row per sentence, index 0..n-1.
    Columns: doc_id, sentence (0-based number within the article), text (the sentence as
    written), then the columns of :func:`frame_scores`.
    """
    from arabmedia.corpus._articles import article_text

    texts = article_text(articles, fields)
    rows = [
        (doc_id, number, sentence)
        for doc_id, text in zip(articles["doc_id"], texts, strict=True)
        for number, sentence in enumerate(split_sentences(text))
    ]
    table = pd.DataFrame(rows, columns=["doc_id", "sentence", "text"])
    tokens = pd.Series(
        tokenize_many(table["text"].tolist(), dictionary.settings, n_jobs=n_jobs),
        index=table.index,
        dtype=object,
    )
    return pd.concat([table, frame_scores(tokens, dictionary, per=per, ties=ties)], axis=1)


# --------------------------------------------------------------------------- prevalence

MEASURES = ("share", "rate", "dominant")


def frame_prevalence(
    scores: pd.DataFrame,
    frames: Iterable[str] | FrameDictionary,
    by: str | Sequence[str] = ("outlet",),
    *,
    measure: str = "share",
    freq: str | None = None,
    per: int = 1000,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Prevalence of each frame per group with bootstrap intervals over articles.

    ``scores`` is a table from :func:`article_frames` (one row per article).  Measures:

    * ``"share"``: share of articles with at least one hit of the frame;
    * ``"rate"``: hits per ``per`` word tokens of the group (ratio of sums);
    * ``"dominant"``: share of articles whose ``dominant_frame`` is the frame.

    With ``freq`` (a pandas period alias such as ``"M"`` or ``"W"``) articles are also
    grouped by the ``period`` of their ``date`` (the period's start, a Timestamp); articles
    without a date are left out.  Returns a long table: the ``by`` columns, ``period``
    (with ``freq``), ``frame``, ``n_units``, ``numerator``, ``denominator``, ``estimate``,
    ``low``, ``high`` (:func:`arabmedia.stats.bootstrap_ratios`: articles resampled within
    each group, one resample shared by all frames).
    """
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {MEASURES}, got {measure!r}")
    names = frames.names if isinstance(frames, FrameDictionary) else list(frames)
    by = [by] if isinstance(by, str) else list(by)
    table = scores
    if freq is not None:
        table = scores[scores["date"].notna()].copy()
        table["period"] = table["date"].dt.to_period(freq).dt.start_time
        by = [*by, "period"]
    values = {}
    for name in names:
        if measure == "dominant":
            column = table["dominant_frame"] == name
        else:
            column = table[f"hits_{name}"] > 0 if measure == "share" else table[f"hits_{name}"]
        values[f"_value_{name}"] = column.astype(float)
    work = table[[*by, "n_tokens"]].assign(**values)
    result = bootstrap_ratios(
        work,
        list(values),
        by,
        name="frame",
        denominator="n_tokens" if measure == "rate" else None,
        scale=per if measure == "rate" else 1.0,
        n_boot=n_boot,
        ci=ci,
        seed=seed,
    )
    result["frame"] = result["frame"].str.removeprefix("_value_")
    return result
