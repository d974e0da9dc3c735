"""Sample corpus sentences for hand labelling (agency or attribution gold sets).

Writes two files:

* ``--references`` (in the repository): the reference-only TSV (doc_id, sentence_index, field,
  sentence_sha256, stratum, split, and empty label columns) - no corpus text;
* ``--view`` (must be OUTSIDE the repository): the same rows with the sentence text, for the
  person labelling.  The corpora are other people's text and never enter the repository.

Sampling is stratified by outlet (Al Mayadeen bodies, Al Jazeera titles and leads) and by a
deliberately broad candidate filter written here, independent of the classifiers, so that every
class and the hard cases are represented; it is seeded, and each stratum is split in half into
``dev`` (for tuning rules) and ``test`` (held out for the reported figures).

    .venv/bin/python tools/label_sentences.py agency --references data/gold/agency_sentences.tsv \
        --view /tmp/agency_view.tsv
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from arabmedia.analysis import article_sentences, sentence_sha
from arabmedia.config import load_settings
from arabmedia.corpus import load_articles

SEED = 20240501
MIN_TOKENS, MAX_TOKENS = 4, 80
PREFIX = r"(?:^|\s)(?:و|ف)?(?:ب|ل|ك)?(?:ال)?"
CASUALTY_CUE = re.compile(
    PREFIX + r"(?:استشهد|شهيد|شهدا|ارتق|قتل|قتيل|مقتل|مصرع|حتف|ضحاي|ضحيه|جرح|جريح|اصيب|اصاب"
    r"|مصاب|اغتيال|اغتال|توفي|وفاه)"
)
HARD_CUE = re.compile(
    PREFIX + r"(?:احتلال|اسرائيل|صهيون|جيش|قوات|مستوطن|مقاومه|حماس|قسام|حزب|غاره|غارات|قصف"
    r"|رصاص|نيران|انفجار|صاروخ|مسير|عدوان|حرب|قال|قالت|اعلن|اعلنت|بحسب|وفق|جندي|جنود|ضابط)"
)
LOOKALIKE_CUE = re.compile(
    PREFIX + r"(?:قتال|غاره|غارات|قصف|انفجار|اشتباك|مجزره|ابا?ده|شهداء الاقصي|مستشفي)"
)
ATTRIBUTION_CUE = re.compile(
    PREFIX + r"(?:قال|قالت|اكد|اكدت|اعلن|اعلنت|افاد|افادت|اشار|اشارت|اضاف|اضافت|صرح|بحسب|حسب"
    r"|وفق|وفقا|نقلا|ذكر|ذكرت)(?=\s|$)"
)
AGENCY_QUOTAS = {"casualty": 45, "casualty_hard": 45, "lookalike": 20, "other": 20}
ATTRIBUTION_QUOTAS = {"attribution": 35}


def candidate_sentences(settings) -> pd.DataFrame:
    """Al Mayadeen body sentences and Al Jazeera title/lead sentences with their text."""
    articles = load_articles(settings)
    mayadeen = article_sentences(articles[articles["outlet"] == "Al Mayadeen"], ["body"])
    jazeera = article_sentences(articles[articles["outlet"] == "Al Jazeera"], ["title", "lead"])
    sentences = pd.concat([mayadeen, jazeera], ignore_index=True)
    length = sentences["tokens"].map(len)
    sentences = sentences[(length >= MIN_TOKENS) & (length <= MAX_TOKENS)].copy()
    sentences["normalized"] = sentences["tokens"].map(" ".join)
    return sentences.drop_duplicates("normalized").reset_index(drop=True)


def agency_stratum(normalized: str) -> str:
    """Which sampling stratum a normalized sentence falls in (broad cues, not the classifier)."""
    if CASUALTY_CUE.search(normalized):
        return "casualty_hard" if HARD_CUE.search(normalized) else "casualty"
    return "lookalike" if LOOKALIKE_CUE.search(normalized) else "other"


def attribution_stratum(normalized: str) -> str:
    """``attribution`` when a speech verb or attribution marker appears, else ``other``."""
    return "attribution" if ATTRIBUTION_CUE.search(normalized) else "other"


def sample(sentences: pd.DataFrame, task: str, exclude: set[tuple]) -> pd.DataFrame:
    """Seeded stratified sample; each stratum is split alternately into dev and test."""
    stratum_of, quotas = (
        (agency_stratum, AGENCY_QUOTAS)
        if task == "agency"
        else (attribution_stratum, ATTRIBUTION_QUOTAS)
    )
    sentences = sentences.assign(stratum=sentences["normalized"].map(stratum_of))
    keys = list(
        zip(sentences["doc_id"], sentences["field"], sentences["sentence_index"], strict=True)
    )
    sentences = sentences[[key not in exclude for key in keys]]
    rng = np.random.default_rng(SEED if task == "agency" else SEED + 1)
    parts = []
    for outlet in sorted(sentences["outlet"].unique()):
        for stratum, quota in quotas.items():
            pool = sentences[(sentences["outlet"] == outlet) & (sentences["stratum"] == stratum)]
            chosen = pool.iloc[np.sort(rng.permutation(len(pool))[:quota])].copy()
            order = rng.permutation(len(chosen))
            chosen["split"] = np.where(order % 2 == 0, "dev", "test")
            parts.append(chosen)
    return pd.concat(parts, ignore_index=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("task", choices=["agency", "attribution"])
    parser.add_argument("--references", type=Path, required=True)
    parser.add_argument("--view", type=Path, required=True)
    parser.add_argument(
        "--exclude", type=Path, help="reference TSV whose sentences must not be drawn again"
    )
    args = parser.parse_args(argv)
    settings = load_settings()
    if args.view.resolve().is_relative_to(settings.root):
        parser.error("--view holds corpus text and must be outside the repository")
    exclude = set()
    if args.exclude:
        done = pd.read_csv(args.exclude, sep="\t", comment="#", dtype=str)
        exclude = set(
            zip(done["doc_id"], done["field"], done["sentence_index"].astype(int), strict=True)
        )
    chosen = sample(candidate_sentences(settings), args.task, exclude)
    chosen["sentence_sha256"] = chosen["text"].map(sentence_sha)
    labels = (
        ["label", "note"]
        if args.task == "agency"
        else ["marker_index", "actor_start", "actor_end", "actor_type", "note"]
    )
    for column in labels:
        chosen[column] = ""
    columns = ["doc_id", "sentence_index", "field", "sentence_sha256", "stratum", "split", *labels]
    chosen[columns].to_csv(args.references, sep="\t", index=False, lineterminator="\n")
    chosen[[*columns, "text"]].to_csv(args.view, sep="\t", index=False, lineterminator="\n")
    print(f"{len(chosen)} sentences: {args.references} (references), {args.view} (text)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
