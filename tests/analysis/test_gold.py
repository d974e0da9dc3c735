"""The blind protocol's bookkeeping: frozen test halves, second-coder agreement, and lexicon
precision estimates (worked values computed by hand)."""

import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from arabmedia import analysis
from arabmedia.config import load_settings
from arabmedia.corpus import load_articles
from arabmedia.lexicons import LEXICON_DIR, LexiconError, load_frames, load_precision_judgements
from arabmedia.lexicons import _precision as precision_data

ROOT = Path(__file__).resolve().parents[2]


def write_gold(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    lines = ["# comment", "word\tsplit\tlabel", *("\t".join(row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def test_digest_covers_the_test_half_only(tmp_path):
    rows = [("a", "dev", "x"), ("b", "test", "y"), ("c", "test", "z")]
    digest = analysis.frozen_digest(write_gold(tmp_path / "g.tsv", rows))
    dev_changed = [("a", "dev", "CHANGED"), *rows[1:]]
    assert analysis.frozen_digest(write_gold(tmp_path / "g.tsv", dev_changed)) == digest
    test_changed = [*rows[:2], ("c", "test", "CHANGED")]
    assert analysis.frozen_digest(write_gold(tmp_path / "g.tsv", test_changed)) != digest
    moved = [("a", "test", "x"), *rows[1:]]
    assert analysis.frozen_digest(write_gold(tmp_path / "g.tsv", moved)) != digest


def test_digest_refuses_a_file_without_test_half(tmp_path):
    with pytest.raises(analysis.FrozenGoldError, match="no row has split 'test'"):
        analysis.frozen_digest(write_gold(tmp_path / "g.tsv", [("a", "dev", "x")]))


def test_committed_test_halves_are_the_frozen_ones():
    frozen = analysis.read_frozen(ROOT)
    assert "data/gold/agency_sentences.tsv" in frozen
    assert "data/gold/segmentation.tsv" in frozen
    assert any(name.startswith("src/arabmedia/lexicons/data/terms/precision/") for name in frozen)
    analysis.check_frozen(ROOT)


def test_a_changed_test_label_is_refused_naming_the_file(tmp_path):
    (tmp_path / "data" / "gold").mkdir(parents=True)
    shutil.copy(ROOT / analysis.FROZEN_PATH, tmp_path / analysis.FROZEN_PATH)
    name = "data/gold/segmentation.tsv"
    text = (ROOT / name).read_text("utf-8").splitlines()
    test_row = next(i for i, line in enumerate(text) if "\ttest\t" in line)
    text[test_row] = text[test_row] + "x"
    (tmp_path / name).write_text("\n".join(text) + "\n", "utf-8")
    with pytest.raises(analysis.FrozenGoldError, match=r"segmentation\.tsv: the test half changed"):
        analysis.check_frozen(tmp_path, [name])
    with pytest.raises(analysis.FrozenGoldError, match=r"agency_sentences\.tsv: file missing"):
        analysis.check_frozen(tmp_path, ["data/gold/agency_sentences.tsv"])


def test_gold_agreement_matches_a_worked_alpha():
    # Two coders, 6 units, one disagreement (a/b on unit 6).  Coincidences: a-a 6, b-b 4,
    # a-b 1, b-a 1; n = 12, n_a = 7, n_b = 5.  D_o = 2/12; D_e = 2*7*5/(12*11) = 70/132.
    # alpha = 1 - (2/12)/(70/132) = 1 - 22/70 = 0.685714...
    first = pd.DataFrame({"unit": range(6), "code": list("aaabba")})
    second = pd.DataFrame({"unit": range(6), "code": list("aaabbb")})
    table = analysis.gold_agreement(first, second, ["unit"], "code", gold_set="toy", n_boot=200)
    row = table.iloc[0]
    assert list(table.columns) == list(analysis.AGREEMENT_COLUMNS)
    assert row["n_units"] == 6
    assert row["observed_agreement"] == pytest.approx(5 / 6)
    assert row["alpha"] == pytest.approx(1 - 22 / 70)
    assert row["alpha_low"] <= row["alpha"] <= row["alpha_high"]


def test_gold_agreement_refuses_units_the_first_coder_lacks():
    first = pd.DataFrame({"unit": [1], "code": ["a"]})
    second = pd.DataFrame({"unit": [1, 2], "code": ["a", "b"]})
    with pytest.raises(ValueError, match="only in second"):
        analysis.gold_agreement(first, second, ["unit"], "code", n_boot=0)


def judgements(rows):
    return pd.DataFrame(rows, columns=list(analysis.JUDGEMENT_COLUMNS))


def test_indicator_precision_has_the_wilson_interval():
    # 7 of 10 in sense: Wilson 95% = (p + z²/2n ± z*sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n).
    rows = [("L", "f", "w", 50, "dev" if i < 5 else "test", int(i < 7)) for i in range(10)]
    table = analysis.indicator_precision(judgements(rows))
    z, n, p = 1.959963984540054, 10, 0.7
    centre, half = p + z * z / (2 * n), z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    row = table.iloc[0]
    assert row["estimate"] == pytest.approx(0.7)
    assert row["low"] == pytest.approx((centre - half) / (1 + z * z / n))
    assert row["high"] == pytest.approx((centre + half) / (1 + z * z / n))
    assert (row["numerator"], row["denominator"]) == (7, 10)
    assert row["dev_estimate"] == 1.0 and row["test_estimate"] == pytest.approx(0.4)


def test_item_precision_weights_indicators_by_their_hits():
    rows = [("L", "f", "common", 300, "test", v) for v in (1, 0, 1, 0)]
    rows += [("L", "f", "rare", 100, "test", 1) for _ in range(4)]
    rows += [("L", "f", "rare", 100, "dev", 0)]  # not in the test half
    table = analysis.item_precision(judgements(rows), n_boot=300, seed=1)
    row = table.iloc[0]
    assert row["estimate"] == pytest.approx((300 * 0.5 + 100 * 1.0) / 400)
    assert (row["n_indicators"], row["hits"], row["n_units"], row["numerator"]) == (2, 400, 8, 6)
    assert row["low"] < row["estimate"] < row["high"]
    again = analysis.item_precision(judgements(rows), n_boot=300, seed=1)
    pd.testing.assert_frame_equal(table, again)


def test_bundled_judgements_are_valid_and_double_coded_on_a_third():
    for kind, name in (("frames", "war"), ("frames", "generic"), ("terms", "gaza_war")):
        table = load_precision_judgements(kind, name)
        assert set(table["in_sense"]) <= {0, 1}
        assert "outlet" not in table.columns  # package data names no outlet: the id does
        share = table["in_sense_second"].notna().mean()
        assert share >= 0.28, (kind, name, share)


def test_a_bad_judgement_value_names_file_and_row(tmp_path, monkeypatch):
    folder = tmp_path / "frames" / "precision"
    folder.mkdir(parents=True)
    header = "\t".join(precision_data.PRECISION_COLUMNS)
    row = "f\tw\tw\ta:1\tbody\t3\t1\tabc\t10\ttest\tyes\t\tnote"
    (folder / "mine.tsv").write_text(f"{header}\n{row}\n", "utf-8")
    monkeypatch.setattr(precision_data, "LEXICON_DIR", tmp_path)
    with pytest.raises(LexiconError, match=r"mine.tsv: row 1: in_sense is 'yes'"):
        load_precision_judgements("frames", "mine")


# ------------------------------------------------------------ the audit on the real corpora

SETTINGS = load_settings(ROOT)
FRAME_FILES = ("generic", "war", "journalism", "loaded_language")
needs_corpora = pytest.mark.skipif(not SETTINGS.mirror.is_dir(), reason="corpus mirror not present")


@pytest.fixture(scope="module")
def audited_articles():
    return load_articles(SETTINGS)


@needs_corpora
@pytest.mark.parametrize("name", FRAME_FILES)
def test_every_current_indicator_has_a_precision_of_at_least_0_7_on_dev(audited_articles, name):
    judged = analysis.audited_judgements("frames", name, audited_articles, SETTINGS)
    table = analysis.indicator_precision(judged[judged["matched"]])
    current = {(f.name, i.pattern) for f in load_frames(name).frames for i in f.indicators}
    assert current == set(zip(table["item"], table["indicator"], strict=True))
    assert (table["dev_estimate"].dropna() >= 0.7).all()


@needs_corpora
def test_a_removed_indicator_keeps_none_of_its_judged_hits(audited_articles, tmp_path):
    source = (LEXICON_DIR / "frames" / "war.yaml").read_text("utf-8").splitlines()
    kept = [line for line in source if "{pattern: قصف," not in line]
    assert len(kept) == len(source) - 1
    path = tmp_path / "war.yaml"
    path.write_text("\n".join(kept) + "\n", "utf-8")
    judged = analysis.audited_judgements(
        "frames", "war", audited_articles, SETTINGS, lexicon=load_frames(path)
    )
    removed = judged["audited_indicator"] == "قصف"
    assert removed.any() and not judged.loc[removed, "matched"].any()
    assert judged.loc[~removed & (judged["round"] == 1), "matched"].mean() > 0.8


@needs_corpora
def test_frame_precision_is_reported_before_and_after_the_audit(audited_articles):
    _, items = analysis.lexicon_precision(
        audited_articles, SETTINGS, [("frames", "generic")], n_boot=50
    )
    assert set(items["version"]) == {"as audited", "current"}
    assert set(items["split"]) == {"test"}
    morality = items[items["item"] == "morality"].set_index("version")["estimate"]
    assert morality["current"] > morality["as audited"]  # the bare الله indicator was dropped
    assert not analysis.audit_covers(audited_articles.iloc[:10], [("frames", "generic")])


# ------------------------------------------------------------------ event pairs


def pair_articles():
    return pd.DataFrame(
        {
            "doc_id": ["c:f.jsonl#0", "c:f.jsonl#1", "c:g.jsonl#0"],
            "title": ["one", "two", "three"],
            "lead": ["", "a lead", ""],
            "body": ["w " * 80, "", "body"],
        }
    )


def write_pairs(path, rows):
    columns = ["doc_id_a", "doc_id_b", "text_sha256_a", "text_sha256_b", "split", "label"]
    lines = ["# comment", "\t".join(columns), *("\t".join(r) for r in rows)]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    return path


def test_event_pairs_resolve_ids_with_hash_signs_and_refuse_changed_texts(tmp_path):
    articles = pair_articles()
    sha = analysis.event_pair_text(articles).map(analysis.sentence_sha).tolist()
    assert analysis.event_pair_text(articles).iloc[0] == "one |  | " + " ".join(["w"] * 60)
    good = ("c:f.jsonl#0", "c:g.jsonl#0", sha[0], sha[2], "dev", "same")
    table = analysis.load_event_pairs(write_pairs(tmp_path / "p.tsv", [good]), articles)
    assert table.loc[0, "doc_id_a"] == "c:f.jsonl#0"
    changed = ("c:f.jsonl#1", "c:g.jsonl#0", sha[0], sha[2], "test", "maybe")
    with pytest.raises(ValueError, match=r"row 2: label 'maybe'") as error:
        analysis.load_event_pairs(write_pairs(tmp_path / "p.tsv", [good, changed]), articles)
    assert "the text of c:f.jsonl#1 changed" in str(error.value)


def test_pair_scores_and_the_threshold_chosen_on_dev():
    gold = pd.DataFrame({"label": ["same", "same", "related", "different", "same"]})
    similarity = pd.Series([0.9, 0.6, 0.55, 0.1, 0.2])
    cut = analysis.choose_pair_threshold(similarity, gold)
    # >= 0.6: 2 hits of 2 predicted, 3 true -> F1 0.8; >= 0.2: 3 of 4 -> F1 6/7, the best
    assert cut == 0.2
    scores = analysis.score_event_pairs(gold, similarity >= 0.6, n_boot=100).iloc[0]
    assert (scores["n_pairs"], scores["n_same"], scores["n_predicted"]) == (5, 3, 2)
    assert scores["precision"] == 1.0 and scores["recall"] == pytest.approx(2 / 3)
    assert scores["f1"] == pytest.approx(0.8)
    with pytest.raises(ValueError, match="one prediction per gold pair"):
        analysis.score_event_pairs(gold, [True], n_boot=0)


@needs_corpora
def test_the_committed_event_pairs_resolve_and_are_double_coded():
    from arabmedia.corpus import load_corpora

    articles = pd.concat(
        [load_articles(SETTINGS), load_corpora(["newscred2013"], SETTINGS).articles],
        ignore_index=True,
    )
    pairs = analysis.load_event_pairs(ROOT / "data" / "gold" / "event_pairs.tsv", articles)
    assert len(pairs) >= 300
    assert set(pairs["label"]) == {"same", "related", "different"}
    agreement = analysis.gold_agreements(ROOT, n_boot=50).set_index("gold_set")
    assert agreement.loc["event pairs", "n_units"] >= 0.3 * len(pairs)
