"""Draw the samples of the blind gold sets (protocol: data/gold/README.md).

Each subcommand writes two files:

* ``--references`` (in the repository): reference-only rows (ids, positions, hashes, stratum,
  split and empty label columns) - never corpus text;
* ``--view`` (must be OUTSIDE the repository): the same rows with the text the coder reads.

Subcommands (all seeded; rerunning gives the same sample):

* ``agency`` - sentences for the casualty-agency codebook, stratified by outlet, period
  (the study's break date) and a broad cue filter written here, independent of the
  classifier, with a hard-negative stratum (casualty words in other senses);
* ``attribution`` - sentences with a speech verb or attribution marker;
* ``segmentation`` - word types by frequency band, mostly forms on no list;
* ``lexicon`` - a sample of the hits of every frame indicator and term variant, as KWIC;
* ``pairs`` - cross-outlet article pairs within a date window, from the default study and a
  newscred2013 subset, stratified by a TF-IDF similarity computed here (independent of the
  event matcher), for the same / related / different codebook.

Every sample is split at random within its strata into ``dev`` and ``test`` halves before
anyone labels it.  Example::

    .venv/bin/python tools/sample_gold.py agency --references data/gold/agency_sentences.tsv \
        --view /tmp/agency_view.tsv --exclude data/gold/agency_sentences_v1.tsv
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd

from arabmedia import corpus as corpus_module
from arabmedia.analysis import article_sentences, event_pair_text, kwic, sentence_sha
from arabmedia.analysis._framing import find_frames
from arabmedia.analysis._terminology import find_terms
from arabmedia.config import load_settings
from arabmedia.corpus import load_articles
from arabmedia.lexicons import load_frames, load_protected_words, load_term_sets
from arabmedia.text import article_tokens

SEED = 20261201
MIN_TOKENS, MAX_TOKENS = 4, 80
PREFIX = r"(?:^|\s)(?:و|ف)?(?:ب|ل|ك)?(?:ال)?"
CASUALTY_CUE = re.compile(
    PREFIX + r"(?:استشهد|شهيد|شهدا|ارتق|قتل|قتيل|مقتل|مصرع|حتف|ضحاي|ضحيه|جرح|جريح|اصيب|اصاب"
    r"|مصاب|اغتيال|اغتال|توفي|وفاه|اعدم|اعدام|تصف|يصيب|يقتل|تقتل)"
)
HARD_CUE = re.compile(
    PREFIX + r"(?:احتلال|اسرائيل|صهيون|جيش|قوات|مستوطن|مقاومه|حماس|قسام|حزب|غاره|غارات|قصف"
    r"|رصاص|نيران|انفجار|صاروخ|مسير|عدوان|حرب|قال|قالت|اعلن|اعلنت|بحسب|وفق|جندي|جنود|ضابط)"
)
# Casualty words in other senses: negation, citing, commemoration, threats, hypotheticals,
# moral commandments, sport, names.
SENSE_CUE = re.compile(
    PREFIX + r"(?:دون|بدون|لا|لم|عدم|ذكري|ذكرى|احياء|تابين|هدد|يهدد|تهدد|تهديد|توعد|لو|اذا|ان"
    r"|سوف|سي|خطه|محاوله|حرم|يحرم|دعا|يدعو|مباراه|منتخب|لاعب|اصابه|اصابات|كتائب|ساحه|شارع"
    r"|مستشفي|ميدان|مسجد|جامعه|مدرسه|مقبره|استشهد ب)(?=\s|$)"
)
LOOKALIKE_CUE = re.compile(
    PREFIX + r"(?:قتال|غاره|غارات|قصف|انفجار|اشتباك|مجزره|ابا?ده|شهداء الاقصي|مستشفي|عمليه)"
)
ATTRIBUTION_CUE = re.compile(
    PREFIX + r"(?:قال|قالت|اكد|اكدت|اعلن|اعلنت|افاد|افادت|اشار|اشارت|اضاف|اضافت|صرح|بحسب|حسب"
    r"|وفق|وفقا|نقلا|ذكر|ذكرت)(?=\s|$)"
)
# Per outlet: casualty 70, hard casualty 90, other senses 40, look-alikes 25, other 15.
AGENCY_QUOTAS = {"casualty": 70, "casualty_hard": 90, "sense": 40, "lookalike": 25, "other": 15}
ATTRIBUTION_QUOTAS = {"attribution": 35}
BEFORE_SHARE = 0.25  # of each outlet's quota drawn before the break date
# Segmentation frequency bands (rank ranges of the vocabulary) and forms per band.
BANDS = ((1, 2_000), (2_001, 10_000), (10_001, 40_000), (40_001, 150_000), (150_001, None))
FORMS_PER_BAND = 100
LISTED_SHARE = 0.2  # forms per band that may be on a list (the rest are on none)
HITS_PER_ITEM = 10
KWIC_WINDOW = 8


def _split(n: int, rng: np.random.Generator) -> np.ndarray:
    """Random dev/test halves of n rows (dev gets the odd one)."""
    order = rng.permutation(n)
    return np.where(order % 2 == 0, "dev", "test")


def candidate_sentences(settings) -> pd.DataFrame:
    """Sentences of every text field of the study's articles, 4-80 tokens, unique text."""
    articles = load_articles(settings)
    fields = [f for f in ("title", "lead", "body") if f in articles.columns]
    parts = []
    for _outlet, group in articles.groupby("outlet", sort=True):
        present = [f for f in fields if group[f].fillna("").str.len().gt(0).any()]
        parts.append(article_sentences(group, present))
    sentences = pd.concat(parts, ignore_index=True)
    length = sentences["tokens"].map(len)
    sentences = sentences[(length >= MIN_TOKENS) & (length <= MAX_TOKENS)].copy()
    sentences["normalized"] = sentences["tokens"].map(" ".join)
    dates = articles.drop_duplicates("doc_id").set_index("doc_id")["date"]
    break_date = pd.Timestamp(settings.compare.break_date)
    sentence_dates = pd.to_datetime(sentences["doc_id"].map(dates), utc=True).dt.tz_localize(None)
    sentences["period"] = np.where(sentence_dates < break_date, "before", "after")
    sentences = sentences[sentence_dates.notna().to_numpy()]
    return sentences.drop_duplicates("normalized").reset_index(drop=True)


def agency_stratum(normalized: str) -> str:
    """Sampling stratum of a normalized sentence (broad cues, not the classifier)."""
    if CASUALTY_CUE.search(normalized):
        if SENSE_CUE.search(normalized):
            return "sense"
        return "casualty_hard" if HARD_CUE.search(normalized) else "casualty"
    return "lookalike" if LOOKALIKE_CUE.search(normalized) else "other"


def attribution_stratum(normalized: str) -> str:
    """``attribution`` when a speech verb or attribution marker appears, else ``other``."""
    return "attribution" if ATTRIBUTION_CUE.search(normalized) else "other"


def sample_sentences(
    sentences: pd.DataFrame, task: str, exclude: set[tuple], seed: int = SEED
) -> pd.DataFrame:
    """Seeded sample stratified by outlet, period and cue stratum, split into halves."""
    stratum_of, quotas = (
        (agency_stratum, AGENCY_QUOTAS)
        if task == "agency"
        else (attribution_stratum, ATTRIBUTION_QUOTAS)
    )
    sentences = sentences.assign(stratum=sentences["normalized"].map(stratum_of))
    keys = zip(sentences["doc_id"], sentences["field"], sentences["sentence_index"], strict=True)
    sentences = sentences[[key not in exclude for key in keys]]
    rng = np.random.default_rng(seed + (0 if task == "agency" else 1))
    parts = []
    for outlet in sorted(sentences["outlet"].unique()):
        for stratum, quota in quotas.items():
            pools = {
                period: sentences[
                    (sentences["outlet"] == outlet)
                    & (sentences["stratum"] == stratum)
                    & (sentences["period"] == period)
                ]
                for period in ("before", "after")
            }
            before = min(round(quota * BEFORE_SHARE), len(pools["before"]))
            for period, n in (("before", before), ("after", quota - before)):
                pool = pools[period]  # an outlet without a "before" period gets all "after"
                chosen = pool.iloc[np.sort(rng.permutation(len(pool))[:n])].copy()
                chosen["split"] = _split(len(chosen), rng)
                parts.append(chosen)
    return pd.concat(parts, ignore_index=True)


def sentences_command(args, settings) -> pd.DataFrame:
    exclude = set()
    for path in args.exclude or []:
        done = pd.read_csv(path, sep="\t", comment="#", dtype=str)
        exclude |= set(
            zip(done["doc_id"], done["field"], done["sentence_index"].astype(int), strict=True)
        )
    chosen = sample_sentences(candidate_sentences(settings), args.command, exclude, args.seed)
    chosen["sentence_sha256"] = chosen["text"].map(sentence_sha)
    labels = (
        ["label", "note"]
        if args.command == "agency"
        else ["marker_index", "actor_start", "actor_end", "actor_type", "note"]
    )
    for column in labels:
        chosen[column] = ""
    columns = ["doc_id", "sentence_index", "field", "sentence_sha256", "outlet", "period"]
    columns += ["stratum", "split", *labels]
    chosen[columns].to_csv(args.references, sep="\t", index=False, lineterminator="\n")
    return chosen[[*columns, "text"]]


def segmentation_command(args, settings) -> pd.DataFrame:
    """Word types by frequency band; most on no list (protected words, old gold, lexicons)."""
    articles = load_articles(settings)
    fields = [f for f in ("title", "lead", "body") if f in articles.columns]
    tokens = article_tokens(articles, fields, settings)
    counts = pd.Series([t for doc in tokens for t in doc]).value_counts()
    counts = counts[counts.index.str.fullmatch(r"[\u0621-\u064a]{2,}")]
    counts = counts.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
    listed = set(load_protected_words().all)
    for path in args.exclude or []:
        listed |= set(pd.read_csv(path, sep="\t", comment="#", dtype=str)["word"])
    terms = load_term_sets("gaza_war")
    listed |= {f[0] for c in terms.concepts for v in c.variants for f in v.forms if len(f) == 1}
    rng = np.random.default_rng(SEED + 2)
    rows = []
    for low, high in BANDS:
        band = counts.iloc[low - 1 : high]
        on_list = band.index.isin(list(listed))
        n_listed = round(FORMS_PER_BAND * LISTED_SHARE)
        for flag, n in ((True, n_listed), (False, FORMS_PER_BAND - n_listed)):
            pool = band[on_list == flag]
            picked = pool.iloc[np.sort(rng.permutation(len(pool))[:n])]
            split = _split(len(picked), rng)
            for (word, count), half in zip(picked.items(), split, strict=True):
                band_name = f"{low}-{high or 'end'}"
                rows.append((word, int(count), band_name, bool(flag), half))
    columns = ["word", "count", "band", "listed", "split"]
    chosen = pd.DataFrame(rows, columns=columns).assign(segmentation="", note="")
    chosen.to_csv(args.references, sep="\t", index=False, lineterminator="\n")
    return chosen


def lexicon_command(args, settings) -> pd.DataFrame:
    """KWIC of a seeded sample of each indicator's (term variant's) hits, round robin over
    the (outlet, field) strata so each sample shows several contexts."""
    articles = load_articles(settings).reset_index(drop=True)
    rng = np.random.default_rng(SEED + 3)
    hits = []
    for field in [f for f in ("title", "lead", "body") if f in articles.columns]:
        tokens = article_tokens(articles, [field], settings)
        texts = articles[field].fillna("").astype(str)
        for name in args.frames:
            found = find_frames(tokens, load_frames(name))
            matches = pd.DataFrame(
                {
                    "doc": found["row"],
                    "concept": found["frame"],
                    "variant": found["indicator"],
                    "position": found["start"],
                    "length": found["end"] - found["start"],
                    "form": found["form"],
                }
            )
            hits.append(_kwic_rows(articles, field, texts, tokens, matches, f"frames/{name}"))
        for name in args.terms:
            found = find_terms(tokens, load_term_sets(name))
            matches = found[["doc", "concept", "variant", "position", "length", "form"]]
            hits.append(_kwic_rows(articles, field, texts, tokens, matches, f"terms/{name}"))
    hits = pd.concat(hits, ignore_index=True)
    if args.only:
        wanted = {tuple(entry.split(":", 1)) for entry in args.only}
        hits = hits[[key in wanted for key in zip(hits["concept"], hits["variant"], strict=True)]]
    picked = []
    for _key, group in hits.groupby(["lexicon", "concept", "variant"], sort=True):
        strata = [g.iloc[rng.permutation(len(g))] for _, g in group.groupby(["outlet", "field"])]
        order = [s.iloc[i] for i in range(max(map(len, strata))) for s in strata if i < len(s)]
        chosen = pd.DataFrame(order[:HITS_PER_ITEM])
        chosen["hits"] = len(group)
        chosen["split"] = _split(len(chosen), rng)
        picked.append(chosen)
    chosen = pd.concat(picked, ignore_index=True)
    chosen = chosen.assign(in_sense="", note="")
    columns = ["lexicon", "concept", "variant", "form", "doc_id", "field", "position", "length"]
    columns += ["window_sha256", "hits", "split", "in_sense", "note"]
    chosen[columns].to_csv(args.references, sep="\t", index=False, lineterminator="\n")
    return chosen[[*columns, "outlet", "left", "match", "right"]]


PAIR_WINDOW_DAYS = 1
PAIR_BINS = ((0.0, 0.1), (0.1, 0.2), (0.2, 0.35), (0.35, 0.55), (0.55, 1.01))
PAIRS_PER_BIN = 32  # per corpus and similarity bin
RANDOM_PAIRS = 15  # per corpus: random cross-outlet pairs in the window (mostly different)
NEWSCRED_FILES = (
    "Alahram.Newspaper.jsonl",
    "bbcarabicnews.jsonl",
    "cnnarabic.jsonl",
    "almasryalyoum.jsonl",
    "Tahrir.News.Official.jsonl",
    "El.Dostor.News.jsonl",
    "masrawy.jsonl",
)
NEWSCRED_MAPPING = {
    "doc_id": "id",
    "outlet": "outlet_name",
    "title": "title",
    "body": "body",
    "published": "published",
}


def newscred_articles(settings) -> pd.DataFrame:
    """The seven newscred2013 outlets the pair gold set draws from."""
    from arabmedia.corpus import read_files

    folder = settings.mirror / "newscred2013"
    paths = [folder / name for name in NEWSCRED_FILES]
    articles = read_files(
        paths, "generic", corpus="newscred2013", mapping=NEWSCRED_MAPPING
    ).articles
    # ids and outlets as the manifest corpus (load_corpora) names them: file#record, file stem
    files = articles["source_file"].map(lambda path: Path(path).name)
    articles["doc_id"] = "newscred2013:" + files + "#" + articles["source_record"].astype(str)
    articles["outlet"] = files.str.removesuffix(".jsonl")
    return articles


def candidate_pairs(articles: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Cross-outlet pairs within the window: each article's 5 most similar (TF-IDF of word
    1-2-grams of normalized tokens, cosine) plus random pairs, with their similarity."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    from arabmedia.text import tokenize_many

    articles = articles[articles["date"].notna()].reset_index(drop=True)
    docs = [" ".join(t) for t in tokenize_many(event_pair_text(articles).tolist())]
    matrix = TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True).fit_transform(docs)
    days = articles["date"].dt.normalize()
    outlets = articles["outlet"].to_numpy()
    rows = set()
    for day in sorted(days.unique()):
        here = np.flatnonzero(days == day)
        near = np.flatnonzero((days - day).abs() <= pd.Timedelta(days=PAIR_WINDOW_DAYS))
        sims = (matrix[here] @ matrix[near].T).toarray()
        for row, i in enumerate(here):
            other = outlets[near] != outlets[i]
            order = np.argsort(-np.where(other, sims[row], -1), kind="stable")[:5]
            rows |= {
                tuple(sorted((i, int(near[j])))) for j in order if other[j] and sims[row, j] > 0
            }
        for _ in range(3):
            i, j = int(rng.choice(here)), int(rng.choice(near))
            if outlets[i] != outlets[j]:
                rows.add(tuple(sorted((i, j))))
    pairs = pd.DataFrame(sorted(rows), columns=["a", "b"])
    pairs["similarity"] = np.asarray(
        matrix[pairs["a"]].multiply(matrix[pairs["b"]]).sum(axis=1)
    ).ravel()
    for side in ("a", "b"):
        pairs[f"doc_id_{side}"] = articles.loc[pairs[side], "doc_id"].to_numpy()
        pairs[f"outlet_{side}"] = articles.loc[pairs[side], "outlet"].to_numpy()
        pairs[f"date_{side}"] = articles.loc[pairs[side], "date"].dt.date.astype(str).to_numpy()
        pairs[f"text_{side}"] = event_pair_text(articles).loc[pairs[side]].to_numpy()
    return pairs


def pairs_command(args, settings) -> pd.DataFrame:
    """Per corpus: PAIRS_PER_BIN pairs in each similarity bin and RANDOM_PAIRS random pairs."""
    from arabmedia.analysis import sentence_sha

    rng = np.random.default_rng(SEED + 4)
    study = corpus_module.compared_articles(load_articles(settings), settings)
    parts = []
    for name, articles in (("default", study), ("newscred2013", newscred_articles(settings))):
        pairs = candidate_pairs(articles, rng)
        for low, high in PAIR_BINS:
            pool = pairs[(pairs["similarity"] >= low) & (pairs["similarity"] < high)]
            chosen = pool.iloc[np.sort(rng.permutation(len(pool))[:PAIRS_PER_BIN])]
            parts.append(chosen.assign(source=name, stratum=f"sim {low:.2f}-{min(high, 1):.2f}"))
        random = pairs.iloc[np.sort(rng.permutation(len(pairs))[:RANDOM_PAIRS])]
        parts.append(random.assign(source=name, stratum="random"))
    chosen = pd.concat(parts, ignore_index=True).drop_duplicates(["doc_id_a", "doc_id_b"])
    chosen = chosen.reset_index(drop=True)
    chosen["split"] = ""
    for _key, group in chosen.groupby(["source", "stratum"], sort=True):
        chosen.loc[group.index, "split"] = _split(len(group), rng)
    for side in ("a", "b"):
        chosen[f"text_sha256_{side}"] = chosen[f"text_{side}"].map(sentence_sha)
    chosen = chosen.assign(label="", note="")
    columns = ["source", "doc_id_a", "doc_id_b", "text_sha256_a", "text_sha256_b", "outlet_a"]
    columns += ["outlet_b", "date_a", "date_b", "stratum", "split", "label", "note"]
    chosen[columns].to_csv(args.references, sep="\t", index=False, lineterminator="\n")
    return chosen[[*columns, "similarity", "text_a", "text_b"]]


def _kwic_rows(articles, field, texts, tokens, matches, lexicon) -> pd.DataFrame:
    lines = kwic(texts, tokens, matches, window=KWIC_WINDOW)
    lines["doc_id"] = articles.loc[lines["doc"], "doc_id"].to_numpy()
    lines["outlet"] = articles.loc[lines["doc"], "outlet"].to_numpy()
    lines["field"] = field
    lines["lexicon"] = lexicon
    lines["length"] = (
        matches.set_index(["doc", "position", "variant"])
        .loc[list(zip(lines["doc"], lines["position"], lines["variant"], strict=True)), "length"]
        .to_numpy()
    )
    window = lines["left"] + " [" + lines["match"] + "] " + lines["right"]
    lines["window_sha256"] = window.map(lambda t: hashlib.sha256(t.encode()).hexdigest()[:16])
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "command", choices=["agency", "attribution", "segmentation", "lexicon", "pairs"]
    )
    parser.add_argument("--references", type=Path, required=True)
    parser.add_argument("--view", type=Path, required=True)
    parser.add_argument("--exclude", type=Path, nargs="*", help="earlier gold files to avoid")
    parser.add_argument(
        "--seed", type=int, default=SEED, help="sentence sets: a new seed for each new set"
    )
    parser.add_argument(
        "--frames", nargs="*", default=["generic", "war", "journalism", "loaded_language"]
    )
    parser.add_argument("--terms", nargs="*", default=["gaza_war"])
    parser.add_argument(
        "--only", nargs="*", help="lexicon: sample only these item:indicator entries (a new round)"
    )
    args = parser.parse_args(argv)
    settings = load_settings()
    if args.view.resolve().is_relative_to(settings.root):
        parser.error("--view holds corpus text and must be outside the repository")
    command = {
        "agency": sentences_command,
        "attribution": sentences_command,
        "segmentation": segmentation_command,
        "lexicon": lexicon_command,
        "pairs": pairs_command,
    }[args.command]
    view = command(args, settings)
    view.to_csv(args.view, sep="\t", index=False, lineterminator="\n")
    print(f"{len(view)} rows: {args.references} (references), {args.view} (text)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
