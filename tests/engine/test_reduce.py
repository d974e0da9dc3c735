"""The reducers over partitions give the in-memory analysis of the concatenated table."""

import hashlib

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose, assert_array_equal
from pandas.testing import assert_frame_equal

from arabmedia import analysis, corpus, lexicons, text
from arabmedia.engine import (
    BAND_PREFIX,
    DaskEngine,
    LocalEngine,
    band_partition,
    fit_topic_sample,
    near_duplicate_partitions,
    run_partitions,
    transform_partition,
)

#: Sentences written for these tests, on three themes (war and aid, economy, sport and city).
THEMES = (
    (
        "قصفت الطائرات الحربية مبنى سكنيا في وسط المدينة صباح اليوم",
        "أعلن الدفاع المدني انتشال جثامين الضحايا من تحت الأنقاض",
        "نظم الطلاب وقفة احتجاجية أمام الجامعة للمطالبة بوقف الحرب",
        "وصلت شاحنات المساعدات الإنسانية إلى المعبر بعد انتظار طويل",
        "حذرت منظمة الصحة من انتشار الأمراض في مخيمات النازحين",
    ),
    (
        "ارتفعت أسعار الخبز والوقود في الأسواق المحلية هذا الأسبوع",
        "قال وزير المالية إن الحكومة ستدعم المزارعين بقروض ميسرة",
        "عقد البرلمان جلسة طارئة لمناقشة الموازنة العامة للدولة",
        "أكد المهندسون أن إعادة إعمار الجسور ستستغرق عدة سنوات",
    ),
    (
        "افتتحت البلدية حديقة عامة جديدة للأطفال قرب الشاطئ",
        "فاز المنتخب الوطني على منافسه بهدفين في المباراة النهائية",
        "شارك آلاف المشجعين في استقبال اللاعبين بعد عودتهم من البطولة",
    ),
)
#: Articles per partition before the copies are added; the third partition is empty.
SIZES = (14, 12, 0, 16, 10)
FIELDS = ("title", "lead", "body")


def _body(rng: np.random.Generator, theme: int) -> str:
    own = rng.choice(len(THEMES[theme]), size=7)
    other = (theme + 1) % len(THEMES)
    sentences = [THEMES[theme][s] for s in own] + [THEMES[other][rng.integers(len(THEMES[other]))]]
    return ". ".join(rng.permutation(sentences)) + "."


def _edited(body: str, changes: int) -> str:
    """``body`` with ``changes`` words, spread over it, replaced by a new word each."""
    words = body.split(" ")
    for number, position in enumerate(np.linspace(3, len(words) - 4, changes).astype(int)):
        words[position] = f"كلمة{number}"
    return " ".join(words)


def _partition_tables() -> list[pd.DataFrame]:
    """The partitions' articles; near copies are placed in other partitions and in the same."""
    rng = np.random.default_rng(7)
    parts, number = [], 0
    for size in SIZES:
        rows = []
        for _ in range(size):
            theme = number % len(THEMES)
            title = THEMES[theme][rng.integers(len(THEMES[theme]))]
            rows.append((f"t:{number}", "fixture", "Outlet A", title, "", _body(rng, theme)))
            number += 1
        parts.append(rows)
    first, second, fourth = parts[0], parts[1], parts[3]

    def copy(row, doc_id, changes, outlet="Outlet B"):
        return (doc_id, "fixture", outlet, row[3], row[4], _edited(row[5], changes))

    second.append(copy(first[2], "t:copy-other-partition", 1))  # across partitions
    first.append(copy(first[5], "t:copy-same-partition", 1))  # within one partition
    second.append(copy(first[8], "t:chain-1", 1))  # a cluster of three over three partitions
    fourth.append(copy(first[8], "t:chain-2", 2))
    fourth.append(copy(first[9], "t:far-copy", 12))  # too many changes: no near duplicate
    short = ("t:short-a", "fixture", "Outlet A", "نشرة الأخبار", "", "موجز قصير")
    first.append(short)  # exact short copies are never clustered (fewer than min_words)
    second.append(("t:numbers", "fixture", "Outlet A", "٢٠٢٤", "", "10 20 30"))  # no term
    fourth.append(("t:short-b", *short[1:]))
    columns = ["doc_id", "corpus", "outlet", "title", "lead", "body"]
    return [pd.DataFrame(rows, columns=columns).astype("str") for rows in parts]


@pytest.fixture(scope="module")
def tables() -> list[pd.DataFrame]:
    return _partition_tables()


@pytest.fixture(scope="module")
def paths(tmp_path_factory, tables) -> list:
    folder = tmp_path_factory.mktemp("reduce")
    paths = []
    for number, table in enumerate(tables):
        paths.append(folder / f"part-{number}.parquet")
        table.to_parquet(paths[-1], index=False)
    return paths


@pytest.fixture(scope="module")
def articles(paths) -> pd.DataFrame:
    """The concatenated article table of the partitions as read, index 0..n-1."""
    return pd.concat([pd.read_parquet(path) for path in paths], ignore_index=True)


@pytest.fixture(scope="module")
def dask_engine():
    """One local Dask cluster of two worker processes for the whole module."""
    with DaskEngine(n_workers=2, threads_per_worker=1) as engine:
        yield engine


@pytest.fixture(scope="module")
def engines(dask_engine):
    """LocalEngine(1), LocalEngine(2) and the Dask engine, by name."""
    with LocalEngine(1) as one, LocalEngine(2) as two:
        yield {"local-1": one, "local-2": two, "dask-2": dask_engine}


# --------------------------------------------------------------------------- near duplicates


def test_near_duplicate_partitions_are_the_in_memory_clusters_on_every_engine(
    articles, paths, engines
):
    expected = corpus.near_duplicate_clusters(articles)[
        ["doc_id", "near_dup_cluster", "near_dup_size"]
    ]
    for name, engine in engines.items():
        assert_frame_equal(near_duplicate_partitions(paths, engine), expected, obj=name)
    clusters = expected.set_index("doc_id")["near_dup_cluster"]
    assert clusters["t:copy-other-partition"] == clusters["t:2"] == "t:2"
    assert clusters["t:copy-same-partition"] == clusters["t:5"] == "t:5"
    assert clusters[["t:8", "t:chain-1", "t:chain-2"]].eq("t:8").all()
    assert clusters[["t:9", "t:far-copy", "t:short-a", "t:short-b", "t:numbers"]].eq("").all()
    assert expected["near_dup_size"].value_counts().to_dict() == {1: len(articles) - 7, 2: 4, 3: 3}


def test_near_duplicate_partitions_follow_the_options(articles, paths, engines):
    options = {"threshold": 0.6, "shingle": 3, "num_perm": 64, "seed": 5, "min_words": 4}
    expected = corpus.near_duplicate_clusters(articles, **options)
    found = near_duplicate_partitions(paths, engines["local-2"], **options)
    assert_frame_equal(found, expected[["doc_id", "near_dup_cluster", "near_dup_size"]])
    clusters = found.set_index("doc_id")["near_dup_cluster"]
    assert clusters["t:short-a"] == clusters["t:short-b"] == "t:short-a"  # now long enough


def test_band_partition_gives_equal_keys_to_equal_texts(tmp_path, tables):
    table = tables[0]
    path = tmp_path / "twice.parquet"
    twin = table.iloc[[2]].assign(doc_id="t:twin")
    pd.concat([table, twin], ignore_index=True).to_parquet(path, index=False)
    bands = band_partition(path)
    keys = bands.filter(like=BAND_PREFIX).to_numpy()
    assert list(bands.columns[:2]) == ["doc_id", "banded"] and keys.shape[1] > 1
    assert_array_equal(keys[2], keys[-1])
    assert bands.set_index("doc_id").loc["t:short-a", "banded"] == np.False_
    assert not keys[bands["doc_id"].eq("t:short-a").to_numpy()].any()
    # Different texts share (almost) no band key: each band holds a fresh hash.
    assert (keys[0] == keys[1]).sum() <= 2 and len(np.unique(keys[:5])) >= 4 * keys.shape[1]


def test_near_duplicate_partitions_refuse_bad_options_and_shared_articles(paths):
    with pytest.raises(
        ValueError, match=r"near_duplicate_partitions: threshold must be in \(0, 1\]"
    ):
        near_duplicate_partitions(paths, LocalEngine(), threshold=0)
    with pytest.raises(ValueError, match="article 't:0' is in more than one partition"):
        near_duplicate_partitions([paths[0], paths[0]], LocalEngine())


# --------------------------------------------------------------------------- topic models


def _tokens(articles):
    return text.tokenize_many(corpus.article_text(articles, FIELDS).tolist())


@pytest.fixture(scope="module")
def topic_options():
    return {
        "fields": FIELDS,
        "k": 3,
        "segmenter": text.make_segmenter("rules"),
        "stop_words": lexicons.load_stopwords(),
        "min_df": 2,
        "max_df": 0.9,
    }


@pytest.mark.parametrize("kind", ["nmf", "lda"])
def test_a_sample_of_every_article_is_the_in_memory_model(kind, articles, paths, topic_options):
    options = {key: value for key, value in topic_options.items() if key != "fields"}
    engine = LocalEngine(2)
    sample = fit_topic_sample(paths, engine, n_sample=10_000, seed=3, kind=kind, **topic_options)
    proportions = run_partitions(transform_partition, paths, engine, **sample.transform_options)
    engine.close()

    token_lists = _tokens(articles)
    term_map = analysis.build_term_map(token_lists, options["segmenter"], options["stop_words"])
    assert dict(sample.term_map) == term_map
    topic_corpus = analysis.build_topic_corpus(token_lists, term_map, min_df=2, max_df=0.9)
    nonempty = topic_corpus.matrix.getnnz(axis=1) > 0
    model = analysis.TopicModel(kind, 3, 0).fit(topic_corpus.matrix[nonempty])
    assert_array_equal(sample.corpus.terms, topic_corpus.terms)
    assert_array_equal(sample.doc_ids, articles["doc_id"].to_numpy()[nonempty])
    assert_array_equal(sample.model.components_, model.components_)

    in_memory = np.vstack([model.transform(row) for row in topic_corpus.matrix])
    assert_array_equal(proportions["doc_id"], articles["doc_id"])
    assert_array_equal(proportions[analysis.topic_columns(3)].to_numpy(), in_memory)
    assert_array_equal(proportions["n_terms"], topic_corpus.matrix.sum(axis=1).A1)
    # Transforming all rows at once differs only within scikit-learn's NMF tolerance.
    assert_allclose(in_memory, model.transform(topic_corpus.matrix), atol=2e-2)
    assert proportions.set_index("doc_id").loc["t:numbers", "n_terms"] == 0
    assert_array_equal(proportions.set_index("doc_id").loc["t:numbers"].iloc[1:], 1 / 3)


def test_a_topic_sample_is_the_same_on_every_engine(paths, engines, topic_options):
    results = {}
    for name, engine in engines.items():
        sample = fit_topic_sample(paths, engine, n_sample=30, seed=1, **topic_options)
        table = run_partitions(transform_partition, paths, engine, **sample.transform_options)
        results[name] = (sample, table)
    sample, table = results["local-1"]
    assert len(sample.doc_ids) == sample.corpus.shape[0] and len(table) == sum(SIZES) + 8
    for name, (other, other_table) in results.items():
        assert_array_equal(other.doc_ids, sample.doc_ids, err_msg=name)
        assert_array_equal(other.model.components_, sample.model.components_, err_msg=name)
        assert_frame_equal(other_table, table, check_exact=True, obj=name)


def test_the_sample_depends_on_its_seed_not_on_the_partitioning(
    tmp_path, articles, paths, topic_options
):
    halves = [tmp_path / "first.parquet", tmp_path / "second.parquet"]
    articles.iloc[:20].to_parquet(halves[0], index=False)
    articles.iloc[20:].to_parquet(halves[1], index=False)
    engine = LocalEngine()
    sample = fit_topic_sample(paths, engine, n_sample=30, seed=1, **topic_options)
    regrouped = fit_topic_sample(halves, engine, n_sample=30, seed=1, **topic_options)
    reseeded = fit_topic_sample(paths, engine, n_sample=30, seed=2, **topic_options)
    assert_array_equal(regrouped.doc_ids, sample.doc_ids)
    assert_array_equal(regrouped.model.components_, sample.model.components_)
    assert set(reseeded.doc_ids) != set(sample.doc_ids)
    hashes = {
        doc_id: hashlib.blake2b(f"1\0{doc_id}".encode()).digest()[:8][::-1]
        for doc_id in articles["doc_id"]
    }
    drawn = sorted(hashes, key=lambda doc_id: (hashes[doc_id], doc_id))[:30]
    # Drawn articles left without a term of the sample's vocabulary are not modelled.
    assert set(drawn) - set(sample.doc_ids) == {"t:numbers", "t:short-a"}
    order = articles["doc_id"].tolist()
    assert sorted(sample.doc_ids, key=order.index) == list(sample.doc_ids)  # in table order


def test_fit_topic_sample_refuses_a_bad_sample_size(paths, topic_options):
    with pytest.raises(ValueError, match="fit_topic_sample: n_sample must be an int >= 1"):
        fit_topic_sample(paths, LocalEngine(), n_sample=0, seed=1, **topic_options)


class _RewritingEngine(LocalEngine):
    """Rewrites one partition before its second map, as a writer working meanwhile would."""

    def __init__(self, path, table):
        super().__init__(1)
        self.path, self.table, self.calls = path, table, 0

    def map(self, function, items, **kwargs):
        self.calls += 1
        if self.calls == 2:
            self.table.to_parquet(self.path, index=False)
        return super().map(function, items, **kwargs)


def test_a_partition_changed_between_its_reads_is_named(tmp_path, tables):
    paths = [tmp_path / "first.parquet", tmp_path / "second.parquet"]
    for path, table in zip(paths, tables[:2], strict=True):
        table.to_parquet(path, index=False)
    engine = _RewritingEngine(paths[1], tables[1].iloc[::-1])
    with pytest.raises(ValueError, match=f"partition {paths[1]}: changed while it was read"):
        near_duplicate_partitions(paths, engine)
    assert engine.calls == 2
