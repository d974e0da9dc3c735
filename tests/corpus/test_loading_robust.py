"""Loading that loses nothing and names every problem: unique ids across files and outlets,
mapping typos, flexible dates kept undated when unreadable, encodings, JSON record paths,
tiny inputs, missing files.  Every fixture is written here, in tmp_path."""

from __future__ import annotations

import csv
import hashlib
import json
import re
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml

from arabmedia.config import CorpusConfig, Settings, load_settings
from arabmedia.corpus import (
    ARTICLE_COLUMNS,
    PROBLEM_COLUMNS,
    PROBLEMS,
    REJECT_COLUMNS,
    NothingLoadedError,
    deduplicate,
    expand_globs,
    load_articles,
    load_corpora,
    load_manifest,
    near_duplicate_clusters,
    parse_date,
    read_corpus,
    read_files,
    write_load_result,
)

SRC = Path(__file__).parents[2] / "src" / "arabmedia" / "corpus"
MANIFEST = Path(__file__).parents[2] / "data" / "manifest.yml"
ARABIC_BODY = "قال المتحدث إن المفاوضات مستمرة في العاصمة منذ صباح اليوم"


def accounted(result):
    """read = loaded + rejected, and the three tables have their documented columns."""
    assert result.n_read == len(result.articles) + len(result.rejects)
    assert tuple(result.articles.columns) == ARTICLE_COLUMNS
    assert tuple(result.rejects.columns) == REJECT_COLUMNS
    assert tuple(result.problems.columns) == PROBLEM_COLUMNS
    assert set(result.problems["problem"]) <= set(PROBLEMS)
    return result


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def write_csv(path: Path, rows: list[dict], encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def article(title: str, outlet: str | None = None, **extra) -> dict:
    record = {"title": title, "body": f"{ARABIC_BODY} {title}", **extra}
    return record | ({"outlet": outlet} if outlet else {})


# ---------------------------------------------------------------- 1. unique ids


def test_colliding_file_names_get_relative_paths_and_unique_names_keep_theirs(tmp_path):
    write_jsonl(tmp_path / "2023" / "items.jsonl", [article("أ", "O"), article("ب", "O")])
    write_jsonl(tmp_path / "2024" / "items.jsonl", [article("ج", "O"), article("د", "O")])
    write_jsonl(tmp_path / "2024" / "extra.jsonl", [article("هـ", "O")])
    paths = sorted(tmp_path.glob("*/*.jsonl"))
    result = accounted(read_files(paths, "generic", corpus="c"))
    assert result.rejects.empty
    assert list(result.articles["doc_id"]) == [
        "c:2023/items.jsonl#0",
        "c:2023/items.jsonl#1",
        "c:extra.jsonl#0",  # its name is unique: today's id
        "c:2024/items.jsonl#0",
        "c:2024/items.jsonl#1",
    ]
    # The same ids whatever order the files are given in, and when read as a corpus folder.
    again = read_files(paths[::-1], "generic", corpus="c").articles
    assert set(again["doc_id"]) == set(result.articles["doc_id"])
    # One file alone keeps the plain file-name id.
    alone = read_files([paths[0]], "generic", corpus="c").articles
    assert list(alone["doc_id"]) == ["c:items.jsonl#0", "c:items.jsonl#1"]
    assert result.problems.empty


def test_source_ids_shared_by_outlets_are_qualified_and_repeats_are_listed(tmp_path):
    mapping = {"doc_id": "id", "title": "headline", "body": "text", "outlet": "site"}

    def row(id_, site, headline):
        return {"id": id_, "site": site, "headline": headline, "text": f"{ARABIC_BODY} {headline}"}

    first = write_csv(tmp_path / "east" / "news.csv", [row(1, "A", "أول"), row(2, "A", "ثان")])
    second = write_csv(
        tmp_path / "west" / "news.csv",
        [row(1, "B", "آخر"), row(2, "A", "ثان"), row(3, "B", "ثالث")],
    )
    result = accounted(read_files([first, second], "generic", corpus="c", mapping=mapping))
    assert result.rejects.empty and len(result.articles) == 5
    assert list(result.articles["doc_id"]) == ["c:A:1", "c:2", "c:B:1", "c:2", "c:3"]
    # The same source id twice in one outlet is one article recorded twice: kept, listed.
    problem = result.problems.iloc[0]
    assert len(result.problems) == 1 and problem.problem == "duplicate id"
    assert (problem.source_file, problem.source_record, problem.doc_id) == (str(second), 1, "c:2")
    assert f"{first}#1" in problem.detail and "same text" in problem.detail
    assert "problems 1 (1 duplicate id)" in result.summary
    # Dedup keeps every distinct record and collapses only the repeat, naming both copies.
    unique = deduplicate(result.articles, near=True, disable_progress=True)
    assert len(unique) == 4
    assert set(unique["title"]) == {"أول", "ثان", "آخر", "ثالث"}
    repeat = unique[unique["doc_id"] == "c:2"].iloc[0]
    assert repeat.dup_count == 2 and repeat.dup_reason == "id"
    assert repeat.dup_sources == f"{first}#1; {second}#1"


def test_the_same_file_given_twice_is_read_twice_and_listed(tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", [article("أ", "O")])
    result = accounted(read_files([path, path], "generic", corpus="c"))
    assert list(result.articles["doc_id"]) == ["c:a.jsonl#0", "c:a.jsonl#0"]
    assert list(result.problems["problem"]) == ["duplicate id"]
    assert len(deduplicate(result.articles, near=False)) == 1


# ---------------------------------------------------------------- 2. mapping typos


@pytest.mark.parametrize("suffix", [".csv", ".json", ".jsonl"])
def test_a_mapped_column_that_no_record_has_is_an_error(tmp_path, suffix):
    records = [{"headline": "عنوان", "text": ARABIC_BODY, "site": "O"}]
    path = tmp_path / f"items{suffix}"
    if suffix == ".csv":
        write_csv(path, records)
    elif suffix == ".json":
        path.write_text(json.dumps(records, ensure_ascii=False), "utf-8")
    else:
        write_jsonl(path, records)
    mapping = {"title": "headline", "body": "txet", "outlet": "site"}
    with pytest.raises(ValueError, match="no record of") as error:
        read_files([path], "generic", corpus="c", mapping=mapping)
    message = str(error.value)
    assert str(path) in message and "'txet' (for body)" in message
    assert "'headline', 'site', 'text'" in message
    # The right name loads the record.
    mapping["body"] = "text"
    assert len(read_files([path], "generic", corpus="c", mapping=mapping).articles) == 1


def test_a_column_present_in_only_some_json_records_is_no_error(tmp_path):
    path = write_jsonl(
        tmp_path / "a.jsonl", [{"t": "عنوان", "o": "O"}, {"t": "عنوان آخر", "o": "O", "s": "x"}]
    )
    result = read_files(
        [path], "generic", corpus="c", mapping={"title": "t", "outlet": "o", "section": "s"}
    )
    assert list(accounted(result).articles["section"]) == ["", "x"]


# ---------------------------------------------------------------- 3. dates


def dated(tmp_path, values, **options):
    rows = [article(f"عنوان {i}", "O", when=value) for i, value in enumerate(values)]
    path = write_csv(tmp_path / "dated.csv", rows)
    mapping = {"title": "title", "body": "body", "outlet": "outlet", "published": "when"}
    return accounted(read_files([path], "generic", corpus="c", mapping=mapping, **options))


def test_unparseable_dates_are_kept_undated_listed_counted_and_written(tmp_path):
    result = dated(tmp_path, ["2024-01-02", "yesterday", "", "31/31/2024"])
    assert result.rejects.empty and len(result.articles) == 4
    undated = result.articles[result.articles["date"].isna()]
    assert list(undated["source_record"]) == [1, 2, 3]
    assert set(undated["date_precision"]) == {"none"} and undated["published"].isna().all()
    # The empty date is simply unknown; the two unreadable values are listed.
    problems = result.problems
    assert list(problems["source_record"]) == [1, 3]
    assert list(problems["value"]) == ["yesterday", "31/31/2024"]
    assert set(problems["field"]) == {"when"} and set(problems["problem"]) == {"unparseable date"}
    assert list(problems["doc_id"]) == ["c:dated.csv#1", "c:dated.csv#3"]
    assert "kept with no date" in problems["detail"].iloc[0]
    assert result.summary == "read 4, loaded 4, rejected 0, problems 2 (2 unparseable date)"
    written = write_load_result(result.articles, result.rejects, tmp_path / "out", result.problems)
    assert [p.name for p in written] == ["articles.parquet", "rejects.csv", "problems.csv"]
    on_disk = pd.read_csv(tmp_path / "out" / "problems.csv", keep_default_na=False)
    assert list(on_disk["value"]) == ["yesterday", "31/31/2024"]
    assert list(on_disk.columns) == list(PROBLEM_COLUMNS)


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("3 كانون الثاني 2013", "2013-01-03"),
        ("15 آذار 2013", "2013-03-15"),
        ("1 تشرين الأول 2013", "2013-10-01"),
        ("20 كانون الأول 2012", "2012-12-20"),
        ("3 يناير 2013", "2013-01-03"),
        ("الثلاثاء، ١٥ مارس ٢٠١٣ - ١٠:٣٠ م", "2013-03-15"),
        ("1 أكتوبر 2013", "2013-10-01"),
        ("20 ديسمبر 2012", "2012-12-20"),
    ],
)
def test_both_arabic_month_series_after_iso(tmp_path, text, day):
    row = dated(tmp_path, [text]).articles.iloc[0]
    assert row.date == pd.Timestamp(day) and row.date_precision == "day"


def test_date_format_with_time_zone(tmp_path):
    result = dated(
        tmp_path,
        ["03/04/2013 10:30", "2013-04-03T10:30:00+02:00", "soon"],
        date_format="%d/%m/%Y %H:%M",
        tz="Asia/Beirut",
    )
    formatted, iso, other = result.articles.itertuples(index=False)
    # Beirut is UTC+3 on 3 April 2013 (summer time since 31 March).
    assert formatted.published == pd.Timestamp("2013-04-03T07:30:00Z")
    assert (formatted.date, formatted.utc_offset) == (pd.Timestamp("2013-04-03"), "+03:00")
    assert iso.published == pd.Timestamp("2013-04-03T08:30:00Z")  # ISO still works
    assert pd.isna(other.date) and "date_format '%d/%m/%Y %H:%M'" in result.problems.detail[0]
    day_only = dated(tmp_path, ["03-04-2013"], date_format="%d-%m-%Y").articles.iloc[0]
    assert (day_only.date, day_only.date_precision) == (pd.Timestamp("2013-04-03"), "day")


def test_dayfirst_decides_numeric_dates(tmp_path):
    values = ["03/04/2013", "25/12/2013", "2013/12/25", "12/25/2013 9:05"]
    day_first = dated(tmp_path, values, dayfirst=True)
    assert list(day_first.articles["date"].dt.strftime("%Y-%m-%d").fillna("")) == [
        "2013-04-03",
        "2013-12-25",
        "2013-12-25",
        "",
    ]
    month_first = dated(tmp_path, values)
    assert list(month_first.articles["date"].dt.strftime("%Y-%m-%d").fillna("")) == [
        "2013-03-04",
        "",
        "2013-12-25",
        "2013-12-25",
    ]
    assert month_first.articles["published"].iloc[3] == pd.Timestamp("2013-12-25T09:05Z")
    assert "pass dayfirst=True" in month_first.problems["detail"].iloc[0]


def test_parse_date_order_and_errors():
    assert parse_date("2013-04-03").date == pd.Timestamp("2013-04-03")
    # date_format is tried first, so it wins over the ISO reading of an ambiguous value.
    assert parse_date("2013-04-03", date_format="%Y-%d-%m").date == pd.Timestamp("2013-03-04")
    with pytest.raises(ValueError, match="not ISO 8601"):
        parse_date("03/04/13")  # a two-digit year is too ambiguous to guess


def test_optional_dates_of_other_readers_are_listed_too():
    armpro = Path(__file__).parents[1] / "fixtures" / "corpus" / "armpro"
    result = accounted(read_corpus("armpro", armpro, "armpro"))
    listed = result.problems[["doc_id", "field", "value", "problem"]].to_dict("records")
    assert listed == [
        {
            "doc_id": "armpro:p2_001",
            "field": "page_date",
            "value": "قبل ساعتين",
            "problem": "unparseable date",
        }
    ]
    row = result.articles[result.articles["doc_id"] == "armpro:p2_001"].iloc[0]
    assert pd.isna(row.date) and row.date_precision == "none"


def test_other_readers_keep_required_dates_required(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps([{"link": "https://x/1", "title": "ع", "date": "yesterday"}]))
    result = accounted(read_files([path], "aljazeera", corpus="c", outlet="O"))
    assert result.articles.empty
    assert result.rejects["reason"].iloc[0] == "unparseable date 'yesterday' in field date"


# ---------------------------------------------------------------- 4. encodings


def cp1256_file(tmp_path: Path) -> Path:
    rows = [article("عنوان بترميز ويندوز", "موقع عربي"), article("خبر ثان", "موقع عربي")]
    return write_csv(tmp_path / "windows.csv", rows, encoding="cp1256")


def test_cp1256_under_the_default_encoding_names_the_fix(tmp_path):
    path = cp1256_file(tmp_path)
    with pytest.raises(UnicodeDecodeError):
        path.read_text("utf-8")
    result = accounted(read_files([path], "generic", corpus="c"))
    assert result.articles.empty and len(result.rejects) == 2
    for reason in result.rejects["reason"]:
        assert "invalid UTF-8 at byte" in reason
        assert 'looks like cp1256 (Windows Arabic): set encoding = "cp1256"' in reason


@pytest.mark.parametrize("encoding", ["cp1256", "windows-1256", "auto"])
def test_cp1256_read_with_cp1256_or_auto(tmp_path, encoding):
    result = accounted(
        read_files([cp1256_file(tmp_path)], "generic", corpus="c", encoding=encoding)
    )
    assert result.rejects.empty
    assert list(result.articles["title"]) == ["عنوان بترميز ويندوز", "خبر ثان"]
    assert result.articles["body"].iloc[1] == f"{ARABIC_BODY} خبر ثان"
    assert set(result.articles["outlet"]) == {"موقع عربي"}
    listed = result.problems[result.problems["problem"] == "encoding"]
    if encoding == "auto":
        assert list(listed["value"]) == ["cp1256"] and list(listed["source_record"]) == [-1]
        assert listed["source_file"].iloc[0].endswith("windows.csv")
    else:
        assert listed.empty


def test_auto_reads_utf8_with_a_bom_and_lists_nothing(tmp_path):
    path = tmp_path / "bom.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(article("عنوان", "O")).encode())
    result = accounted(read_files([path], "generic", corpus="c", encoding="auto"))
    assert list(result.articles["title"]) == ["عنوان"] and result.problems.empty


def test_neither_utf8_nor_cp1256_falls_back_to_replacement(tmp_path):
    path = tmp_path / "latin.jsonl"
    line = json.dumps({"title": "café crème", "outlet": "O"}, ensure_ascii=False)
    path.write_bytes(line.encode("latin-1") + b"\n" + b'{"title": "plain", "outlet": "O"}\n')
    for encoding in ("utf-8", "auto"):
        result = accounted(read_files([path], "generic", corpus="c", encoding=encoding))
        assert list(result.articles["title"]) == ["plain"]
        reason = result.rejects["reason"].iloc[0]
        assert "invalid UTF-8 at byte" in reason and "set encoding" not in reason
    assert "not cp1256 Arabic either" in reason
    latin = read_files([path], "generic", corpus="c", encoding="latin-1").articles
    assert list(latin["title"]) == ["café crème", "plain"]


# ---------------------------------------------------------------- 5. record_path


def test_record_path_reaches_a_wrapped_record_list(tmp_path):
    path = tmp_path / "wrapped.json"
    payload = {"meta": {"tags": ["x"]}, "data": {"items": [article("أ", "O"), article("ب", "O")]}}
    path.write_text(json.dumps(payload, ensure_ascii=False), "utf-8")
    result = accounted(read_files([path], "generic", corpus="c", record_path="data.items"))
    assert list(result.articles["title"]) == ["أ", "ب"]
    assert list(result.articles["source_record"]) == [0, 1]
    unwrapped = accounted(read_files([path], "generic", corpus="c"))
    reason = unwrapped.rejects["reason"].iloc[0]
    assert reason.startswith("expected a JSON list of records at the top level, found dict")
    assert "'data.items' (2 items), 'meta.tags' (1 items)" in reason and "record_path" in reason
    wrong = read_files([path], "generic", corpus="c", record_path="data.rows").rejects
    assert "no key 'rows' at data (keys there: 'items')" in wrong["reason"].iloc[0]


# ---------------------------------------------------------------- 6. tiny inputs


def tiny_settings(tmp_path: Path, records: list[dict]) -> Settings:
    """A study whose one manifest corpus "tiny" (outlet "Tiny") holds ``records``."""
    raw = tmp_path / "raw"
    path = write_jsonl(raw / "tiny" / "items.jsonl", records)
    data = path.read_bytes()
    manifest = {
        "manifest_version": 1,
        "corpora": [
            {
                "name": "tiny",
                "description": "test corpus",
                "outlets": ["Tiny"],
                "reader": "generic",
                "licence": "test",
                "source": {"repository": "unknown", "note": "written by the test"},
                "files": [
                    {
                        "path": "tiny/items.jsonl",
                        "sha256": hashlib.sha256(data).hexdigest(),
                        "bytes": len(data),
                    }
                ],
            }
        ],
    }
    (tmp_path / "manifest.yml").write_text(yaml.safe_dump(manifest, allow_unicode=True))
    settings = load_settings(tmp_path).with_paths(raw_dir=raw, manifest="manifest.yml")
    return replace(settings, corpora=(CorpusConfig("tiny"),))


SHORT = [{"title": "نشرة"}, {"title": "نشرة"}, {"title": "خبر عاجل"}]
LONG = [{"body": " ".join(f"كلمة{i}" for i in range(30))}] * 2 + [{"body": ARABIC_BODY}]


@pytest.mark.parametrize("records", [SHORT, LONG], ids=["short", "long"])
@pytest.mark.parametrize("size", [0, 1, 2, 3])
def test_tiny_inputs_go_through_read_dedup_and_load_articles(tmp_path, records, size):
    settings = tiny_settings(tmp_path, records[:size])
    result = accounted(load_corpora(["tiny"], settings))
    assert len(result.articles) == size and result.rejects.empty
    assert set(result.articles["outlet"]) <= {"Tiny"}  # the manifest's single outlet
    for min_words in (1, 20):
        unique = deduplicate(result.articles, near=True, min_words=min_words)
        assert unique["dup_count"].sum() == size
        clusters = near_duplicate_clusters(result.articles, min_words=min_words)
        assert len(clusters) == size
    if not size:
        with pytest.raises(NothingLoadedError, match="read 0, loaded 0"):
            load_articles(settings, near=True)
        return
    cached = load_articles(settings, near=True)
    assert len(cached) == len(deduplicate(result.articles, near=True))
    assert list(cached.columns[: len(ARTICLE_COLUMNS)]) == list(ARTICLE_COLUMNS)


def test_empty_text_after_cleaning_and_all_rejected(tmp_path):
    invisible = "\u200f\u202b \u2066\ufeff"
    settings = tiny_settings(tmp_path, [{"title": invisible, "body": " \n\t "}, {"lead": ""}])
    result = accounted(load_corpora(["tiny"], settings))
    assert result.articles.empty and len(result.rejects) == 2
    assert set(result.rejects["reason"]) == {"empty text: title, lead and body are all empty"}
    assert deduplicate(result.articles, near=True).empty
    with pytest.raises(NothingLoadedError, match="2 rejected: empty text"):
        load_articles(settings, near=True)


def test_empty_files_of_every_generic_format(tmp_path):
    (tmp_path / "a.json").write_text("[]")
    (tmp_path / "b.jsonl").write_text("")
    (tmp_path / "c.csv").write_text("")
    (tmp_path / "d.csv").write_text("title,body\n")
    result = accounted(read_files(sorted(tmp_path.iterdir()), "generic", corpus="c"))
    assert result.n_read == 0 and result.summary == "read 0, loaded 0, rejected 0, problems 0"
    assert deduplicate(result.articles, near=True).empty


# ---------------------------------------------------------------- 7. missing files, globs


def test_missing_file_and_empty_glob_are_named(tmp_path):
    with pytest.raises(FileNotFoundError, match=re.escape(f"no such file: {tmp_path}/nope.csv")):
        read_files([tmp_path / "nope.csv"], "generic", corpus="c")
    with pytest.raises(FileNotFoundError, match=re.escape(f"'{tmp_path}/*.csv'")):
        read_files([f"{tmp_path}/*.csv"], "generic", corpus="c")
    with pytest.raises(IsADirectoryError, match="is a folder"):
        read_files([tmp_path], "generic", corpus="c")


def test_read_files_expands_globs_in_order(tmp_path):
    write_jsonl(tmp_path / "b.jsonl", [article("ب", "O")])
    write_jsonl(tmp_path / "a.jsonl", [article("أ", "O")])
    result = read_files([f"{tmp_path}/*.jsonl"], "generic", corpus="c")
    assert list(result.articles["source_file"]) == [f"{tmp_path}/a.jsonl", f"{tmp_path}/b.jsonl"]


def test_expand_globs_relative_absolute_sorted_and_deduplicated(tmp_path):
    for name in ("x/2.csv", "x/1.csv", "x/deep/3.csv", "y/4.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    (tmp_path / "x" / "folder.csv").mkdir()  # a folder matching the glob is not a file
    absolute = str(tmp_path / "y" / "*.json")
    found = expand_globs(["y/4.json", "x/*.csv", "x/1.csv", "x/**/*.csv", absolute], tmp_path)
    assert found == [tmp_path / n for n in ("x/1.csv", "x/2.csv", "x/deep/3.csv", "y/4.json")]
    with pytest.raises(FileNotFoundError, match=re.escape("'" + str(tmp_path / "z/*.csv"))):
        expand_globs(["x/*.csv", "z/*.csv"], tmp_path)
    with pytest.raises(FileNotFoundError, match="no such file"):
        expand_globs(["x/9.csv"], tmp_path)
    assert expand_globs([], tmp_path) == []


# ---------------------------------------------------------------- 8. outlets, 9. options


def test_no_manifest_outlet_is_named_in_the_corpus_code():
    outlets = {o for c in load_manifest(MANIFEST).corpora for o in c.outlets}
    assert {"Al Mayadeen", "Al Jazeera"} <= outlets
    for source in sorted(SRC.glob("*.py")):
        text = source.read_text("utf-8")
        named = sorted(o for o in outlets if o in text)
        assert not named, f"{source.name} names outlet(s) {named}"


def test_format_without_outlet_needs_one(tmp_path):
    path = tmp_path / "a.json"
    path.write_text(json.dumps([{"link": "https://x/1", "title": "ع", "date": "2024-01-02"}]))
    assert read_files([path], "aljazeera", corpus="c").rejects["reason"].tolist() == [
        "no outlet given: pass outlet=..."
    ]
    read = read_corpus("c", tmp_path, "aljazeera", default_outlet="Default")
    assert list(read.articles["outlet"]) == ["Default"]
    overridden = read_corpus("c", tmp_path, "aljazeera", "Given", default_outlet="Default")
    assert list(overridden.articles["outlet"]) == ["Given"]


@pytest.mark.parametrize(
    ("reader", "options", "message"),
    [
        ("almayadeen", {"date_format": "%Y"}, "does not take option(s) date_format"),
        ("seed_text", {"record_path": "a"}, "does not take option(s) record_path"),
        ("almayadeen", {"mapping": {"title": "t"}}, "does not take option(s) mapping"),
        ("html", {"encoding": "cp1256"}, "does not take option(s) encoding"),
        ("generic", {"encoding": "klingon"}, "unknown encoding 'klingon'"),
        ("generic", {"date_format": "dd/mm/yyyy"}, "strptime format"),
        ("generic", {"dayfirst": "yes"}, "dayfirst must be True or False"),
        ("generic", {"record_path": "data..items"}, "dotted keys"),
        ("generic", {"mapping": {"title": ""}}, "non-empty strings"),
        ("generic", {"tz": "Mars/Olympus"}, "unknown time zone"),
    ],
)
def test_options_are_checked_up_front(tmp_path, reader, options, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        read_files([tmp_path / "never read.json"], reader, corpus="c", **options)


def streamed_and_whole(read, path, monkeypatch):
    """(records, columns, decode problem, encoding) of ``read(path)`` streamed, and decoded
    whole (the UTF-8 check made to fail, JSON lists made too small to stream), unreadable
    records as their reasons."""
    from arabmedia.corpus import _readers
    from arabmedia.corpus._schema import _Options

    def described(file_records):
        records = [
            (n, raw.reason if isinstance(raw, _readers._Unreadable) else raw)
            for n, raw in file_records.records
        ]
        columns = file_records.columns
        if columns is None and file_records.streamed:  # known once the records are read
            columns = file_records.records.columns
        return records, columns, file_records.decode_problem, file_records.encoding

    options = _Options("c", None, None, None)
    streamed = read(path, options)
    assert streamed.streamed and not isinstance(streamed.records, list)
    found = described(streamed)
    with monkeypatch.context() as patched:
        patched.setattr(_readers, "_valid_utf8", lambda path: False)
        patched.setattr(_readers, "_STREAM_JSON_FROM_BYTES", path.stat().st_size + 1)
        whole = read(path, options)
        assert not whole.streamed
        return found, described(whole)


def test_a_utf8_json_lines_file_streams_the_records_it_would_read_whole(tmp_path, monkeypatch):
    """The line-at-a-time path gives the records, line numbers, problems and columns that
    decoding the whole file gives: BOM, CRLF ends, blank lines, bad and non-object lines."""
    from arabmedia.corpus import _readers

    lines = [
        json.dumps(article("أ", "O"), ensure_ascii=False),
        "",
        '{"title": "broken',
        "[1, 2]",
        "   ",
        json.dumps(article("ب", "O", extra_key="x"), ensure_ascii=False) + "\r",
        "[" * 100_000 + "]" * 100_000,
        json.dumps(article("ج", "P"), ensure_ascii=False),
    ]
    path = tmp_path / "items.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + "\n".join(lines).encode("utf-8"))
    found, expected = streamed_and_whole(_readers._jsonl_records, path, monkeypatch)
    assert found == expected
    assert [n for n, _ in found[0]] == [0, 2, 3, 5, 6, 7]
    assert {"title", "extra_key"} <= found[1]


def test_a_utf8_json_list_streams_the_records_it_would_read_whole(tmp_path, monkeypatch):
    """Element by element (here 5-byte blocks, so values, numbers, escapes and the BOM
    straddle them) a JSON list gives the records, numbers and columns that parsing the whole
    file gives: whitespace around and inside the list, non-object items, duplicate keys."""
    from arabmedia.corpus import _readers

    monkeypatch.setattr(_readers, "_BLOCK_BYTES", 5)
    monkeypatch.setattr(_readers, "_STREAM_JSON_FROM_BYTES", 0)
    items = [
        json.dumps(article("أ", "O"), ensure_ascii=False),
        "12345678901234567890",
        '{"title": "\\u0628 ب", "title": "ثان", "extra_key": [1, {"x": null}]}',
        "true",
        '"نص"',
        json.dumps(article("ج", "P", extra_key=1.5e10)),
        "-0.25",
    ]
    path = tmp_path / "items.json"
    path.write_bytes(b"\xef\xbb\xbf \r\n[\t" + ",\n ".join(items).encode("utf-8") + b" ]\n")
    found, expected = streamed_and_whole(_readers._json_list_records, path, monkeypatch)
    assert found == expected
    assert [n for n, _ in found[0]] == list(range(7))
    assert found[0][2][1] == {"title": "ثان", "extra_key": [1, {"x": None}]}
    assert found[1] == {"title", "body", "outlet", "extra_key"}


@pytest.mark.parametrize(
    "text",
    ["[1, 2,]", "[1] [2]", '[{"title": }]', "[" * 100_000 + "]" * 100_000, "", '{"a": [1]}'],
    ids=["trailing comma", "data after", "bad value", "too deep", "empty file", "an object"],
)
def test_a_json_list_that_does_not_parse_is_rejected_whole_before_any_record(
    tmp_path, monkeypatch, text
):
    """A file that is not one parsing JSON list loads nothing and gets the reason reading it
    whole gives (position, nesting, the record_path hint), however far streaming got."""
    from arabmedia.corpus import _readers

    monkeypatch.setattr(_readers, "_BLOCK_BYTES", 3)
    monkeypatch.setattr(_readers, "_STREAM_JSON_FROM_BYTES", 0)
    path = tmp_path / "items.json"
    path.write_text(text.replace("[1", f"[{json.dumps(article('أ', 'O'))}, 1"), "utf-8")
    streamed = accounted(read_files([path], "generic", corpus="c"))
    monkeypatch.setattr(_readers, "_STREAM_JSON_FROM_BYTES", path.stat().st_size + 1)
    whole = accounted(read_files([path], "generic", corpus="c"))
    assert streamed.articles.empty and list(streamed.rejects["source_record"]) == [-1]
    assert streamed.rejects.equals(whole.rejects)


def test_a_json_list_not_in_utf8_is_read_whole_with_its_decoding_problem(tmp_path, monkeypatch):
    """Bytes that are not UTF-8 stop streaming: the file is decoded whole, as before (the
    record holding them rejected, naming the byte; the others load)."""
    from arabmedia.corpus import _readers

    monkeypatch.setattr(_readers, "_BLOCK_BYTES", 4)
    records = [article("أ", "O"), article("ب", "O")]
    path = tmp_path / "items.json"
    text = json.dumps(records, ensure_ascii=False).encode("utf-8")
    path.write_bytes(text.replace("ب".encode(), b"\xff", 1))
    read = {}
    for threshold in (0, path.stat().st_size + 1):
        monkeypatch.setattr(_readers, "_STREAM_JSON_FROM_BYTES", threshold)
        read[threshold] = accounted(read_files([path], "generic", corpus="c"))
    streamed, whole = read.values()
    assert list(streamed.articles["title"]) == ["ب"]
    assert list(streamed.rejects["source_record"]) == [0]
    assert streamed.rejects["reason"].str.startswith("invalid UTF-8 at byte").all()
    assert streamed.articles.equals(whole.articles) and streamed.rejects.equals(whole.rejects)


def test_a_streamed_json_list_is_checked_against_the_mapping_before_its_first_record(
    tmp_path, monkeypatch
):
    """The first pass finds the list's keys, so a wrong mapping stops the file up front."""
    from arabmedia.corpus import _readers
    from arabmedia.corpus._loading import _file_outcomes

    monkeypatch.setattr(_readers, "_STREAM_JSON_FROM_BYTES", 0)
    from arabmedia.corpus._readers import READERS
    from arabmedia.corpus._schema import _Options

    path = tmp_path / "items.json"
    path.write_text(json.dumps([{"headline": "أول", "text": "نص"}]), "utf-8")
    options = _Options("c", None, {"title": "headline", "body": "body_text"}, None)
    outcomes = _file_outcomes(path, "items.json", "items.json", READERS["generic"], options)
    with pytest.raises(ValueError, match="'body_text' \\(for body\\)"):
        next(outcomes)


def test_a_json_list_under_a_record_path_is_read_whole(tmp_path, monkeypatch):
    """record_path lists sit inside an object: that file is parsed whole, as before."""
    from arabmedia.corpus import _readers
    from arabmedia.corpus._schema import _Options

    monkeypatch.setattr(_readers, "_STREAM_JSON_FROM_BYTES", 0)
    path = tmp_path / "items.json"
    path.write_text(json.dumps({"data": {"items": [article("أ", "O")]}}), "utf-8")
    read = _readers._json_list_records(
        path, _Options("c", None, None, None, record_path="data.items")
    )
    assert not read.streamed and [n for n, _ in read.records] == [0]


def test_csv_parsed_in_chunks_gives_what_the_whole_file_gives(tmp_path, monkeypatch):
    """Chunk by chunk (here 2 rows a chunk) a UTF-8 CSV gives the records, row numbers and
    columns that decoding it whole gives: BOM, CRLF ends, a quoted line break, empty cells."""
    from arabmedia.corpus import _readers

    monkeypatch.setattr(_readers, "_CSV_CHUNK_ROWS", 2)
    text = 'title,body,id\r\nأول,"سطر\r\nثان",1\r\n,فارغ,2\r\nثالث,,3\r\nرابع,نص,\r\nخامس,x,5\r\n'
    path = tmp_path / "news.csv"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    found, expected = streamed_and_whole(_readers._csv_records, path, monkeypatch)
    assert found == expected
    assert [n for n, _ in found[0]] == [0, 1, 2, 3, 4]
    assert found[0][0][1] == {"title": "أول", "body": "سطر\r\nثان", "id": "1"}
    assert found[1] == {"title", "body", "id"}


@pytest.mark.parametrize("streamed", [True, False])
def test_csv_that_pandas_would_read_short_is_unreadable(tmp_path, monkeypatch, streamed):
    """A row with more fields than the header is an unreadable file, whether parsed in chunks
    or whole: in the first data row pandas would silently take the extra first column for
    an index (its values lost), later it is a parse error found before any record loads."""
    from arabmedia.corpus import _readers

    monkeypatch.setattr(_readers, "_CSV_CHUNK_ROWS", 2)
    if not streamed:
        monkeypatch.setattr(_readers, "_valid_utf8", lambda path: False)
    (tmp_path / "a.csv").write_text("title,body\nأول,نص,زائد\n", "utf-8")
    (tmp_path / "b.csv").write_text("title,body\nأول,نص\nثان,نص\nثالث,نص\nرابع,نص,زائد\n", "utf-8")
    result = accounted(read_files(sorted(tmp_path.iterdir()), "generic", corpus="c"))
    assert result.articles.empty and list(result.rejects["source_record"]) == [-1, -1]
    reasons = list(result.rejects["reason"])
    assert reasons[0] == "unreadable CSV: its first row has more fields than the header"
    assert reasons[1].startswith("unreadable CSV: Error tokenizing data")


def test_csv_mapping_is_checked_before_a_streamed_file_loads(tmp_path):
    """A CSV file's header gives its columns: a wrong mapping stops it before its first record."""
    from arabmedia.corpus._loading import _file_outcomes
    from arabmedia.corpus._readers import READERS
    from arabmedia.corpus._schema import _Options

    path = tmp_path / "news.csv"
    path.write_text("headline,text\nأول,نص\n", "utf-8")
    options = _Options("c", None, {"title": "headline", "body": "body_text"}, None)
    outcomes = _file_outcomes(path, "news.csv", "news.csv", READERS["generic"], options)
    with pytest.raises(ValueError, match="'body_text' \\(for body\\)"):
        next(outcomes)


def test_parquet_read_in_batches_gives_what_pandas_reads_whole(tmp_path, monkeypatch):
    """Batch by batch (here at most 2 rows of a row group) a Parquet file gives the rows
    and columns that pandas reading it whole gives, a stored index not among the columns."""
    import datetime

    from arabmedia.corpus import _readers

    monkeypatch.setattr(_readers, "_PARQUET_BATCH_ROWS", 2)
    table = pd.DataFrame(
        {
            "title": ["أ", None, "ج", "د", "ه"],
            "count": pd.array([1, None, 3, 4, 5], dtype="Int64"),
            "share": [0.5, None, 2.0, 3.0, 4.0],
            "published": pd.to_datetime(
                ["2023-10-07 10:00", None, "2023-10-08 09:30", "2023-10-09 00:00", None], utc=True
            ),
            "day": [datetime.date(2023, 1, 1), None, datetime.date(2023, 1, 2), None, None],
            "flag": [True, None, False, True, True],
        },
        index=list("vwxyz"),
    )
    path = tmp_path / "table.parquet"
    table.to_parquet(path, row_group_size=3)  # batches of 2, 1 and 2 rows
    streamed = _readers._parquet_records(path, None)
    assert streamed.streamed and not isinstance(streamed.records, list)
    assert streamed.columns == frozenset(table.columns)
    rows = list(streamed.records)
    assert [n for n, _ in rows] == [0, 1, 2, 3, 4]
    expected = pd.read_parquet(path).to_dict("records")
    assert [repr(row) for _, row in rows] == [repr(row) for row in expected]


def test_parquet_whole_numbers_with_gaps_stay_whole(tmp_path):
    """An integer column with missing values written by Arrow (DuckDB, Spark, polars) is an
    id ``3``, not the ``3.0`` of pandas reading the file whole into floats."""
    import pyarrow as pa

    ids = pa.array([3, None, 12], pa.int64())
    titles = pa.array(["أول", "ثان", "ثالث"])
    path = tmp_path / "table.parquet"
    pq.write_table(pa.table({"id": ids, "title": titles, "body": titles}), path)
    mapping = {"doc_id": "id", "title": "title", "body": "body"}
    result = accounted(read_files([path], "generic", corpus="c", outlet="O", mapping=mapping))
    assert list(result.articles["doc_id"]) == ["c:3", "c:12"]
    assert list(result.rejects["reason"]) == ["missing required field id"]


def test_json_lines_that_are_not_utf8_are_decoded_whole(tmp_path):
    from arabmedia.corpus import _readers
    from arabmedia.corpus._schema import _Options

    path = tmp_path / "items.jsonl"
    path.write_bytes(json.dumps(article("عنوان", "O"), ensure_ascii=False).encode("cp1256"))
    auto = _readers._jsonl_records(path, _Options("c", None, None, None, encoding="auto"))
    assert not auto.streamed and auto.encoding == "cp1256"
    assert [raw["title"] for _, raw in auto.records] == ["عنوان"]
