"""ArMPro (persuasion-technique spans in Arabic news paragraphs): loaded-language detectors
scored at paragraph, token and span level.

Two detectors share one small protocol (:class:`LoadedLanguageDetector`): the lexicon
(:class:`LexiconDetector`, no fitting) and a supervised model (:class:`SupervisedDetector`,
fitted on gold spans).  :func:`armpro_validation` scores an already fitted detector on given
span files; :func:`armpro_cross_validation` compares both on folds grouped by source
domain, so that no outlet is on both sides of a split.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Protocol, Self

import numpy as np
import pandas as pd

from arabmedia.analysis._framing import match_frames
from arabmedia.analysis._validation import grouped_folds
from arabmedia.config import Settings
from arabmedia.lexicons._frames import FrameDictionary, load_frames
from arabmedia.stats._classification import classification_scores
from arabmedia.text._dtm import make_vectorizer
from arabmedia.text._normalize import NormalizeSettings, tokenize_many
from arabmedia.text._vocabulary import is_word

if TYPE_CHECKING:
    import scipy.sparse as sp
    from sklearn.linear_model import LogisticRegression

LOADED_LANGUAGE = "Loaded_Language"
#: Columns of a detector's :meth:`LoadedLanguageDetector.detect` table.
DETECTION_COLUMNS = ("doc_id", "detected", "score", "token_spans")


# --------------------------------------------------------------------------- ArMPro


def armpro_span_files(settings: Settings, corpus: str = "armpro") -> list[Path]:
    """The span files of manifest corpus ``corpus`` under ``settings.raw_dir``, sorted.

    Those the manifest lists that the ``armpro`` reader reads (``V2/span/*.jsonl``); for
    the manifest's ArMPro entry, the dev split.  FileNotFoundError names a listed file
    that is not on disk (run ``arabmedia fetch``); ValueError when none is listed.
    """
    from arabmedia.corpus._manifest import load_manifest
    from arabmedia.corpus._readers import READERS

    spec = load_manifest(settings.manifest).corpus(corpus)
    patterns = READERS["armpro"].patterns
    files = []
    for entry in spec.files:
        inside = PurePosixPath(entry.path.split("/", 1)[-1])
        if any(inside.match(pattern) for pattern in patterns):
            files.append(settings.raw_dir / entry.path)
    if not files:
        raise ValueError(f"manifest corpus {corpus!r} lists no file matching {patterns}")
    missing = [str(path) for path in files if not path.is_file()]
    if missing:
        raise FileNotFoundError(f"ArMPro span file(s) not found (run `arabmedia fetch`): {missing}")
    return sorted(files, key=lambda path: path.as_posix())


def armpro_table(settings: Settings, corpus: str = "armpro") -> pd.DataFrame:
    """:func:`armpro_table_from_files` of :func:`armpro_span_files` (the dev split)."""
    return armpro_table_from_files(armpro_span_files(settings, corpus), corpus)


def armpro_table_from_files(paths: Sequence[str | Path], corpus: str = "armpro") -> pd.DataFrame:
    """ArMPro paragraphs of the given span files with their Loaded_Language spans aligned.

    ``paths`` are files or globs (read sorted by path, each once); one row per paragraph,
    in file and line order.  Columns: doc_id, outlet (the record's
    page_domain, the source outlet), body (the paragraph as loaded, after text repairs),
    spans, n_realigned, n_unaligned (see :func:`attach_spans`).  Errors, each naming the
    file: FileNotFoundError for a missing file; ValueError for no files, a file without
    paragraphs, an unreadable record (and its line) or a paragraph id given twice.
    """
    from arabmedia.corpus._labels import armpro_file_spans
    from arabmedia.corpus._loading import expand_globs, read_files

    if not paths:
        raise ValueError("armpro_table_from_files: no span files given")
    files = expand_globs(paths, Path.cwd())
    result = read_files(files, "armpro", corpus=corpus)
    if not result.rejects.empty:
        first = result.rejects.iloc[0]
        raise ValueError(
            f"{first.source_file}, line {first.source_record + 1}: {first.reason} "
            f"({len(result.rejects)} unreadable record(s) in the given files)"
        )
    read = set(result.articles["source_file"])
    for path in files:
        if str(path) not in read:
            raise ValueError(f"{path}: no ArMPro paragraphs in the file")
    repeated = result.problems[result.problems["problem"] == "duplicate id"]
    if not repeated.empty:
        first = repeated.iloc[0]
        raise ValueError(
            f"{first.source_file}, line {first.source_record + 1}: paragraph id "
            f"{first.value!r} is given twice in the given files"
        )
    paragraphs = result.articles[["doc_id", "outlet", "body"]].reset_index(drop=True)
    spans = armpro_file_spans(files, corpus)
    spans = spans[spans["technique"] == LOADED_LANGUAGE]
    orphans = sorted(set(spans["doc_id"]) - set(paragraphs["doc_id"]))
    if orphans:
        raise ValueError(f"{files}: spans of paragraph(s) {orphans[:5]} match no paragraph")
    return attach_spans(paragraphs, spans)


def attach_spans(paragraphs: pd.DataFrame, spans: pd.DataFrame) -> pd.DataFrame:
    """Gold spans (doc_id, start, end, text) attached to paragraphs (doc_id, body, ...).

    The paragraphs' columns, then spans (sorted list of (start, end) character offsets
    into ``body`` of the gold spans), n_realigned (spans whose published offsets did not
    match their text and were moved to the nearest occurrence of the text), n_unaligned
    (spans whose text was not found: kept at the published offsets).  Published offsets
    are trusted when ``body[start:end]`` equals the span's text.
    """
    by_doc = {doc: group for doc, group in spans.groupby("doc_id", sort=False)}
    rows = []
    for doc_id, body in zip(paragraphs["doc_id"], paragraphs["body"], strict=True):
        aligned, realigned, unaligned = [], 0, 0
        group = by_doc.get(doc_id)
        if group is not None:
            for start, end, text in zip(group["start"], group["end"], group["text"], strict=True):
                span, status = _align(body, int(start), int(end), str(text))
                aligned.append(span)
                realigned += status == "realigned"
                unaligned += status == "unaligned"
        rows.append((sorted(set(aligned)), realigned, unaligned))
    attached = pd.DataFrame(
        rows, columns=["spans", "n_realigned", "n_unaligned"], index=paragraphs.index
    )
    return pd.concat([paragraphs, attached], axis=1).reset_index(drop=True)


def _align(body: str, start: int, end: int, text: str) -> tuple[tuple[int, int], str]:
    if body[start:end] == text:
        return (start, end), "ok"
    needle = text.strip()
    found = [m.start() for m in re.finditer(re.escape(needle), body)] if needle else []
    if found:
        best = min(found, key=lambda position: (abs(position - start), position))
        return (best, best + len(needle)), "realigned"
    return (start, end), "unaligned"


def paragraph_tokens(
    body: str, settings: NormalizeSettings
) -> tuple[list[str], list[tuple[int, int]]]:
    """Normalized tokens of ``body`` and the character span of the whitespace word of each.

    The token positions detectors report (``token_spans``) index this list.  Tokenizing
    each whitespace-separated word on its own gives the same tokens as tokenizing the
    whole text (the tokenizer splits on whitespace first).
    """
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", body)]
    per_word = tokenize_many([body[a:b] for a, b in words], settings)
    tokens, spans = [], []
    for span, word_tokens in zip(words, per_word, strict=True):
        tokens.extend(word_tokens)
        spans.extend([span] * len(word_tokens))
    return tokens, spans


def _gold_token_sets(
    word_spans: list[tuple[int, int]], word_flags: list[bool], spans: list[tuple[int, int]]
) -> list[set[int]]:
    """Per gold span, the word tokens whose whitespace word it overlaps (empty sets dropped)."""
    sets = [
        {i for i, (a, b) in enumerate(word_spans) if a < end and start < b and word_flags[i]}
        for start, end in spans
    ]
    return [s for s in sets if s]


# --------------------------------------------------------------------------- detectors


class LoadedLanguageDetector(Protocol):
    """What :func:`armpro_validation` and :func:`loaded_language_matches` need of a detector.

    ``name`` labels its rows; ``settings`` is the normalization of its tokens
    (:func:`paragraph_tokens`).  ``fit`` takes an :func:`armpro_table` (gold spans) and
    returns the detector; ``detect`` takes a table with doc_id and body and returns one
    row per paragraph, in order, with :data:`DETECTION_COLUMNS`: doc_id, detected (bool:
    the paragraph has loaded language), score (float: the detector's evidence), token_spans
    (list of (start, end) token positions, end exclusive, of the detected spans).
    """

    name: str
    settings: NormalizeSettings

    def fit(self, table: pd.DataFrame) -> Self: ...

    def detect(self, table: pd.DataFrame) -> pd.DataFrame: ...


class LexiconDetector:
    """The loaded-language lexicon as a detector: a paragraph is detected when an
    indicator matches, each match is a detected span, score = number of matches.

    ``lexicon`` defaults to the project's ``loaded_language`` frames; ``fit`` learns nothing.
    """

    name = "lexicon"

    def __init__(self, lexicon: FrameDictionary | None = None) -> None:
        self.lexicon = lexicon or load_frames("loaded_language")
        self.settings = self.lexicon.settings

    def fit(self, table: pd.DataFrame) -> Self:
        """Nothing to learn: the detector itself."""
        return self

    def detect(self, table: pd.DataFrame) -> pd.DataFrame:
        """One row per paragraph of ``table`` (doc_id, body): :data:`DETECTION_COLUMNS`."""
        rows = []
        for doc_id, body in zip(table["doc_id"], table["body"], strict=True):
            tokens, _ = paragraph_tokens(body, self.settings)
            spans = [(m.start, m.end) for m in match_frames(tokens, self.lexicon)]
            rows.append((doc_id, bool(spans), float(len(spans)), spans))
        return pd.DataFrame(rows, columns=list(DETECTION_COLUMNS))


class SupervisedDetector:
    """Logistic regressions (scikit-learn, balanced classes, seeded) fitted on gold spans.

    Paragraph level: TF-IDF of word 1-2-grams (``min_df``) and of character 2-5-grams
    within words (``min_df``) of the normalized word tokens, plus log(1 + lexicon matches);
    detected when P(loaded) >= 0.5, score = that probability.  Token level, each word token
    on its own: the token, its first and last three letters, the tokens either side and
    the two bigrams with them, and whether a lexicon match covers it; the detected spans
    are runs of consecutive detected tokens.  The two levels are separate models, so a
    paragraph may be detected without a detected span and the reverse.
    """

    name = "supervised"

    def __init__(
        self, lexicon: FrameDictionary | None = None, *, seed: int = 0, min_df: int = 2
    ) -> None:
        self.lexicon = lexicon or load_frames("loaded_language")
        self.settings = self.lexicon.settings
        self.seed = seed
        self.min_df = min_df

    def _model(self) -> LogisticRegression:
        from sklearn.linear_model import LogisticRegression

        return LogisticRegression(
            solver="newton-cg", max_iter=1000, class_weight="balanced", random_state=self.seed
        )

    def _parse(self, table: pd.DataFrame) -> list[_Parsed]:
        return [_Parsed.of(body, self.lexicon) for body in table["body"]]

    def _paragraph_matrix(self, parsed: list[_Parsed]) -> sp.csr_matrix:
        import scipy.sparse as sp

        words = [p.word_tokens for p in parsed]
        hits = np.log1p([[len(p.matches)] for p in parsed])
        return sp.hstack(
            [
                self._words.transform(words),
                self._chars.transform([" ".join(w) for w in words]),
                sp.csr_matrix(hits),
            ],
            format="csr",
        )

    def fit(self, table: pd.DataFrame) -> Self:
        """Fit both levels on ``table`` (doc_id, body, spans: :func:`armpro_table`).

        ValueError when the table lacks paragraphs (or word tokens) with and without
        loaded language.
        """
        from sklearn.feature_extraction import DictVectorizer
        from sklearn.feature_extraction.text import TfidfVectorizer

        parsed = self._parse(table)
        gold_tokens = [
            p.gold_tokens(spans) for p, spans in zip(parsed, table["spans"], strict=True)
        ]
        paragraph_gold = np.array([bool(g) for g in gold_tokens])
        token_gold = np.array(
            [i in g for p, g in zip(parsed, gold_tokens, strict=True) for i in p.word_positions]
        )
        for level, gold in (("paragraphs", paragraph_gold), ("word tokens", token_gold)):
            if len(set(gold.tolist())) < 2:
                raise ValueError(
                    f"SupervisedDetector.fit: the {len(table)} training paragraphs need "
                    f"{level} both with and without loaded language"
                )
        self._words = make_vectorizer("tfidf", ngram_range=(1, 2), min_df=self.min_df)
        self._chars = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 5), min_df=self.min_df, lowercase=False
        )
        words = [p.word_tokens for p in parsed]
        self._words.fit(words)
        self._chars.fit([" ".join(w) for w in words])
        self._paragraph = self._model().fit(self._paragraph_matrix(parsed), paragraph_gold)
        self._features = DictVectorizer(sort=True)
        features = [f for p in parsed for f in p.token_features()]
        self._token = self._model().fit(self._features.fit_transform(features), token_gold)
        return self

    def detect(self, table: pd.DataFrame) -> pd.DataFrame:
        """One row per paragraph of ``table`` (doc_id, body): :data:`DETECTION_COLUMNS`."""
        if not hasattr(self, "_token"):
            raise ValueError("SupervisedDetector.detect: call fit first")
        parsed = self._parse(table)
        if not parsed:
            return pd.DataFrame(columns=list(DETECTION_COLUMNS))
        probability = self._paragraph.predict_proba(self._paragraph_matrix(parsed))[:, 1]
        features = [f for p in parsed for f in p.token_features()]
        flags = (
            self._token.predict(self._features.transform(features)).astype(bool)
            if features
            else np.zeros(0, dtype=bool)
        )
        rows, offset = [], 0
        for doc_id, p, score in zip(table["doc_id"], parsed, probability, strict=True):
            n = len(p.word_positions)
            hit = [
                i for i, f in zip(p.word_positions, flags[offset : offset + n], strict=True) if f
            ]
            offset += n
            rows.append((doc_id, bool(score >= 0.5), float(score), _runs(hit)))
        return pd.DataFrame(rows, columns=list(DETECTION_COLUMNS))


class _Parsed:
    """One paragraph's tokens, word-token positions and lexicon matches."""

    def __init__(self, tokens, word_spans, matches) -> None:
        self.tokens = tokens
        self.word_spans = word_spans
        self.word_flags = [is_word(t) for t in tokens]
        self.word_positions = [i for i, flag in enumerate(self.word_flags) if flag]
        self.word_tokens = [tokens[i] for i in self.word_positions]
        self.matches = matches

    @classmethod
    def of(cls, body: str, lexicon: FrameDictionary) -> _Parsed:
        tokens, word_spans = paragraph_tokens(body, lexicon.settings)
        return cls(tokens, word_spans, match_frames(tokens, lexicon))

    def gold_tokens(self, spans: list[tuple[int, int]]) -> set[int]:
        return set().union(*_gold_token_sets(self.word_spans, self.word_flags, spans))

    def token_features(self) -> list[dict[str, float]]:
        covered = {i for m in self.matches for i in range(m.start, m.end)}
        padded = ["<s>", *self.tokens, "</s>"]
        rows = []
        for i in self.word_positions:
            token, before, after = padded[i + 1], padded[i], padded[i + 2]
            row = {
                f"w={token}": 1.0,
                f"pre={token[:3]}": 1.0,
                f"suf={token[-3:]}": 1.0,
                f"p={before}": 1.0,
                f"n={after}": 1.0,
                f"pw={before} {token}": 1.0,
                f"wn={token} {after}": 1.0,
            }
            if i in covered:
                row["lexicon"] = 1.0
            rows.append(row)
        return rows


def _runs(positions: list[int]) -> list[tuple[int, int]]:
    """Sorted token positions -> (start, end) runs of consecutive positions."""
    runs: list[tuple[int, int]] = []
    for i in positions:
        if runs and runs[-1][1] == i:
            runs[-1] = (runs[-1][0], i + 1)
        else:
            runs.append((i, i + 1))
    return runs


# --------------------------------------------------------------------------- scoring


def loaded_language_matches(table: pd.DataFrame, detector: LoadedLanguageDetector) -> pd.DataFrame:
    """Gold and detected loaded language per paragraph, counted in word tokens and spans.

    ``table`` has columns doc_id, body, spans (as :func:`armpro_table`); ``detector`` is
    fitted.  Units are the word tokens of the paragraph (:func:`paragraph_tokens` in the
    detector's normalization, punctuation left out).  A token is gold when its whitespace
    word overlaps a gold span by at least one character; it is detected when a detected
    span covers it.  A gold span is found when one of its tokens is detected; a detected
    span is correct when one of its tokens is gold.

    Columns: doc_id, gold (paragraph has a gold span), detected (the detector's paragraph
    decision), gold_tokens, detected_tokens, overlap_tokens, gold_spans, gold_spans_found,
    detected_spans, detected_spans_correct.
    """
    detections = detector.detect(table)
    if list(detections["doc_id"]) != list(table["doc_id"]):
        raise ValueError(
            f"{detector.name} detector: detect must return the table's doc_ids in order"
        )
    rows = []
    for doc_id, body, spans, detected, token_spans in zip(
        table["doc_id"],
        table["body"],
        table["spans"],
        detections["detected"],
        detections["token_spans"],
        strict=True,
    ):
        tokens, word_spans = paragraph_tokens(body, detector.settings)
        word_flags = [is_word(t) for t in tokens]
        gold_sets = _gold_token_sets(word_spans, word_flags, spans)
        gold = set().union(*gold_sets)
        for start, end in token_spans:
            if not 0 <= start < end <= len(tokens):
                raise ValueError(
                    f"{detector.name} detector, paragraph {doc_id}: token span ({start}, {end}) "
                    f"outside its {len(tokens)} tokens"
                )
        detected_sets = [{i for i in range(a, b) if word_flags[i]} for a, b in token_spans]
        hit = set().union(*detected_sets)
        rows.append(
            (
                doc_id,
                bool(gold_sets),
                bool(detected),
                len(gold),
                len(hit),
                len(gold & hit),
                len(gold_sets),
                sum(bool(s & hit) for s in gold_sets),
                len(detected_sets),
                sum(bool(s & gold) for s in detected_sets),
            )
        )
    columns = [
        "doc_id",
        "gold",
        "detected",
        "gold_tokens",
        "detected_tokens",
        "overlap_tokens",
        "gold_spans",
        "gold_spans_found",
        "detected_spans",
        "detected_spans_correct",
    ]
    return pd.DataFrame(rows, columns=columns)


#: (level, precision numerator, precision denominator, recall numerator, recall denominator)
_SPAN_LEVELS = (
    ("token", "overlap_tokens", "detected_tokens", "overlap_tokens", "gold_tokens"),
    ("span", "detected_spans_correct", "detected_spans", "gold_spans_found", "gold_spans"),
)


def loaded_language_scores(
    matches: pd.DataFrame, *, n_boot: int = 1000, ci: float = 0.95, seed: int = 0
) -> pd.DataFrame:
    """Precision, recall and F1 of a loaded-language detector at three levels.

    ``matches`` is :func:`loaded_language_matches`.  Levels: ``paragraph`` (gold = has a
    Loaded_Language span, predicted = the detector's paragraph decision; the positive
    class of :func:`arabmedia.stats.classification_scores`), ``token`` (micro-averaged over
    word tokens) and ``span`` (overlap rule of :func:`loaded_language_matches`).  Token and
    span intervals resample paragraphs (seeded), with P, R and F1 from the same resamples.
    Columns: level, n_items (paragraphs, gold tokens or gold spans), precision,
    precision_low, precision_high, recall, recall_low, recall_high, f1, f1_low, f1_high.
    """
    paragraph = classification_scores(
        matches["gold"], matches["detected"], labels=[True, False], n_boot=n_boot, ci=ci, seed=seed
    ).iloc[0]
    rows = [
        {"level": "paragraph", "n_items": len(matches)}
        | {k: paragraph[k] for k in paragraph.index if k not in ("label", "support")}
    ]
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(matches), size=(n_boot, len(matches)))
    tail = (1 - ci) / 2 * 100
    for level, p_num, p_den, r_num, r_den in _SPAN_LEVELS:
        sums = matches[[p_num, p_den, r_num, r_den]].to_numpy(dtype=float)
        point = _prf(sums.sum(axis=0)[None, :])[0]
        replicates = _prf(sums[draws].sum(axis=1))
        row = {"level": level, "n_items": int(matches[r_den].sum())}
        for j, metric in enumerate(("precision", "recall", "f1")):
            low, high = np.nanpercentile(replicates[:, j], [tail, 100 - tail])
            row |= {metric: point[j], f"{metric}_low": low, f"{metric}_high": high}
        rows.append(row)
    return pd.DataFrame(rows)


def _prf(sums: np.ndarray) -> np.ndarray:
    """Rows of (p_num, p_den, r_num, r_den) sums -> (precision, recall, F1); 0 if undefined."""
    with np.errstate(divide="ignore", invalid="ignore"):
        precision = np.where(sums[:, 1] > 0, sums[:, 0] / sums[:, 1], 0.0)
        recall = np.where(sums[:, 3] > 0, sums[:, 2] / sums[:, 3], 0.0)
        total = precision + recall
        f1 = np.where(total > 0, 2 * precision * recall / total, 0.0)
    return np.column_stack([precision, recall, f1])


def armpro_validation(
    span_files: Sequence[str | Path],
    detector: LoadedLanguageDetector,
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """:func:`loaded_language_scores` of a fitted ``detector`` on the paragraphs of
    ``span_files`` (:func:`armpro_table_from_files`).

    A supervised detector must have been fitted on other paragraphs than those scored;
    for figures on one split use :func:`armpro_cross_validation`.
    """
    matches = loaded_language_matches(armpro_table_from_files(span_files), detector)
    return loaded_language_scores(matches, n_boot=n_boot, ci=ci, seed=seed)


def armpro_cross_validation(
    span_files: Sequence[str | Path],
    *,
    lexicon: FrameDictionary | None = None,
    n_splits: int = 5,
    seed: int = 0,
    n_boot: int = 1000,
    ci: float = 0.95,
) -> pd.DataFrame:
    """The lexicon and the supervised detector side by side, cross-validated by outlet.

    Folds: :func:`arabmedia.analysis.grouped_folds` of the paragraphs of ``span_files``,
    grouped by outlet (page_domain: one outlet is never on both sides) and stratified by
    whether the paragraph has loaded language, seeded.  Per fold a
    :class:`SupervisedDetector` (``lexicon``, ``seed``) is fitted on the other folds; the
    :class:`LexiconDetector` needs no fit.  Each detector's out-of-fold matches are pooled
    (in the files' paragraph order) and scored by :func:`loaded_language_scores` (intervals
    resample paragraphs, ``seed``).

    Columns: detector ("lexicon", "supervised"), the :func:`loaded_language_scores`
    columns, n_folds.
    """
    table = armpro_table_from_files(span_files)
    folds = grouped_folds(table["spans"].str.len() > 0, table["outlet"], n_splits, seed)
    lexicon_detector = LexiconDetector(lexicon)
    pooled: dict[str, list[pd.DataFrame]] = {"lexicon": [], "supervised": []}
    for fold in range(n_splits):
        train, test = table[folds != fold], table[folds == fold]
        supervised = SupervisedDetector(lexicon_detector.lexicon, seed=seed).fit(train)
        for detector in (lexicon_detector, supervised):
            matches = loaded_language_matches(test, detector).set_index(test.index)
            pooled[detector.name].append(matches)
    parts = [
        loaded_language_scores(pd.concat(frames).sort_index(), n_boot=n_boot, ci=ci, seed=seed)
        .assign(n_folds=n_splits)
        .assign(detector=name)
        for name, frames in pooled.items()
    ]
    scores = pd.concat(parts, ignore_index=True)
    return scores[["detector", *[c for c in scores.columns if c != "detector"]]]
