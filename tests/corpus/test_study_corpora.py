"""A study's corpora and what it compares: outlets in figure order, the period, the summaries."""

import json
from dataclasses import replace

import pytest

from arabmedia.config import CompareConfig, CorpusConfig, load_settings
from arabmedia.corpus import (
    compared_articles,
    compared_fields,
    corpus_summary,
    load_study,
    manifest_corpora,
    outlet_summary,
    problem_summary,
    study_outlets,
)


@pytest.fixture
def study(tmp_path):
    """A study of two JSON files: two articles of A (one undated), two of B and an empty one."""
    records = [
        {"id": 1, "src": "A", "title": "خبر", "time": "2024-01-05"},
        {"id": 2, "src": "A", "title": "خبر آخر", "time": "not a date"},
        {"id": 1, "src": "B", "title": "عنوان", "time": "2024-02-01"},
        {"id": 2, "src": "B", "title": "عنوان ثان", "time": "2024-03-01"},
        {"id": 3, "src": "B", "title": "", "body": "", "time": "2024-03-02"},
    ]
    (tmp_path / "raw").mkdir()
    (tmp_path / "raw" / "a.json").write_text(json.dumps(records[:2]), encoding="utf-8")
    (tmp_path / "raw" / "b.json").write_text(json.dumps(records[2:]), encoding="utf-8")
    mapping = {"doc_id": "id", "outlet": "src", "title": "title", "published": "time"}
    corpus = CorpusConfig("mine", files=("raw/*.json",), mapping=mapping)
    return replace(load_settings(tmp_path), corpora=(corpus,))


def test_load_study_reads_every_corpus_and_accounts_for_every_record(study):
    result = load_study(study)
    assert result.n_read == 5 and len(result.articles) == 4 and len(result.rejects) == 1
    summary = corpus_summary(result)
    assert summary.to_dict("records") == [{"corpus": "mine", "read": 5, "loaded": 4, "rejected": 1}]
    assert problem_summary(result.problems).to_dict("records") == [
        {"corpus": "mine", "problem": "unparseable date", "records": 1}
    ]
    with pytest.raises(ValueError, match="names no"):
        load_study(replace(study, corpora=()))


def test_outlets_are_the_studys_list_or_all_largest_first(study):
    articles = load_study(study).articles
    assert study_outlets(articles, study) == ["A", "B"]  # 2 each: ties by name
    listed = replace(study, compare=CompareConfig(outlets=("B", "A")))
    assert study_outlets(articles, listed) == ["B", "A"]
    wrong = replace(study, compare=CompareConfig(outlets=("A", "C")))
    with pytest.raises(ValueError, match=r"no article: \['C'\]; the loaded outlets are"):
        study_outlets(articles, wrong)


def test_the_period_keeps_dated_articles_inside_it_and_undated_ones_only_without_one(study):
    articles = load_study(study).articles
    assert len(compared_articles(articles, study)) == 4
    feb = replace(study, compare=CompareConfig(period=("2024-02-01", "")))
    kept = compared_articles(articles, feb)
    assert sorted(kept["date"].dt.strftime("%Y-%m-%d")) == ["2024-02-01", "2024-03-01"]
    upto = replace(study, compare=CompareConfig(period=("", "2024-01-31")))
    assert compared_articles(articles, upto)["outlet"].tolist() == ["A"]


def test_compared_fields_drop_fields_without_text_and_summaries_count_per_outlet(study):
    articles = load_study(study).articles
    assert compared_fields(articles, study) == ["title"]  # no lead, no body
    result = load_study(study)
    news = compared_articles(articles, replace(study, compare=CompareConfig(outlets=("B",))))
    table = outlet_summary(result, articles, news).set_index("outlet")
    assert table.loc["A", ["loaded", "undated", "unique", "compared"]].tolist() == [2, 1, 2, 0]
    assert table.loc["B", ["loaded", "compared", "first", "last"]].tolist() == [
        2, 2, "2024-02-01", "2024-03-01"
    ]  # fmt: skip
    assert table.loc["A", "first"] == ""


def test_manifest_corpora_are_the_compared_then_the_validation_ones_once_each(study):
    study = replace(
        study,
        corpora=(CorpusConfig("seed"), *study.corpora, CorpusConfig("aljazeera")),
        validation=("seed", "armpro"),
    )
    assert manifest_corpora(study) == ["seed", "aljazeera", "armpro"]
