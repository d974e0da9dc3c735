"""Fightin' Words and G2 keyness against independent implementations and hand computations."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import math

import numpy as np
import pandas as pd
import pypdf
import pytest
import scipy.sparse
from scipy.stats import power_divergence
from scipy.stats.contingency import expected_freq
from sklearn.feature_extraction.text import CountVectorizer

from arabmedia.analysis import _keyness as keyness
from arabmedia.plot import export_figure, keyness_plot

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


def test_top_terms_each_side():
    table = keyness.fightin_words(COUNTS_A, COUNTS_B)
    top = keyness.top_terms_each_side(table, "z", n=2)
    assert top["side"].tolist() == ["a", "a", "b", "b"]
    assert top["term"].iloc[0] == table["term"].iloc[0]
    assert top["term"].iloc[2] == table["term"].iloc[-1]


def test_top_terms_each_side_records_which_group_is_which_side():
    # the order of the groups decides the sides; the table says so itself
    swapped = keyness.fightin_words(COUNTS_B, COUNTS_A)
    top = keyness.top_terms_each_side(swapped, "z", n=2, names=("Mayadeen", "Jazeera"))
    assert top.columns[0] == "outlet"
    assert dict(zip(top["side"], top["outlet"], strict=True)) == {"a": "Mayadeen", "b": "Jazeera"}
    straight = keyness.fightin_words(COUNTS_A, COUNTS_B)
    top_straight = keyness.top_terms_each_side(straight, "z", n=2, names=("Jazeera", "Mayadeen"))
    first = top_straight.set_index("term")["outlet"]
    assert (top.set_index("term")["outlet"].reindex(first.index) == first).all()


def test_keyness_plot_pdf_has_arabic_labels_in_logical_order(tmp_path):
    table = keyness.fightin_words(COUNTS_A, COUNTS_B)
    table["frequency"] = table["count_a"] + table["count_b"]
    fig, _ = keyness_plot(
        table, "term", "frequency", "z", names=("Al Jazeera", "Al Mayadeen"), n_labels=2
    )
    pdf_path, _ = export_figure(fig, "keyness", figures_dir=tmp_path)
    text = pypdf.PdfReader(pdf_path).pages[0].extract_text()
    labelled = [*table["term"].head(2), *table["term"].tail(2)]
    for word in labelled:
        assert word in text
        assert word[::-1] not in text
    assert "Al Jazeera" in text and "Al Mayadeen" in text


def test_keyness_plot_rejects_bad_input():
    table = pd.DataFrame({"term": ["غزه"], "frequency": [0], "z": [1.0]})
    with pytest.raises(ValueError, match="positive"):
        keyness_plot(table, "term", "frequency", "z", names=("a", "b"))
    with pytest.raises(ValueError, match="two different"):
        keyness_plot(table.assign(frequency=1), "term", "frequency", "z", names=("a", "a"))


def test_distinctive_terms_compose_the_two_measures():
    tokens = pd.Series(
        [["غزه", "شهداء", "شهداء"], ["غزه", "الاحتلال"], ["غزه", "قتلي"], ["قتلي", "الرهائن"]]
    )
    groups = pd.Series(["A", "A", "B", "B"])
    fightin, fightin_top, g2_top = keyness.distinctive_terms(tokens, groups, ("A", "B"), n=2)
    counts = keyness.group_term_counts(tokens, groups)
    direct = keyness.fightin_words(counts["A"], counts["B"])
    pd.testing.assert_frame_equal(fightin.drop(columns="frequency"), direct)
    # شهداء: 2 in A, 0 in B
    assert fightin.set_index("term").loc["شهداء", "frequency"] == 2
    assert fightin_top["outlet"].tolist() == ["A", "A", "B", "B"]
    assert fightin_top["term"].iloc[0] == "شهداء" and fightin_top["term"].iloc[2] == "قتلي"
    g2 = keyness.log_likelihood(counts["A"], counts["B"], williams=True)
    expected = pd.concat([g2[g2["direction"] == s].head(2) for s in "ab"], ignore_index=True)
    pd.testing.assert_frame_equal(g2_top.drop(columns="outlet"), expected)
    assert g2_top["outlet"].tolist() == ["A" if d == "a" else "B" for d in g2_top["direction"]]
