"""Hand-coding workflow: sample, sheet, codebook, import with validation, agreement."""

import krippendorff
import pandas as pd
import pytest

from arabmedia.analysis import (
    CodingSheetError,
    codebook_markdown,
    coder_agreement,
    coder_majority,
    coding_sample,
    count_frames,
    dictionary_vs_coders,
    export_coding_sheet,
    read_coding_sheets,
    write_codebook,
)
from arabmedia.lexicons import load_frames
from arabmedia.text import tokenize

TOY = """\
dictionary: toy
references: {r: "Test reference, 2024."}
frames:
  - name: war
    label: War
    definition: Fighting is the focus.
    coding_question: Is there fighting?
    reference: r
    indicators:
      - {pattern: قصف, forms: [غارات], rationale: shelling words}
  - name: aid
    label: Aid | relief
    definition: Relief is the focus.
    coding_question: Is there relief?
    reference: r
    indicators:
      - {pattern: مساعدات, clitics: exact, rationale: "aid | relief"}
"""


@pytest.fixture
def frames(tmp_path):
    path = tmp_path / "toy.yaml"
    path.write_text(TOY, encoding="utf-8")
    return load_frames(path)


def articles():
    days = ["2023-10-01", "2023-10-15", "2023-10-20", "2023-11-02", "2023-11-03", None]
    return pd.DataFrame(
        {
            "doc_id": [f"a{i}" for i in range(6)] + [f"b{i}" for i in range(6)],
            "outlet": ["A"] * 6 + ["B"] * 6,
            "date": pd.to_datetime(days * 2),
            "url": [f"https://example.org/{i}" for i in range(12)],
            "title": ["قصف", "مساعدات", "قصف ومساعدات", "خبر", "غارات", "قصف"] * 2,
            "lead": [""] * 12,
            "body": ["نص, مع فاصلة", "", "", "", "", ""] * 2,
        }
    )


def test_stratified_sample_is_seeded_and_respects_cells():
    sample = coding_sample(articles(), 2, seed=7)
    cells = sample.groupby(["outlet", "month"]).size().to_dict()
    assert cells == {
        ("A", "2023-10"): 2,
        ("A", "2023-11"): 2,
        ("B", "2023-10"): 2,
        ("B", "2023-11"): 2,
    }
    assert sample["date"].notna().all()
    pd.testing.assert_frame_equal(sample, coding_sample(articles(), 2, seed=7))
    seeds = {tuple(coding_sample(articles(), 1, seed=s)["doc_id"]) for s in range(10)}
    assert len(seeds) > 1  # the seed matters
    # another outlet's articles do not change outlet A's draw
    only_a = articles()[articles()["outlet"] == "A"]
    a_part = sample[sample["outlet"] == "A"].reset_index(drop=True)
    pd.testing.assert_frame_equal(coding_sample(only_a, 2, seed=7), a_part)
    with pytest.raises(ValueError, match="n_per_cell"):
        coding_sample(articles(), 0)


def test_sheet_and_codebook(tmp_path, frames):
    sample = coding_sample(articles(), 5)
    path = export_coding_sheet(sample, frames, tmp_path / "sheet.csv", text_field=("title", "body"))
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode())
    sheet = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert list(sheet.columns) == ["doc_id", "url", "outlet", "date", "text", "war", "aid", "notes"]
    assert sheet["date"].iloc[0] == "2023-10-01"
    assert sheet.loc[sheet["doc_id"] == "a0", "text"].item() == "قصف\nنص, مع فاصلة"
    assert (sheet[["war", "aid", "notes"]] == "").all().all()
    plain = export_coding_sheet(sample, frames, tmp_path / "plain.csv")
    assert "text" not in pd.read_csv(plain, encoding="utf-8-sig").columns
    assert not list(tmp_path.glob(".tmp-*"))  # atomic writes leave nothing behind
    book = codebook_markdown(frames)
    assert "## `war` — War" in book and "Is there relief?" in book
    assert "| قصف | غارات | shelling words |" in book
    assert "| مساعدات (exact word) |  | aid \\| relief |" in book
    written = write_codebook(frames, tmp_path / "codebook.md")
    assert written.read_text("utf-8") == book


def coded_sheets(tmp_path, frames, values):
    """Write one sheet per coder; ``values`` maps coder -> {doc_id: (war, aid)}."""
    sample = articles().iloc[:4]
    paths = {}
    for coder, codes in values.items():
        path = export_coding_sheet(sample, frames, tmp_path / f"{coder}.csv")
        sheet = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        for doc_id, (war, aid) in codes.items():
            sheet.loc[sheet["doc_id"] == doc_id, ["war", "aid"]] = [war, aid]
        sheet.to_csv(path, index=False, encoding="utf-8-sig")
        paths[coder] = path
    return sample, paths


VALUES = {
    "c1": {"a0": ("1", "0"), "a1": ("0", "1"), "a2": ("1", "1"), "a3": ("0", "0")},
    "c2": {"a0": ("1", "0"), "a1": ("0", "1"), "a2": ("1", "0"), "a3": ("1", "")},
    "c3": {"a0": ("1", "0"), "a1": ("0", "0"), "a2": ("1", "1"), "a3": ("0", "0")},
}


def test_round_trip_agreement_and_dictionary_check(tmp_path, frames):
    sample, paths = coded_sheets(tmp_path, frames, VALUES)
    codes = read_coding_sheets(paths, frames, expected_ids=sample["doc_id"])
    assert len(codes) == 3 * 4 * 2
    assert codes["value"].isna().sum() == 1  # c2 left aid of a3 empty
    agreement = coder_agreement(codes).set_index("frame")
    for frame in ("war", "aid"):
        wide = codes[codes["frame"] == frame].pivot(index="coder", columns="doc_id", values="value")
        expected = krippendorff.alpha(
            reliability_data=wide.to_numpy(dtype=float), level_of_measurement="nominal"
        )
        assert agreement.loc[frame, "alpha"] == pytest.approx(expected)
    # war: a0, a1, a2 unanimous (3 agreeing pairs each), a3 splits 2-1 (1 of 3 pairs)
    assert agreement.loc["war", "observed_agreement"] == pytest.approx(10 / 12)
    assert agreement.loc["war", "n_coders"] == 3
    majority = coder_majority(codes).set_index(["doc_id", "frame"])["majority"]
    assert majority[("a2", "aid")] == 1 and majority[("a1", "aid")] == 1
    assert majority[("a3", "war")] == 0
    tokens = pd.Series([tokenize(t) for t in sample["title"]], index=sample.index)
    scores = count_frames(sample, tokens, frames)
    check = dictionary_vs_coders(codes, scores, frames, n_boot=100).set_index("frame")
    # war: dictionary fires on a0, a2 (قصف); coders say a0, a2 -> perfect
    war = check.loc["war"]
    assert [war["precision"], war["recall"], war["n_texts"], war["n_present"]] == [1, 1, 4, 2]
    # aid (exact word): fires on a1 only (a2 has ومساعدات); coders say a1, a2
    assert check.loc["aid", "precision"] == 1 and check.loc["aid", "recall"] == 0.5


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.assign(war=["1", "yes", "0", "1"]), r"row 3: column 'war': value 'yes'"),
        (lambda s: s.rename(columns={"aid": "aids"}), r"missing column\(s\) \['aid'\]"),
        (lambda s: s.assign(extra=""), r"unknown column\(s\) \['extra'\]"),
        (lambda s: s.assign(doc_id=["a0", "a1", "a1", "a3"]), r"row 4: doc_id 'a1' appears twice"),
        (lambda s: s.assign(doc_id=["a0", "a1", "zz", "a3"]), r"row 4: doc_id 'zz' is not in"),
        (lambda s: s.iloc[:3], r"1 doc_id\(s\) of the sample missing, e.g. \['a3'\]"),
        (lambda s: s.assign(doc_id=["a0", " ", "a2", "a3"]), r"row 3: empty doc_id"),
    ],
)
def test_bad_sheets_name_file_row_and_reason(tmp_path, frames, change, message):
    sample, paths = coded_sheets(tmp_path, frames, VALUES)
    bad = paths["c2"]
    sheet = pd.read_csv(bad, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    change(sheet).to_csv(bad, index=False, encoding="utf-8-sig")
    with pytest.raises(CodingSheetError, match=message) as error:
        read_coding_sheets(paths, frames, expected_ids=sample["doc_id"])
    assert str(bad) in str(error.value)


def test_sheet_list_uses_file_stems_and_rejects_unreadable_files(tmp_path, frames):
    _, paths = coded_sheets(tmp_path, frames, VALUES)
    codes = read_coding_sheets(list(paths.values()), frames)
    assert sorted(codes["coder"].unique()) == ["c1", "c2", "c3"]
    broken = tmp_path / "latin1.csv"
    broken.write_bytes("doc_id,war,aid\nقصف,1,0\n".encode("cp1256"))
    with pytest.raises(CodingSheetError, match=r"latin1\.csv: not UTF-8"):
        read_coding_sheets([broken], frames)
    with pytest.raises(CodingSheetError, match="cannot read"):
        read_coding_sheets([tmp_path / "none.csv"], frames)
    alone = coder_agreement(codes[codes["coder"] == "c1"])
    assert alone["n_units"].tolist() == [0, 0] and alone["alpha"].isna().all()


def test_prepare_coding_and_coding_results_equal_the_single_steps(frames, tmp_path):
    from arabmedia.analysis import coding_results, prepare_coding

    table = articles()
    sample, written = prepare_coding(table, frames, tmp_path / "coding", 1, text_field="title")
    pd.testing.assert_frame_equal(sample, coding_sample(table, 1, seed=0))
    assert [path.name for path in written] == ["coding_sheet.csv", "codebook.md"]
    assert written[1].read_text(encoding="utf-8") == codebook_markdown(frames)
    sheet = pd.read_csv(written[0], dtype=str, keep_default_na=False, encoding="utf-8-sig")
    assert sheet["doc_id"].tolist() == sample["doc_id"].tolist()
    assert sheet["text"].tolist() == sample["title"].tolist()
    paths = {}
    for coder, war in (("A", "1"), ("B", "0"), ("C", "1")):
        filled = sheet.assign(war=war, aid="0")
        paths[coder] = tmp_path / f"{coder}.csv"
        filled.to_csv(paths[coder], index=False)
    tokens = pd.Series([tokenize(title) for title in table["title"]])
    scores = count_frames(table, tokens, frames)
    agreement, accuracy = coding_results(paths, frames, sample, scores, n_boot=20, seed=0)
    codes = read_coding_sheets(paths, frames, expected_ids=sample["doc_id"])
    pd.testing.assert_frame_equal(agreement, coder_agreement(codes))
    in_sample = scores[scores["doc_id"].isin(set(sample["doc_id"]))]
    direct = dictionary_vs_coders(codes, in_sample, frames, n_boot=20, seed=0)
    pd.testing.assert_frame_equal(accuracy, direct)
    war = accuracy.set_index("frame").loc["war"]
    assert war["n_texts"] == len(sample) and war["n_present"] == len(sample)  # 2 of 3 say 1
