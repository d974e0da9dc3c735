"""The blind protocol's bookkeeping: frozen test halves and second-coder agreement.

Every gold set (``data/gold/README.md``) has a ``split`` column; its ``test`` rows are
frozen by a sha256 recorded in ``data/gold/FROZEN`` (paths relative to the repository root)
when the labels were written, before any rule was tuned.  :func:`check_frozen` refuses a
gold file whose test half changed since, so a reported test figure is always on the labels
that were frozen.  :func:`gold_agreement`
compares a second, independent coder with the first.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from arabmedia.analysis._precision import ESTIMATE_COLUMNS
from arabmedia.stats._agreement import (
    alpha_from_coincidences,
    resampled_coincidences,
    unit_coincidences,
)

FROZEN_PATH = Path("data") / "gold" / "FROZEN"
AGREEMENT_COLUMNS = (
    "gold_set",
    "n_units",
    "observed_agreement",
    "alpha",
    "alpha_low",
    "alpha_high",
)


class FrozenGoldError(ValueError):
    """A gold file's test half no longer matches the hash frozen for it."""


def frozen_digest(path: str | Path) -> str:
    """sha256 of a gold TSV's header and ``test`` rows, byte for byte (comments ignored)."""
    path = Path(path)
    lines = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    if not lines:
        raise FrozenGoldError(f"{path}: no header line")
    header = lines[0].split("\t")
    if "split" not in header:
        raise FrozenGoldError(f"{path}: no 'split' column, so no test half to freeze")
    column = header.index("split")
    test = [line for line in lines[1:] if line.split("\t")[column] == "test"]
    if not test:
        raise FrozenGoldError(f"{path}: no row has split 'test'")
    return hashlib.sha256("\n".join([lines[0], *test]).encode("utf-8")).hexdigest()


def read_frozen(root: str | Path) -> dict[str, str]:
    """{path relative to ``root``: digest} from ``root/data/gold/FROZEN`` (lines
    ``<sha256>  <path>``)."""
    path = Path(root) / FROZEN_PATH
    frozen = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 2 or len(parts[0]) != 64:
            raise FrozenGoldError(f"{path}: line {number}: expected '<sha256>  <file>'")
        frozen[parts[1]] = parts[0]
    return frozen


def check_frozen(root: str | Path, names: Sequence[str] | None = None) -> None:
    """Raise :class:`FrozenGoldError` naming every frozen gold file (or those in ``names``,
    paths relative to ``root``) whose test half changed or is missing."""
    root = Path(root)
    frozen = read_frozen(root)
    problems = []
    for name in names if names is not None else sorted(frozen):
        if name not in frozen:
            problems.append(f"{name}: not frozen in {root / FROZEN_PATH}")
        elif not (root / name).is_file():
            problems.append(f"{name}: file missing")
        elif frozen_digest(root / name) != frozen[name]:
            problems.append(f"{name}: the test half changed after it was frozen")
    if problems:
        raise FrozenGoldError(f"{root}: " + "; ".join(problems))


def gold_agreement(
    first: pd.DataFrame,
    second: pd.DataFrame,
    keys: Sequence[str],
    value: str,
    *,
    gold_set: str = "",
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Agreement of a second coder with the first on the units both coded.

    Units are matched on ``keys``; ``value`` is the nominal code.  Returns one row with
    :data:`AGREEMENT_COLUMNS`: n_units (units both coded), observed_agreement, nominal
    Krippendorff's alpha, and its 95% percentile interval from ``n_boot`` bootstrap
    resamples of units.  A second-coder unit missing from ``first`` is an error.
    """
    keys = list(keys)
    both = second[[*keys, value]].merge(
        first[[*keys, value]], on=keys, how="left", suffixes=("_second", "_first")
    )
    unmatched = both[f"{value}_first"].isna()
    if unmatched.any():
        row = both.loc[unmatched, keys].iloc[0].to_dict()
        raise ValueError(f"gold_agreement: {int(unmatched.sum())} unit(s) only in second: {row}")
    a = both[f"{value}_first"].astype(str).to_numpy()
    b = both[f"{value}_second"].astype(str).to_numpy()
    codes = pd.DataFrame(
        {
            "unit": np.tile(np.arange(len(a)), 2),
            "coder": np.repeat(["first", "second"], len(a)),
            "value": np.concatenate([a, b]),
        }
    )
    contributions, categories, _ = unit_coincidences(codes)  # units in row order
    rows = np.random.default_rng(seed).integers(0, len(a), (n_boot, len(a)))
    draws = alpha_from_coincidences(resampled_coincidences(contributions, rows), categories)
    low, high = np.nanpercentile(draws, [2.5, 97.5]) if n_boot else (np.nan, np.nan)
    alpha = float(alpha_from_coincidences(contributions.sum(axis=0), categories))
    row = (gold_set, len(a), float((a == b).mean()), alpha, low, high)
    return pd.DataFrame([row], columns=list(AGREEMENT_COLUMNS))


# --------------------------------------------------------------------------- the sets

#: The protocol's gold sets: (name, first coder's file, second coder's file, keys, value).
AGREEMENT_SETS = (
    (
        "agency",
        "agency_sentences.tsv",
        "agency_second_coder.tsv",
        ("doc_id", "field", "sentence_index"),
        "label",
    ),
    (
        "agency v3",
        "agency_sentences_v3.tsv",
        "agency_v3_second_coder.tsv",
        ("doc_id", "field", "sentence_index"),
        "label",
    ),
    (
        "agency v4",
        "agency_sentences_v4.tsv",
        "agency_v4_second_coder.tsv",
        ("doc_id", "field", "sentence_index"),
        "label",
    ),
    (
        "agency v5",
        "agency_sentences_v5.tsv",
        "agency_v5_second_coder.tsv",
        ("doc_id", "field", "sentence_index"),
        "label",
    ),
    (
        "segmentation",
        "segmentation.tsv",
        "segmentation_second_coder.tsv",
        ("word",),
        "segmentation",
    ),
    (
        "event pairs",
        "event_pairs.tsv",
        "event_pairs_second_coder.tsv",
        ("doc_id_a", "doc_id_b"),
        "label",
    ),
)
LEXICON_KEYS = ("lexicon", "item", "indicator", "doc_id", "field", "position")


def _read_tsv(path: Path) -> pd.DataFrame:
    """A gold TSV without its ``#`` comment lines (a ``#`` inside a field, as in the ids
    ``<corpus>:<file>#<record>``, is data)."""
    lines = [
        line for line in Path(path).read_text("utf-8").splitlines(True) if not line.startswith("#")
    ]
    return pd.read_csv(io.StringIO("".join(lines)), sep="\t", dtype=str, keep_default_na=False)


def gold_agreements(
    root: str | Path,
    lexicons: Sequence[tuple[str, str]] = (),
    *,
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """:func:`gold_agreement` of every protocol set under ``root/data/gold`` and of the
    precision judgements of the bundled ``lexicons`` ((kind, name) pairs, pooled as one set,
    ``lexicon precision``).  Columns: :data:`AGREEMENT_COLUMNS`, one row per set."""
    from arabmedia.lexicons import load_precision_judgements

    gold = Path(root) / "data" / "gold"
    parts = [
        gold_agreement(
            _read_tsv(gold / first),
            _read_tsv(gold / second),
            keys,
            value,
            gold_set=name,
            n_boot=n_boot,
            seed=seed,
        )
        for name, first, second, keys, value in AGREEMENT_SETS
    ]
    if lexicons:
        judged = pd.concat([load_precision_judgements(k, n) for k, n in lexicons])
        judged["in_sense"] = judged["in_sense"].astype(str)
        second = judged[judged["in_sense_second"].notna()].copy()
        second["in_sense"] = second["in_sense_second"].astype(int).astype(str)
        parts.append(
            gold_agreement(
                judged,
                second,
                LEXICON_KEYS,
                "in_sense",
                gold_set="lexicon precision",
                n_boot=n_boot,
                seed=seed,
            )
        )
    return pd.concat(parts, ignore_index=True)


#: Columns of :func:`segmentation_validation` (the compare contract plus identifiers).
SEGMENTATION_SCORE_COLUMNS = ("gold_set", "split", "forms", *ESTIMATE_COLUMNS)


def segmentation_validation(root: str | Path, segmenter, *, ci: float = 0.95) -> pd.DataFrame:
    """Exact-match accuracy of ``segmenter`` (``.segment(word) -> list[str]``) on the
    segmentation gold sets under ``root/data/gold``, with Wilson intervals.

    Rows: the protocol set ``segmentation.tsv`` per split (``dev`` for tuning, ``test`` the
    frozen half: the honest figure), over all forms and over the forms on no list, then the
    first list ``segmentation_v1.tsv`` (dev material: the rules were written from it).
    Columns: :data:`SEGMENTATION_SCORE_COLUMNS`; numerator = forms segmented exactly as the
    gold, denominator = n_units = forms.
    """
    from scipy.stats import binomtest

    gold = Path(root) / "data" / "gold"
    current = _read_tsv(gold / "segmentation.tsv")
    first = _read_tsv(gold / "segmentation_v1.tsv").assign(split="all", listed="")
    rows = []
    for name, table in (("segmentation.tsv", current), ("segmentation_v1.tsv", first)):
        correct = np.array(
            [
                " ".join(segmenter.segment(w)) == s
                for w, s in zip(table["word"], table["segmentation"], strict=True)
            ]
        )
        for split in dict.fromkeys(table["split"]):
            for forms, mask in (
                ("all", table["split"] == split),
                ("on no list", (table["split"] == split) & (table["listed"] == "False")),
            ):
                n = int(mask.sum())
                if n == 0:
                    continue
                k = int(correct[mask.to_numpy()].sum())
                interval = binomtest(k, n).proportion_ci(confidence_level=ci, method="wilson")
                rows.append((name, split, forms, k / n, interval.low, interval.high, n, k, n))
    return pd.DataFrame(rows, columns=list(SEGMENTATION_SCORE_COLUMNS))


# --------------------------------------------------------------------------- event pairs

PAIR_LABELS = ("same", "related", "different")
PAIR_COLUMNS = ("doc_id_a", "doc_id_b", "text_sha256_a", "text_sha256_b", "split", "label")


def event_pair_text(articles: pd.DataFrame) -> pd.Series:
    """What the coder of an event pair read, per article: title | lead | the first 60 words
    of the body (hashed into the gold file's ``text_sha256_a/b``)."""
    body = articles["body"].fillna("").str.split().str[:60].str.join(" ")
    parts = (articles["title"].fillna(""), articles["lead"].fillna(""), body)
    return (parts[0] + " | " + parts[1] + " | " + parts[2]).str.strip()


def load_event_pairs(path: str | Path, articles: pd.DataFrame) -> pd.DataFrame:
    """The event-pair gold set, checked against the loaded ``articles``.

    Every pair must name two articles of ``articles`` whose :func:`event_pair_text` still
    hashes to ``text_sha256_a/b`` and a label in :data:`PAIR_LABELS`; otherwise a ValueError
    lists each failing row and why.  Returns the table as stored (``#`` comments dropped).
    """
    from arabmedia.analysis._agency import sentence_sha

    path = Path(path)
    table = _read_tsv(path)
    missing = [c for c in PAIR_COLUMNS if c not in table.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}")
    by_id = articles.drop_duplicates("doc_id").set_index("doc_id")
    needed = sorted(set(table["doc_id_a"]) | set(table["doc_id_b"]))
    present = [doc for doc in needed if doc in by_id.index]
    hashes = event_pair_text(by_id.loc[present]).map(sentence_sha)
    problems = []
    for number, row in enumerate(table.itertuples(index=False), start=1):
        if row.label not in PAIR_LABELS:
            problems.append(f"row {number}: label {row.label!r} is not one of {PAIR_LABELS}")
        for doc, sha in ((row.doc_id_a, row.text_sha256_a), (row.doc_id_b, row.text_sha256_b)):
            if doc not in hashes.index:
                problems.append(f"row {number}: article {doc} is not in the loaded corpus")
            elif hashes[doc] != sha:
                problems.append(f"row {number}: the text of {doc} changed (hash differs)")
    if problems:
        shown = "\n  ".join(problems[:20])
        raise ValueError(f"{path}: {len(problems)} problem(s):\n  {shown}")
    return table


def score_event_pairs(
    gold: pd.DataFrame,
    same: pd.Series,
    *,
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """Pairwise precision, recall and F1 of ``same`` (bool per gold row: the matcher put both
    articles in one event) against the gold label *same* (related and different are
    negatives).  One row: n_pairs, n_same (gold), n_predicted, then precision, recall, f1 with
    ``_low``/``_high`` bootstrap intervals over pairs (:func:`classification_scores`)."""
    from arabmedia.stats._classification import classification_scores

    truth = gold["label"].eq("same").to_numpy()
    predicted = np.asarray(same, dtype=bool)
    if len(predicted) != len(truth):
        raise ValueError("score_event_pairs: one prediction per gold pair is needed")
    scores = classification_scores(
        pd.Series(truth), pd.Series(predicted), labels=[True, False], n_boot=n_boot, seed=seed
    ).iloc[[0]]
    metrics = [c for c in scores.columns if c not in ("label", "support")]
    row = {"n_pairs": len(truth), "n_same": int(truth.sum()), "n_predicted": int(predicted.sum())}
    return pd.DataFrame([row | scores[metrics].iloc[0].to_dict()])


def choose_pair_threshold(
    similarity: pd.Series, gold: pd.DataFrame, *, minimum: float = 0.0
) -> float:
    """The similarity cut that maximizes the F1 of "similarity >= cut" for the gold label
    *same* over ``gold`` (use the dev half: the cut is then scored on the test half).
    Candidates are the observed similarities of at least ``minimum`` (a floor below which
    the matcher's candidate search does not reach, e.g. MinHash LSH); ties go to the higher
    cut."""
    truth = gold["label"].eq("same").to_numpy()
    values = np.asarray(similarity, dtype=float)
    if len(values) != len(truth) or not truth.any():
        raise ValueError("choose_pair_threshold: one similarity per gold pair and a 'same' pair")
    best, best_f1 = np.inf, -1.0
    for cut in np.unique(values[np.isfinite(values) & (values >= minimum)])[::-1]:
        predicted = values >= cut
        hits = (predicted & truth).sum()
        f1 = 2 * hits / (predicted.sum() + truth.sum())
        if f1 > best_f1:
            best, best_f1 = float(cut), f1
    return best
