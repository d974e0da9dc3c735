"""Each partition-wise step gives the in-memory analysis of the concatenated article table."""

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from arabmedia import analysis
from arabmedia.corpus import article_text
from arabmedia.engine import (
    TERM_PREFIX,
    LocalEngine,
    PartitionError,
    agency_partition,
    attribution_partition,
    count_partition,
    run_partitions,
    term_counts,
    tokenize_partition,
)
from arabmedia.text import DEFAULT_SETTINGS, tokenize_many


def _tokens(articles, fields, settings=DEFAULT_SETTINGS):
    texts = article_text(articles, fields).tolist()
    return pd.Series(tokenize_many(texts, settings), index=articles.index, dtype=object)


def test_tokenize_partition_counts_the_word_tokens_of_each_article(fields, articles, partitions):
    table = run_partitions(tokenize_partition, partitions, LocalEngine(), fields=fields)
    expected = pd.DataFrame(
        {"doc_id": articles["doc_id"], "n_tokens": analysis.word_counts(_tokens(articles, fields))}
    )
    assert_frame_equal(table, expected)
    assert table["n_tokens"].gt(0).all()


def test_count_partition_holds_the_in_memory_frame_scores(
    fields, articles, partitions, term_sets, frames
):
    table = run_partitions(
        count_partition,
        partitions,
        LocalEngine(),
        fields=fields,
        term_sets=term_sets,
        frames=frames,
    )
    tokens = _tokens(articles, fields, frames.settings)
    scores = analysis.count_frames(articles, tokens, frames)
    assert_frame_equal(table[list(scores.columns)], scores)
    assert table[[f"hits_{name}" for name in frames.names]].to_numpy().sum() > 0
    term_columns = [c for c in table.columns if c not in scores.columns]
    assert term_columns and all(c.startswith(TERM_PREFIX) for c in term_columns)


def test_term_counts_of_count_partition_are_the_in_memory_count_terms(
    fields, articles, partitions, term_sets, frames
):
    table = run_partitions(
        count_partition,
        partitions,
        LocalEngine(),
        fields=fields,
        term_sets=term_sets,
        frames=frames,
    )
    tokens = _tokens(articles, fields, frames.settings)
    counts = analysis.count_terms(tokens, analysis.find_terms(tokens, term_sets), term_sets)
    ids = articles[["doc_id", "corpus", "outlet", "date", "kind"]].iloc[counts["doc"]]
    expected = pd.concat(
        [ids.reset_index(drop=True), counts.drop(columns="doc").reset_index(drop=True)], axis=1
    )
    assert_frame_equal(term_counts(table, term_sets), expected)
    assert (expected["count"] > 0).sum() >= 5  # several variants are mentioned
    assert (expected["concept_count"] > expected["count"]).any()  # competing variants met


def test_agency_partition_equals_count_agency_in_memory(fields, articles, partitions):
    table = run_partitions(agency_partition, partitions, LocalEngine(), fields=fields)
    expected = analysis.count_agency(articles, analysis.find_casualty_sentences(articles, fields))
    assert_frame_equal(table, expected)
    classes = list(analysis.CASUALTY_LABELS)
    assert (table[classes].sum() > 0).sum() >= 2  # at least two agency classes occur


def test_attribution_partition_equals_count_actors_in_memory(fields, articles, partitions):
    table = run_partitions(attribution_partition, partitions, LocalEngine(), fields=fields)
    sentences = analysis.article_sentences(articles, fields)
    expected = analysis.count_actors(articles, analysis.find_attributions(sentences))
    assert_frame_equal(table, expected)
    assert table["attributions"].sum() > 0  # the fixture's speakers are found


def test_a_partition_without_a_needed_column_is_named(fields, tmp_path, articles):
    path = tmp_path / "no-body.parquet"
    articles.drop(columns="body").to_parquet(path, index=False)
    with pytest.raises(PartitionError, match=rf"partition {path}: no column\(s\) \['body'\]"):
        tokenize_partition(path, fields)


def test_a_missing_or_unreadable_partition_is_named(fields, tmp_path, partitions):
    missing = tmp_path / "missing.parquet"
    with pytest.raises(FileNotFoundError, match=f"partition {missing}: no such file") as caught:
        run_partitions(tokenize_partition, [partitions[0], missing], LocalEngine(), fields=fields)
    assert caught.value.__notes__ == [f"in tokenize_partition of partition {missing}"]
    broken = tmp_path / "broken.parquet"
    broken.write_text("not parquet", "utf-8")
    with pytest.raises(PartitionError, match=f"partition {broken}: not a readable Parquet file"):
        agency_partition(broken, fields)


def test_an_article_in_two_partitions_is_refused(fields, partitions):
    with pytest.raises(ValueError, match=r"article 'fixture:0' is in more than one partition"):
        run_partitions(
            tokenize_partition, [partitions[0], partitions[0]], LocalEngine(), fields=fields
        )


def test_no_partitions_is_refused(fields):
    with pytest.raises(ValueError, match="no partitions given for tokenize_partition"):
        run_partitions(tokenize_partition, [], LocalEngine(), fields=fields)


def test_term_counts_needs_the_term_columns(articles, term_sets):
    with pytest.raises(ValueError, match="term_counts: counts has no column"):
        term_counts(articles.assign(n_tokens=1), term_sets)
