"""Topic models: document-term matrix, diagnostics (NPMI against gensim), labels, prevalence."""

import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pypdf
import pytest

from arabmedia import analysis as topics
from arabmedia.plot import export_figure, facet_time_series, metric_panels, term_panels
from arabmedia.text import make_vectorizer

# Three planted themes with disjoint vocabularies (made-up documents, not corpus text).
THEMES = [
    ["قصف", "غاره", "صاروخ", "طائره", "دمار", "ملجا"],
    ["انتخاب", "برلمان", "حزب", "مرشح", "صندوق", "حكومه"],
    ["دولار", "بنك", "اسعار", "تضخم", "سوق", "نفط"],
]


def planted_documents(n_per_theme: int = 30, seed: int = 0) -> list[list[str]]:
    """Documents that each draw 12 words from one theme's vocabulary, themes interleaved."""
    rng = np.random.default_rng(seed)
    documents = []
    for _ in range(n_per_theme):
        for theme in THEMES:
            documents.append(list(rng.choice(theme, size=12)))
    return documents


def planted_corpus() -> topics.TopicCorpus:
    documents = planted_documents()
    term_map = {token: token for document in documents for token in document}
    return topics.build_topic_corpus(documents, term_map, min_df=1, max_df=1.0)


class FakeSegmenter:
    """Strips a leading و and ال; counts calls so caching can be observed."""

    name = "fake"

    def __init__(self):
        self.calls = 0

    def stem(self, token: str) -> str:
        self.calls += 1
        for prefix in ("و", "ال"):
            if token.startswith(prefix) and len(token) > len(prefix) + 1:
                token = token[len(prefix) :]
        return token


# --- document-term matrix -------------------------------------------------------------------


def test_term_map_drops_numbers_punctuation_stop_words_and_short_stems():
    documents = [["والحرب", "2023", "،", "في", "وفي", "الحرب", "ال", "حرب", "x1"]]
    term_map = topics.build_term_map(documents, FakeSegmenter(), stop_words={"في"})
    # "وفي" is dropped because its stem is a stop word; "ال" has a stem of 2 letters (kept)
    assert term_map == {"والحرب": "حرب", "الحرب": "حرب", "ال": "ال", "حرب": "حرب", "x1": "x1"}
    longer = topics.build_term_map(documents, FakeSegmenter(), min_length=3)
    assert set(longer) == {"والحرب", "الحرب", "حرب"}


def test_stem_cache_stems_each_type_once_and_is_keyed_by_segmenter(tmp_path):
    segmenter = FakeSegmenter()
    types = ["والحرب", "الحرب", "حرب"]
    first = topics.stem_types([*types, "حرب"], segmenter, cache_dir=tmp_path)
    assert segmenter.calls == 3  # once per distinct type
    again = topics.stem_types(types, segmenter, cache_dir=tmp_path)
    assert again == first and segmenter.calls == 3  # read from the cache
    other = FakeSegmenter()
    other.name = "other"
    topics.stem_types(types, other, cache_dir=tmp_path)
    assert other.calls == 3 and len(list((tmp_path / "stems").glob("*.parquet"))) == 2


def test_stem_cache_is_keyed_by_the_segmenter_code(tmp_path, monkeypatch):
    from arabmedia.text import _segment

    types = ["والحرب", "الحرب"]
    topics.stem_types(types, FakeSegmenter(), cache_dir=tmp_path / "cache")
    unchanged = FakeSegmenter()
    topics.stem_types(types, unchanged, cache_dir=tmp_path / "cache")
    assert unchanged.calls == 0
    edited = tmp_path / "_segment.py"
    edited.write_bytes(Path(_segment.__file__).read_bytes() + b"\n# an edit of the stemmer\n")
    monkeypatch.setattr(_segment, "__file__", str(edited))
    after_edit = FakeSegmenter()
    topics.stem_types(types, after_edit, cache_dir=tmp_path / "cache")
    assert after_edit.calls == 2


def test_corpus_counts_equal_the_project_vectorizer():
    documents = [
        ["والحرب", "الحرب", "غزه", "2023", "،"],
        ["الحرب", "غزه", "غزه", "هدنه"],
        ["هدنه", "وقف", "والحرب"],
        ["وقف", "اطلاق", "النار", "."],
    ]
    term_map = topics.build_term_map(documents, FakeSegmenter())
    corpus = topics.build_topic_corpus(documents, term_map, min_df=2, max_df=0.9)
    vectorizer = make_vectorizer(min_df=2, max_df=0.9, term_map=term_map)
    expected = vectorizer.fit_transform([[t for t in d if t in term_map] for d in documents])
    assert list(corpus.terms) == list(vectorizer.get_feature_names_out())
    assert (corpus.matrix != expected).nnz == 0
    # حرب (3 docs) is written الحرب twice and والحرب twice: tie -> alphabetically first
    surface = dict(zip(corpus.terms, corpus.surface, strict=True))
    assert surface["حرب"] == "الحرب"
    assert surface["غزه"] == "غزه"


def test_max_terms_keeps_the_terms_in_most_documents():
    documents = [["الف", "باء", "تاء"], ["الف", "باء"], ["الف", "ثاء"], ["باء", "ثاء"]]
    term_map = {t: t for d in documents for t in d}
    corpus = topics.build_topic_corpus(documents, term_map, min_df=1, max_df=1.0, max_terms=2)
    assert list(corpus.terms) == ["الف", "باء"]  # 3 documents each; ثاء has 2, تاء 1


# --- coherence against gensim ---------------------------------------------------------------


def test_npmi_matches_gensim_c_npmi_with_whole_document_windows():
    from gensim.corpora import Dictionary
    from gensim.models.coherencemodel import CoherenceModel

    rng = np.random.default_rng(3)
    vocabulary = [f"w{i}" for i in range(12)]
    texts = [list(rng.choice(vocabulary, size=rng.integers(2, 9))) for _ in range(40)]
    texts.append(["w0"])  # a one-word document still counts as a document
    top_words = [["w0", "w1", "w2", "w3"], ["w4", "w5", "w6"], ["w7", "w8", "w9", "w10", "w11"]]
    dictionary = Dictionary(texts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reference = CoherenceModel(
            topics=top_words,
            texts=texts,
            dictionary=dictionary,
            coherence="c_npmi",
            window_size=max(len(t) for t in texts),  # one window per document
            topn=5,
            processes=1,
        ).get_coherence_per_topic()
    term_map = {w: w for w in vocabulary}
    corpus = topics.build_topic_corpus(texts, term_map, min_df=1, max_df=1.0, max_terms=None)
    column = {term: i for i, term in enumerate(corpus.terms)}
    ours = topics.npmi_coherence(corpus.matrix, [[column[w] for w in t] for t in top_words])
    np.testing.assert_allclose(ours, reference, atol=1e-6, rtol=0)


def test_npmi_limits_by_hand():
    # a and b always together (in half the documents): NPMI = log(2)/log(2) = 1 (up to eps);
    # c never with a: NPMI = log(eps / (1/2 * 1/2)) / -log(eps), slightly below -1.
    matrix = np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1], [0, 0, 1]])
    together, apart = topics.npmi_coherence(matrix, [[0, 1], [0, 2]])
    assert together == pytest.approx(1.0, abs=1e-9)
    eps = topics.NPMI_EPSILON
    assert apart == pytest.approx(math.log(eps / 0.25) / -math.log(eps))


# --- exclusivity and stability --------------------------------------------------------------


def test_exclusivity_by_hand():
    beta = np.array([[0.5, 0.3, 0.2, 0.0], [0.0, 0.3, 0.2, 0.5]])
    # topic 1, top-2 words: w0 (freq rank 4/4, exclusive 1 -> rank 3.5/4 tied with w3? no:
    # shares of topic 1 are [1, .5, .5, 0] -> ranks [4, 2.5, 2.5, 1]/4) and w1 (freq rank 3/4,
    # share rank 2.5/4).  FREX = 1 / (0.5/freq + 0.5/excl).
    frex_w0 = 1 / (0.5 / 1.0 + 0.5 / 1.0)
    frex_w1 = 1 / (0.5 / 0.75 + 0.5 / 0.625)
    result = topics.exclusivity(beta, n=2, weight=0.5)
    assert result[0] == pytest.approx((frex_w0 + frex_w1) / 2)
    assert result[1] == pytest.approx(result[0])  # mirror image
    shared = topics.exclusivity(np.array([[0.4, 0.4, 0.2], [0.4, 0.4, 0.2]]), n=2)
    assert (shared < result).all()
    with pytest.raises(ValueError, match="weight"):
        topics.exclusivity(beta, weight=1.0)


def test_matched_overlap_uses_the_best_one_to_one_matching():
    first = [{"a", "b"}, {"c", "d"}]
    assert topics.matched_overlap(first, [{"c", "d"}, {"a", "b"}]) == 1.0
    # greedy would pair {a,b,c} with {a,b,c,d}?  Best total: {a,b}-{a,b,c} (2/3), {c,d}-{c,d} (1)
    assert topics.matched_overlap(first, [{"c", "d"}, {"a", "b", "c"}]) == pytest.approx(
        (2 / 3 + 1) / 2
    )
    with pytest.raises(ValueError, match="same"):
        topics.matched_overlap(first, [{"a"}])


# --- the model ------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["nmf", "lda"])
def test_same_seed_gives_the_same_topics(kind):
    corpus = planted_corpus()
    options = {"max_iter": 20}
    first = topics.TopicModel(kind, 3, seed=7, **options).fit(corpus.matrix)
    second = topics.TopicModel(kind, 3, seed=7, **options).fit(corpus.matrix)
    np.testing.assert_array_equal(first.components_, second.components_)
    np.testing.assert_array_equal(first.transform(corpus.matrix), second.transform(corpus.matrix))


@pytest.mark.parametrize("kind", ["nmf", "lda"])
def test_planted_themes_are_recovered_and_ordered_by_share(kind):
    corpus = planted_corpus()
    model = topics.TopicModel(kind, 3, seed=0, max_iter=50).fit(corpus.matrix)
    found = [set(corpus.terms[row]) for row in topics.top_term_indices(model.topic_term_, 6)]
    assert sorted(map(sorted, found)) == sorted(map(sorted, map(set, THEMES)))
    proportions = model.transform(corpus.matrix)
    np.testing.assert_allclose(proportions.sum(axis=1), 1.0)
    share = proportions.sum(axis=0)
    assert (np.diff(share) <= 1e-9).all()  # topic 1 has the largest share


def test_model_rejects_bad_arguments_and_nmf_perplexity():
    corpus = planted_corpus()
    with pytest.raises(ValueError, match="kind"):
        topics.TopicModel("bertopic", 3).fit(corpus.matrix)
    with pytest.raises(ValueError, match="too few"):
        topics.TopicModel("nmf", 3).fit(corpus.matrix[:2])
    model = topics.TopicModel("nmf", 3).fit(corpus.matrix)
    with pytest.raises(ValueError, match="LDA"):
        model.perplexity(corpus.matrix)
    empty = model.transform(np.zeros((1, corpus.shape[1])))
    np.testing.assert_allclose(empty, 1 / 3)


def test_search_k_finds_the_planted_number_of_topics():
    corpus = planted_corpus()
    runs = topics.search_k(
        corpus.matrix,
        [2, 3, 4],
        seeds=[0, 1, 2],
        kinds=["nmf", "lda"],
        n_top=6,
        progress=False,
        model_options={"max_iter": 30},
    )
    assert list(runs.columns[:7]) == [
        "kind",
        "k",
        "seed",
        "coherence",
        "exclusivity",
        "perplexity",
        "stability",
    ]
    assert len(runs) == 18
    assert runs.loc[runs["kind"] == "nmf", "perplexity"].isna().all()
    assert (runs.loc[runs["kind"] == "lda", "perplexity"] > 0).all()
    three = runs[(runs["kind"] == "nmf") & (runs["k"] == 3)]
    assert (three["stability"] == 1.0).all()  # every seed finds the three themes
    assert set(runs["n_iter"]) <= set(range(1, 31)) and runs["converged"].dtype == bool
    summary = topics.summarize_search(runs)
    assert summary.loc[summary["recommended"], "k"].tolist() == [3, 3]


def test_recommend_k_breaks_ties_toward_fewer_topics():
    runs = pd.DataFrame(
        {
            "kind": "nmf",
            "k": [5, 5, 10, 10, 15, 15],
            "seed": [0, 1] * 3,
            "coherence": [0.30, 0.32, 0.20, 0.22, 0.25, 0.27],  # best at 5, then 15
            "exclusivity": [0.80, 0.80, 0.90, 0.90, 0.85, 0.85],  # best at 10, then 15
            "stability": [0.6, 0.6, 0.7, 0.7, 0.8, 0.8],  # best at 15
            "perplexity": np.nan,
        }
    )
    summary = topics.summarize_search(runs)
    # ranks scaled to [0, 1]: K=5 -> (1 + 0 + 0)/3, K=10 -> (0 + 1 + .5)/3, K=15 -> (.5+.5+1)/3
    np.testing.assert_allclose(summary["score"], [1 / 3, 0.5, 2 / 3])
    assert topics.recommend_k(summary) == 15
    assert summary["coherence_se"].iloc[0] == pytest.approx(0.01)
    tied = summary.assign(score=[0.5, 0.5, 0.2])
    assert topics.recommend_k(tied) == 5


# --- labels and reading topics --------------------------------------------------------------


def test_topic_labels_use_names_else_top_terms():
    terms = pd.DataFrame(
        {
            "topic": [1, 1, 1, 1, 2, 2, 2, 2],
            "rank": [1, 2, 3, 4] * 2,
            "surface": ["قصف", "غاره", "صاروخ", "دمار", "دولار", "بنك", "سوق", "نفط"],
        }
    )
    table = topics.topic_labels(terms, {2: "اقتصاد"})
    assert table["label"].tolist() == ["قصف · غاره · صاروخ", "اقتصاد"]
    assert table["named"].tolist() == [False, True]
    with pytest.raises(ValueError, match=r"topics \[5\]"):
        topics.topic_labels(terms, {5: "x"})


def test_representative_documents_hide_titles_unless_asked():
    doc_topic = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4], [0.6, 0.4]])
    articles = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d"],
            "date": pd.to_datetime(["2023-10-01"] * 4),
            "url": ["u1", "u2", "u3", "u4"],
            "title": ["t1", "t2", "t3", "t4"],
        }
    )
    table = topics.representative_documents(doc_topic, articles, n=2)
    assert "title" not in table
    assert table["doc_id"].tolist() == ["a", "c", "b", "c"]  # tie c/d: earlier row first
    shown = topics.representative_documents(doc_topic, articles, n=1, show_text=True)
    assert shown["title"].tolist() == ["t1", "t2"]


# --- prevalence -----------------------------------------------------------------------------


def prevalence_articles() -> tuple[np.ndarray, pd.DataFrame]:
    doc_topic = np.array([[0.8, 0.2], [0.6, 0.4], [0.1, 0.9], [0.3, 0.7], [0.5, 0.5]])
    articles = pd.DataFrame(
        {
            "doc_id": list("abcde"),
            "period": ["before", "before", "after", "after", "after"],
        }
    )
    return doc_topic, articles


def test_prevalence_is_the_mean_proportion_per_group():
    doc_topic, articles = prevalence_articles()
    frame = topics.proportions_frame(doc_topic, articles, keep=["doc_id", "period"])
    table = topics.compare_topics(frame, "period", n_boot=200)
    table = table.set_index(["topic", "period"])
    assert table.loc[(1, "before"), "estimate"] == pytest.approx(0.7)
    assert table.loc[(2, "after"), "estimate"] == pytest.approx((0.9 + 0.7 + 0.5) / 3)
    assert (table["low"] <= table["estimate"]).all() and (table["estimate"] <= table["high"]).all()


def test_compare_topic_change_is_after_minus_before():
    doc_topic, articles = prevalence_articles()
    frame = topics.proportions_frame(doc_topic, articles, keep=["doc_id", "period"])
    change = topics.compare_topic_change(frame, "period", "before", "after", n_boot=200)
    assert change["topic"].tolist() == [1, 2]
    assert change.loc[0, "difference"] == pytest.approx(0.3 - 0.7)
    assert change.loc[1, "difference"] == pytest.approx(0.7 - 0.3)
    assert change["n_first"].tolist() == [2, 2]


# --- figures --------------------------------------------------------------------------------


def test_topic_figures_keep_arabic_labels_in_the_pdf(tmp_path):
    terms = pd.DataFrame(
        {
            "topic": [1, 1, 2, 2],
            "surface": ["الاحتلال", "غزه", "دولار", "النفط"],
            "weight": [0.3, 0.2, 0.25, 0.1],
        }
    )
    fig, _ = term_panels(terms, "topic", "surface", "weight", titles={1: "العدوان", 2: "اقتصاد"})
    (pdf,) = export_figure(fig, "terms", figures_dir=tmp_path, formats=("pdf",))
    text = pypdf.PdfReader(pdf).pages[0].extract_text()
    for word in ["الاحتلال", "غزه", "دولار", "النفط", "العدوان", "اقتصاد"]:
        assert word in text
        assert word[::-1] not in text

    months = pd.date_range("2023-09-01", periods=3, freq="MS")
    series = pd.DataFrame(
        {
            "month": list(months) * 2,
            "topic": [1, 1, 1, 2, 2, 2],
            "estimate": [0.1, 0.3, 0.2, 0.4, 0.3, 0.35],
        }
    )
    series["low"], series["high"] = series["estimate"] - 0.05, series["estimate"] + 0.05
    fig, axes = facet_time_series(
        series, "month", "estimate", "topic", "low", "high", titles={1: "العدوان", 2: "اقتصاد"}
    )
    assert [ax.get_title() for ax in axes] == ["العدوان", "اقتصاد"]
    (pdf,) = export_figure(fig, "series", figures_dir=tmp_path, formats=("pdf",))
    assert "اقتصاد" in pypdf.PdfReader(pdf).pages[0].extract_text()


def test_metric_panels_skip_missing_metrics_and_mark_the_choice():
    summary = pd.DataFrame(
        {
            "kind": ["nmf", "nmf", "lda", "lda"],
            "k": [5, 10, 5, 10],
            "coherence": [0.3, 0.2, 0.25, 0.2],
            "coherence_se": [0.01, 0.01, 0.02, 0.02],
            "perplexity": [np.nan, np.nan, 900.0, 800.0],
            "unused": np.nan,
        }
    )
    _fig, axes = metric_panels(
        summary, "k", ["coherence", "perplexity", "unused"], group="kind", highlight={"nmf": 5}
    )
    assert [ax.get_title() for ax in axes] == ["coherence", "perplexity"]
    dashed = [line for line in axes[0].get_lines() if line.get_linestyle() == "--"]
    assert len(dashed) == 1
    with pytest.raises(ValueError, match="missing_metric"):
        metric_panels(summary, "k", ["missing_metric"])


# ------------------------------------------------------------ whole steps of notebook 04


def planted_articles(n: int) -> pd.DataFrame:
    """doc_id, outlet (alternating A/B) and dates: A spans Jan-Mar 2024, B Feb-Apr 2024."""
    outlets = np.where(np.arange(n) % 2 == 0, "A", "B")
    months = np.where(outlets == "A", 1 + np.arange(n) % 3, 2 + np.arange(n) % 3)
    dates = pd.to_datetime([f"2024-{m:02d}-{1 + i % 27:02d}" for i, m in enumerate(months)])
    return pd.DataFrame({"doc_id": [f"d{i}" for i in range(n)], "outlet": outlets, "date": dates})


def test_build_topic_corpora_drops_empty_documents_and_reports_shapes():
    documents = [*planted_documents(5), ["نادر"], []]
    articles = planted_articles(len(documents))
    term_map = {t: t for d in documents for t in d}
    corpora, shapes = topics.build_topic_corpora(
        {"c": documents}, {"c": articles}, term_map, min_df=2, max_df=1.0, max_terms=None
    )
    corpus, kept = corpora["c"]
    assert shapes.to_dict("records") == [
        {"corpus": "c", "documents": 17, "modelled": 15, "terms": 18, "term tokens": 180}
    ]
    assert corpus.shape == (15, 18)
    assert kept["doc_id"].tolist() == articles["doc_id"].iloc[:15].tolist()
    assert kept.index.tolist() == list(range(15))


def test_fit_topic_model_topic_titles_and_prevalence_steps():
    corpus = planted_corpus()
    articles = planted_articles(corpus.shape[0])
    _model, terms, labels, doc_topic = topics.fit_topic_model(
        corpus, "no_such_corpus", "nmf", 3, 0, n_top=4
    )
    assert doc_topic.shape == (corpus.shape[0], 3) and len(terms) == 12
    assert not labels["named"].any()  # no entry in the labels file: top terms
    titles = topics.topic_titles(labels)
    assert titles[2] == f"{labels.loc[1, 'label']} (2)"
    monthly = topics.monthly_topic_prevalence(doc_topic, articles, "outlet", n_boot=20, seed=0)
    a_jan = monthly[(monthly["outlet"] == "A") & (monthly["month"] == "2024-01-01")]
    in_jan = ((articles["outlet"] == "A") & (articles["date"].dt.month == 1)).to_numpy()
    expected = (doc_topic / doc_topic.sum(axis=1, keepdims=True))[in_jan].mean(axis=0)
    assert a_jan.sort_values("topic")["estimate"].to_numpy() == pytest.approx(expected)
    change = topics.topic_change_at(doc_topic, articles, "2024-02-15", labels, n_boot=20)
    later = (articles["date"] >= "2024-02-15").to_numpy()
    proportions = doc_topic / doc_topic.sum(axis=1, keepdims=True)
    assert change["outlet"].unique().tolist() == ["A", "B"]
    for outlet in "AB":
        own = (articles["outlet"] == outlet).to_numpy()
        difference = proportions[own & later].mean(axis=0) - proportions[own & ~later].mean(axis=0)
        rows = change[change["outlet"] == outlet]
        assert rows["difference"].to_numpy() == pytest.approx(difference)
    assert change["topic_label"].tolist() == [titles[t] for t in change["topic"]]
    overlap = topics.shared_months(articles)
    assert set(articles.loc[overlap, "date"].dt.month) == {2, 3}
    by_outlet = topics.outlet_topic_prevalence(
        doc_topic[overlap], articles[overlap], titles, n_boot=20
    )
    b = by_outlet[by_outlet["outlet"] == "B"].sort_values("topic")
    in_b = (articles["outlet"] == "B").to_numpy()[overlap]
    assert b["estimate"].to_numpy() == pytest.approx(proportions[overlap][in_b].mean(axis=0))
    assert b["topic_label"].tolist() == [titles[t] for t in b["topic"]]


def test_topic_change_at_leaves_undated_articles_out():
    doc_topic = np.array([[0.9, 0.1], [0.8, 0.2], [0.2, 0.8], [0.1, 0.9], [0.0, 1.0]])
    articles = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d", "undated"],
            "outlet": ["M"] * 5,
            "date": pd.to_datetime(["2024-01-01", "2024-01-02", "2024-03-01", "2024-03-02", None]),
        }
    )
    labels = pd.DataFrame({"topic": [1, 2], "label": ["one", "two"], "named": [True, True]})
    change = topics.topic_change_at(doc_topic, articles, "2024-02-01", labels, n_boot=20)
    assert change["n_first"].tolist() == [2, 2]  # the undated article is in neither period
    assert change["n_second"].tolist() == [2, 2]
    assert change["difference"].to_numpy() == pytest.approx([0.15 - 0.85, 0.85 - 0.15])


def test_topic_change_at_compares_each_of_three_outlets_with_itself():
    rng = np.random.default_rng(4)
    doc_topic = rng.dirichlet([1.0, 1.0, 1.0], size=24)
    months = np.tile([1, 2, 3, 4], 6)
    articles = pd.DataFrame(
        {
            "doc_id": [f"d{i}" for i in range(24)],
            "outlet": np.repeat(["C", "A", "B"], 8),
            "date": pd.to_datetime([f"2024-{m:02d}-10" for m in months]),
        }
    )
    labels = pd.DataFrame({"topic": [1, 2, 3], "label": ["x", "y", "z"], "named": [True] * 3})
    change = topics.topic_change_at(doc_topic, articles, "2024-03-01", labels, n_boot=30, seed=1)
    assert change["outlet"].unique().tolist() == ["A", "B", "C"]
    assert list(change.columns[:2]) == ["outlet", "topic"]
    later = (articles["date"] >= "2024-03-01").to_numpy()
    for outlet in "ABC":
        own = (articles["outlet"] == outlet).to_numpy()
        rows = change[change["outlet"] == outlet].reset_index(drop=True)
        expected = doc_topic[own & later].mean(axis=0) - doc_topic[own & ~later].mean(axis=0)
        assert rows["difference"].to_numpy() == pytest.approx(expected)
        # one outlet alone: the numbers of the single-outlet comparison
        alone = topics.topic_change_at(
            doc_topic[own], articles[own], "2024-03-01", labels, n_boot=30, seed=1
        )
        pd.testing.assert_frame_equal(rows, alone)
        frame = topics.proportions_frame(doc_topic[own], articles[own].reset_index(drop=True))
        frame["period"] = np.where(later[own], "from 2024-03-01", "before 2024-03-01")
        direct = topics.compare_topic_change(
            frame, "period", "before 2024-03-01", "from 2024-03-01", n_boot=30, seed=1
        )
        columns = list(direct.columns)
        pd.testing.assert_frame_equal(rows[columns], direct)


def test_choose_k_returns_the_summary_and_its_recommended_k():
    corpus = planted_corpus()
    summary, chosen = topics.choose_k(corpus.matrix, [2, 3, 4], [0, 1], n_top=4)
    runs = topics.search_k(corpus.matrix, [2, 3, 4], [0, 1], n_top=4, progress=False)
    pd.testing.assert_frame_equal(summary, topics.summarize_search(runs))
    assert chosen == {"nmf": topics.recommend_k(summary)}


def test_monthly_prevalence_leaves_undated_articles_out():
    articles = pd.DataFrame(
        {
            "doc_id": ["a", "b", "c", "d"],
            "date": pd.to_datetime(["2024-01-03", None, "2024-02-01", "2024-01-20"]),
            "outlet": ["X", "X", "X", "Y"],
        }
    )
    doc_topic = np.array([[0.9, 0.1], [0.5, 0.5], [0.2, 0.8], [0.4, 0.6]])
    monthly = topics.monthly_topic_prevalence(doc_topic, articles, "outlet", n_boot=20)
    assert monthly["month"].notna().all()
    assert monthly.groupby("outlet")["n_units"].max().to_dict() == {"X": 1, "Y": 1}
