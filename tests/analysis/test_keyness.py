"""Fightin' Words and G2 keyness against independent implementations and hand computations."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import math

import numpy as np
import pandas as pd
import pytest
import scipy.sparse
from scipy.stats import power_divergence
from scipy.stats.contingency import expected_freq
from sklearn.feature_extraction.text import CountVectorizer

from arabmedia.analysis import _keyness as keyness

# Two small corpora of term counts (invented), with terms only one side uses.
COUNTS_A = pd.Series({"شهداء": 40, "الاحتلال": 55, "غزه": 80, "المقاومه": 25, "قتلي": 3})
COUNTS_B = pd.Series({"شهداء": 12, "الاحتلال": 20, "غزه": 90, "قتلي": 30, "الرهائن": 9})


def load_fightin_words_module():
    """The installed ``fightin-words`` 1.0.5 module.

    Its folder is named ``fightin-words`` (not importable as ``fightin_words``), so the
    file is loaded from the distribution's file list.  It was written for Python 2: it
    calls ``xrange``, which the test supplies as ``range``.
    """
    files = importlib.metadata.files("fightin_words")
    path = next(f for f in files if f.name == "fightin-words.py").locate()
    spec = importlib.util.spec_from_file_location("fightin_words_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.xrange = range
    return module


class PrecountedVectorizer(CountVectorizer):
    """Hands FWExtractor a fixed two-row count matrix (row 0: corpus a, row 1: corpus b).

    ``FWExtractor.transform(X)`` joins ``X`` into ONE document before counting, so it never
    sees two corpora; with this vectorizer its own arithmetic (the prior, α_0, the loop of
    eqs. 16-22) runs on our two rows.  ``transform`` splits the rows at ``len(X[0])``, so
    the test passes ``X = ["a", "b"]`` (one-character placeholders: row 0 is corpus a).
    """

    def __init__(self, matrix=None, vocabulary_=None):
        super().__init__()
        self.matrix = matrix
        self.vocabulary_ = vocabulary_

    def fit_transform(self, raw_documents, y=None):
        return scipy.sparse.csr_matrix(self.matrix)


def reference_z(counts_a: pd.Series, counts_b: pd.Series, prior) -> pd.Series:
    """z-scores from the ``fightin-words`` package, indexed by term."""
    module = load_fightin_words_module()
    terms = counts_a.index.union(counts_b.index, sort=False)
    matrix = np.vstack(
        [counts_a.reindex(terms, fill_value=0), counts_b.reindex(terms, fill_value=0)]
    )
    vectorizer = PrecountedVectorizer(matrix, {term: i for i, term in enumerate(terms)})
    if isinstance(prior, str):  # "pooled": α_w = count in both corpora, as a list
        prior = [float(v) for v in matrix.sum(axis=0)]
    extractor = module.FWExtractor(prior=prior, cv=vectorizer)
    return pd.Series(dict(extractor.transform(["a", "b"])))


@pytest.mark.parametrize("prior", ["pooled", 0.01, 1.0])
def test_fightin_words_matches_the_fightin_words_package(prior):
    ours = keyness.fightin_words(COUNTS_A, COUNTS_B, prior=prior).set_index("term")["z"]
    reference = reference_z(COUNTS_A, COUNTS_B, prior)
    assert set(ours.index) == set(reference.index)
    # the package computes in float32, so agreement is to about 1e-6, not 1e-12
    np.testing.assert_allclose(ours[reference.index], reference, atol=1e-6, rtol=1e-6)


def test_fightin_words_worked_example_by_hand():
    a = pd.Series({"x": 10, "y": 90})
    b = pd.Series({"x": 30, "y": 70})
    table = keyness.fightin_words(a, b, prior=1.0).set_index("term")
    # uniform α_w = 1, α_0 = 2, n_a = n_b = 100 (Monroe et al. 2008, eqs. 16, 20, 22)
    delta_x = math.log(11 / (100 + 2 - 10 - 1)) - math.log(31 / (100 + 2 - 30 - 1))
    variance_x = 1 / 11 + 1 / 31
    assert table.loc["x", "delta"] == pytest.approx(delta_x, abs=1e-12)
    assert table.loc["x", "variance"] == pytest.approx(variance_x, abs=1e-12)
    assert table.loc["x", "z"] == pytest.approx(delta_x / math.sqrt(variance_x), abs=1e-12)
    assert table.loc["x", "z"] < 0 < table.loc["y", "z"]
    assert table.index.tolist() == ["y", "x"]  # sorted by z descending


def test_fightin_words_background_prior_and_errors():
    background = pd.Series(
        {"شهداء": 5, "الاحتلال": 5, "غزه": 5, "المقاومه": 5, "قتلي": 5, "الرهائن": 5}
    )
    with_background = keyness.fightin_words(COUNTS_A, COUNTS_B, prior=background)
    uniform = keyness.fightin_words(COUNTS_A, COUNTS_B, prior=5.0)
    pd.testing.assert_frame_equal(with_background, uniform)
    with pytest.raises(ValueError, match="no value for terms"):
        keyness.fightin_words(COUNTS_A, COUNTS_B, prior=background.drop("غزه"))
    with pytest.raises(ValueError, match="positive"):
        keyness.fightin_words(COUNTS_A, COUNTS_B, prior=0.0)
    with pytest.raises(ValueError, match="non-negative"):
        keyness.fightin_words(COUNTS_A.mul(-1), COUNTS_B)


def test_g2_matches_scipy_power_divergence():
    table = keyness.log_likelihood(COUNTS_A, COUNTS_B).set_index("term")
    n_a, n_b = COUNTS_A.sum(), COUNTS_B.sum()
    for term, row in table.iterrows():
        a, b = row["count_a"], row["count_b"]
        observed = np.array([[a, b], [n_a - a, n_b - b]], dtype=float)
        statistic, _ = power_divergence(
            observed.ravel(), expected_freq(observed).ravel(), lambda_="log-likelihood"
        )
        assert row["g2"] == pytest.approx(statistic, abs=1e-6), term


def test_g2_worked_example_by_hand():
    a = pd.Series({"x": 10, "y": 90})
    b = pd.Series({"x": 30, "y": 70})
    table = keyness.log_likelihood(a, b).set_index("term")
    # table for x: (10, 30; 90, 70), N = 200, rows 40 / 160, columns 100 / 100,
    # expected (20, 20; 80, 80)
    g2 = 2 * (
        10 * math.log(10 / 20)
        + 30 * math.log(30 / 20)
        + 90 * math.log(90 / 80)
        + 70 * math.log(70 / 80)
    )
    assert table.loc["x", "g2"] == pytest.approx(g2, abs=1e-9)
    # = 2 (-6.931472 + 12.163953 + 10.600474 - 9.347197) = 12.971515
    assert table.loc["x", "g2"] == pytest.approx(12.971515, abs=1e-5)
    assert table.loc["x", "log_ratio"] == pytest.approx(math.log2(0.1 / 0.3))
    assert table.loc["x", "direction"] == "b"
    assert table.loc["x", "per_10k_a"] == pytest.approx(1000)
    # Williams: q = 1 + (200 (1/40 + 1/160) - 1)(200 (1/100 + 1/100) - 1) / (6 * 200)
    q = 1 + (200 * (1 / 40 + 1 / 160) - 1) * (200 * (1 / 100 + 1 / 100) - 1) / 1200
    assert q == pytest.approx(1.013125)
    corrected = keyness.log_likelihood(a, b, williams=True).set_index("term")
    assert corrected.loc["x", "g2"] == pytest.approx(g2 / q, abs=1e-9)


def test_log_ratio_replaces_a_zero_count_by_half():
    table = keyness.log_likelihood(COUNTS_A, COUNTS_B).set_index("term")
    n_a, n_b = COUNTS_A.sum(), COUNTS_B.sum()
    assert table.loc["الرهائن", "count_a"] == 0
    assert table.loc["الرهائن", "log_ratio"] == pytest.approx(math.log2((0.5 / n_a) / (9 / n_b)))
    assert table["p_value"].between(0, 1).all()


def test_group_term_counts_unigrams_and_bigrams():
    tokens = pd.Series(
        [["قوات", "الاحتلال", "،", "غزه"], ["قوات", "الاحتلال"], ["غزه", "غزه"]],
        index=[10, 11, 12],
    )
    groups = pd.Series(["A", "A", "B"], index=[10, 11, 12])
    counts = keyness.group_term_counts(tokens, groups, ngram_range=(1, 2))
    assert counts.loc["قوات الاحتلال"].tolist() == [2, 0]
    assert counts.loc["غزه"].tolist() == [1, 2]
    assert counts.loc["غزه غزه"].tolist() == [0, 1]
    assert "،" not in counts.index  # punctuation dropped before n-grams
    assert "الاحتلال غزه" in counts.index  # the dropped comma no longer separates them
    assert list(counts.columns) == ["A", "B"]
    trimmed = keyness.group_term_counts(tokens, groups, ngram_range=(1, 2), min_count=2)
    assert set(trimmed.index) == {"قوات", "الاحتلال", "قوات الاحتلال", "غزه"}


# ------------------------------------------------------------------ distinctive terms, many groups

BACKGROUND = ["غزه", "الاحتلال", "قال", "اليوم", "الوزير", "المدينه", "الجيش", "مصادر", "بيان"]
LETTERS = "بتثجحخدذرزسشصضطظعغفقكلمن"


def planted(name: str) -> str:
    """The word only documents of group ``name`` (a letter index as text) use."""
    return "سمه" + LETTERS[int(name)]


def planted_corpus(sizes: dict[str, int], seed: int = 0) -> tuple[pd.Series, pd.Series]:
    """Documents of shared background words; each group's documents add its planted word."""
    rng = np.random.default_rng(seed)
    tokens, groups = [], []
    for name, size in sizes.items():
        for _ in range(size):
            doc = list(rng.choice(BACKGROUND, size=12))
            doc.insert(int(rng.integers(0, 12)), planted(name))
            tokens.append(doc)
            groups.append(name)
    index = pd.RangeIndex(100, 100 + len(tokens))
    return pd.Series(tokens, index=index), pd.Series(groups, index=index)


def side(table: pd.DataFrame, comparison: str, outlet: str) -> pd.DataFrame:
    return table[(table["comparison"] == comparison) & (table["outlet"] == outlet)]


def test_distinctive_terms_finds_the_planted_words_of_three_groups():
    tokens, groups = planted_corpus({"0": 30, "1": 40, "2": 40})
    table = keyness.distinctive_terms(
        tokens, groups, pairs=[("0", "2")], n=3, ngram_range=(1, 1), min_count=5
    )
    assert list(table.columns) == keyness.DISTINCTIVE_COLUMNS
    # most documents first, ties by name, then the pair
    assert list(dict.fromkeys(table["comparison"])) == [
        "1 vs rest", "2 vs rest", "0 vs rest", "0 vs 2"
    ]  # fmt: skip
    for name in "012":
        own = side(table, f"{name} vs rest", name)
        assert own["term"].iloc[0] == planted(name)
        assert own["rank"].tolist() == [1, 2, 3][: len(own)]
        assert (own["z"] > 0).all()
        rest = side(table, f"{name} vs rest", keyness.REST)
        assert planted(name) not in set(rest["term"])
        assert set(rest["term"].head(2)) == {planted(o) for o in "012" if o != name}
        assert (rest["z"] < 0).all() and rest["z"].is_monotonic_increasing
    assert side(table, "0 vs 2", "0")["term"].iloc[0] == planted("0")
    assert side(table, "0 vs 2", "2")["term"].iloc[0] == planted("2")
    assert planted("1") not in set(table.loc[table["comparison"] == "0 vs 2", "term"])


def test_distinctive_terms_of_twelve_groups_and_their_numbers():
    sizes = {str(i): 20 + i for i in range(12)}
    tokens, groups = planted_corpus(sizes, seed=3)
    table = keyness.distinctive_terms(tokens, groups, n=5, ngram_range=(1, 1), min_count=5)
    order = list(dict.fromkeys(table["comparison"]))
    assert order == [f"{i} vs rest" for i in range(11, -1, -1)]  # bigger groups first
    for name in sizes:
        assert side(table, f"{name} vs rest", name)["term"].iloc[0] == planted(name)
        others = table[(table["outlet"] != name) & (table["outlet"] != keyness.REST)]
        assert planted(name) not in set(others["term"])
    # the numbers are those of fightin_words and log_likelihood on the counts themselves
    counts = keyness.group_term_counts(tokens, groups)
    a, b = counts["7"], counts.drop(columns="7").sum(axis=1)
    fightin = keyness.fightin_words(a, b).set_index("term")
    g2 = keyness.log_likelihood(a, b, williams=True).set_index("term")
    rows = table[table["comparison"] == "7 vs rest"].set_index("term")
    assert rows["z"].to_numpy() == pytest.approx(fightin.loc[rows.index, "z"].to_numpy())
    assert rows["g2"].to_numpy() == pytest.approx(g2.loc[rows.index, "g2"].to_numpy())
    assert rows["log_ratio"].to_numpy() == pytest.approx(g2.loc[rows.index, "log_ratio"])
    assert (rows["count_a"] == a[rows.index]).all() and (rows["count_b"] == b[rows.index]).all()
    # a study order replaces the size order
    study = [str(i) for i in range(12)]
    ordered = keyness.distinctive_terms(
        tokens, groups, order=study, n=5, ngram_range=(1, 1), min_count=5
    )
    assert list(dict.fromkeys(ordered["comparison"])) == [f"{i} vs rest" for i in study]


def test_two_groups_a_vs_rest_equals_a_vs_b():
    tokens, groups = planted_corpus({"0": 25, "1": 30}, seed=5)
    table = keyness.distinctive_terms(tokens, groups, pairs=[("0", "1")], n=4, min_count=3)
    numbers = ["term", "count_a", "count_b", "z", "g2", "log_ratio", "rank"]
    rest = table[table["comparison"] == "0 vs rest"]
    pair = table[table["comparison"] == "0 vs 1"]
    assert len(rest) == 8
    pd.testing.assert_frame_equal(
        rest[numbers].reset_index(drop=True), pair[numbers].reset_index(drop=True)
    )
    assert rest["outlet"].tolist() == ["0"] * 4 + [keyness.REST] * 4
    assert pair["outlet"].tolist() == ["0"] * 4 + ["1"] * 4
    # bigrams are counted too (default ngram_range (1, 2))
    assert table["term"].str.contains(" ").any()


def test_distinctive_terms_surface_forms_and_min_count():
    tokens = pd.Series(
        [["الخارجيه", "الي", "غزه"]] * 6 + [["الحرب", "الي", "غزه"]] * 6 + [["نادر"]]
    )
    groups = pd.Series(["A"] * 6 + ["B"] * 7)
    display = {"الخارجيه": "الخارجية", "الي": "إلى", "غزه": "غزة"}
    table = keyness.distinctive_terms(tokens, groups, n=2, min_count=3, display=display)
    a_side = side(table, "A vs rest", "A").set_index("term")
    assert a_side.loc["الخارجيه", "surface"] == "الخارجية"
    assert a_side.loc["الخارجيه الي", "surface"] == "الخارجية إلى"
    assert side(table, "A vs rest", keyness.REST)["surface"].iloc[0] == "الحرب"  # no form
    assert "نادر" not in set(table["term"])  # counted once, below min_count


def test_distinctive_terms_errors_name_the_group():
    tokens = pd.Series([["غزه", "قال"], ["الجيش", "قال"], ["،", "."]])
    groups = pd.Series(["A", "B", "C"])
    with pytest.raises(ValueError, match=r"\['C'\] have no tokens"):
        keyness.distinctive_terms(tokens, groups, min_count=1)
    with pytest.raises(ValueError, match="at least two groups"):
        keyness.distinctive_terms(tokens[:1], groups[:1], min_count=1)
    two, labels = tokens[:2], groups[:2]
    with pytest.raises(ValueError, match=r"unknown groups \['Z'\]"):
        keyness.distinctive_terms(two, labels, pairs=[("A", "Z")], min_count=1)
    with pytest.raises(ValueError, match="with itself"):
        keyness.distinctive_terms(two, labels, pairs=[("A", "A")], min_count=1)
    with pytest.raises(ValueError, match=r"missing \['B'\]"):
        keyness.distinctive_terms(two, labels, order=["A"], min_count=1)
    with pytest.raises(ValueError, match="rename that group"):
        keyness.distinctive_terms(two, pd.Series(["A", "rest"]), min_count=1)
    with pytest.raises(ValueError, match="no group label"):
        keyness.distinctive_terms(two, pd.Series(["A", None]), min_count=1)
    with pytest.raises(ValueError, match=r"'A vs rest'.*min_count"):
        keyness.distinctive_terms(two, labels, min_count=3)
