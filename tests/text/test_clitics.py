"""The one clitic table and form generator, and that every analysis matches the same forms."""

from __future__ import annotations

import shutil
import textwrap

import pandas as pd
import pytest

from arabmedia import lexicons
from arabmedia.analysis import _attribution as attribution
from arabmedia.analysis import _terminology as terminology
from arabmedia.analysis._framing import match_frames
from arabmedia.text import (
    PROCLITIC_CHAINS,
    RuleSegmenter,
    surface_forms,
    surface_words,
    tokenize,
)

# Made-up tokens: forms of شهداء with well-formed clitics, then ill-formed or other words.
TOKENS = [
    "شهداء",
    "الشهداء",
    "والشهداء",
    "بالشهداء",
    "للشهداء",
    "وللشهداء",
    "فشهداء",
    "الالشهداء",
    "سالشهداء",
    "لالشهداء",
    "شهداءهم",
    "استشهد",
]
WELL_FORMED = list(range(7))


def test_a_bare_entry_takes_the_article_and_the_usual_proclitics():
    forms = surface_words(["شهداء"])
    assert {"شهداء", "الشهداء", "والشهداء", "بالشهداء", "للشهداء", "وللشهداء"} <= forms
    assert {"فبالشهداء", "كالشهداء", "وبشهداء"} <= forms


def test_no_ill_formed_string_is_ever_generated():
    forms = surface_words(["شهداء", "الامم", "يقتل"])
    assert not any(form.count("ال") > 1 and "الال" in form for form in forms)
    assert {"الالشهداء", "سالشهداء", "لالشهداء", "لالامم", "الالامم"}.isdisjoint(forms)
    assert not any(form.startswith(("س", "وس", "فس")) for form in forms)  # no future س
    assert "امم" not in forms  # an entry with the article keeps it


@pytest.mark.parametrize(
    ("entry", "merged", "with_article"),
    [
        ("ليل", {"لليل", "ولليل", "فلليل"}, {"الليل", "بالليل", "وكالليل"}),
        ("لحوم", {"للحوم", "وللحوم", "فللحوم"}, {"اللحوم", "باللحوم", "واللحوم"}),
        ("الليل", {"لليل", "ولليل", "فلليل"}, {"الليل", "بالليل", "وكالليل"}),
        ("الله", {"لله", "ولله", "فلله"}, {"الله", "بالله", "والله"}),
    ],
)
def test_the_articles_lam_merges_with_a_word_starting_with_lam(entry, merged, with_article):
    forms = surface_words([entry])
    assert merged | with_article <= forms  # ل + ال + ليل = لليل; ب/ك keep the whole article
    assert not any("للل" in form for form in forms)  # never three lams: للليل, ولللحوم


def test_exact_and_conjunction_entries():
    assert surface_forms(("الله",), "exact") == (("الله",),)
    assert surface_words(["قال"], "conjunctions") == {"قال", "وقال", "فقال"}
    with pytest.raises(ValueError, match="clitics"):
        surface_forms(("قال",), "verbs")


def test_enclitics_only_when_asked_and_never_with_the_article():
    assert "شهداءهم" not in surface_words(["شهداء"])
    with_pronouns = surface_words(["حكومه"], enclitics=True)
    assert {"حكومتها", "وحكومتهم", "لحكومتنا"} <= with_pronouns
    assert {"الحكومتها", "للحكومته"}.isdisjoint(with_pronouns)


def test_multiword_entries_take_clitics_on_the_first_token_only():
    forms = set(surface_forms(("قوات", "الاحتلال")))
    assert {("قوات", "الاحتلال"), ("وقوات", "الاحتلال"), ("لقوات", "الاحتلال")} <= forms
    assert ("القوات", "الاحتلال") not in forms  # a phrase never gains the article
    assert ("قوات", "والاحتلال") not in forms
    assert ("للامم", "المتحده") in surface_forms(("الامم", "المتحده"))


def test_the_segmenter_splits_with_the_same_chains():
    assert ("و", "ل", "ال") in {chain.clitics for chain in PROCLITIC_CHAINS}
    written = {chain.written for chain in PROCLITIC_CHAINS}
    assert "ولل" in written and "لال" not in written and "سال" not in written
    segmenter = RuleSegmenter()
    for form in ("والشهداء", "للشهداء", "بالشهداء"):
        assert segmenter.segment(form)[-1] == "شهداء"


FRAMES = """\
dictionary: one
references: {r: A reference written for the test.}
frames:
  - name: dead
    label: Dead
    definition: The dead.
    coding_question: Are the dead named?
    reference: r
    indicators:
      - {pattern: شهداء, rationale: the entry under test}
"""


def test_all_four_analyses_match_the_same_surface_forms(tmp_path):
    terms = lexicons.term_sets_from_terms({"martyrs": ["شهداء"]})
    found_terms = [match[2] for match in terminology.match_document(TOKENS, terms)]

    frames_file = tmp_path / "frames.yaml"
    frames_file.write_text(FRAMES, encoding="utf-8")
    found_frames = [m.start for m in match_frames(TOKENS, lexicons.load_frames(frames_file))]

    agency = lexicons.load_agency_lexicon()
    found_agency = [i for i, token in enumerate(TOKENS) if agency.triggers.get(token) == "noun"]

    folder = tmp_path / "attribution"
    shutil.copytree(lexicons.ATTRIBUTION_DIR, folder)
    types = folder / "actor_types.yaml"
    own_type = "  - {name: martyrs, rationale: test type, heads: [شهداء], names: []}\n"
    types.write_text(types.read_text("utf-8").replace("types:\n", "types:\n" + own_type), "utf-8")
    lexicon = lexicons.load_attribution_lexicon(folder)
    found_attribution = [
        i for i, token in enumerate(TOKENS) if attribution.actor_type([token], lexicon) == "martyrs"
    ]

    # agency's lists also hold شهدائنا etc., not in TOKENS; استشهد is a verb trigger there
    assert found_terms == found_frames == found_agency == found_attribution == WELL_FORMED


def test_researchers_actor_types_are_counted(tmp_path):
    folder = tmp_path / "attribution"
    shutil.copytree(lexicons.ATTRIBUTION_DIR, folder)
    types = folder / "actor_types.yaml"
    own_type = "  - {name: poets, rationale: test type, heads: [شاعر], names: []}\n"
    types.write_text(types.read_text("utf-8").replace("types:\n", "types:\n" + own_type), "utf-8")
    lexicon = lexicons.load_attribution_lexicon(folder)
    articles = pd.DataFrame({"doc_id": ["a", "b"], "outlet": ["A", "A"], "title": ["", ""]})
    sentences = pd.DataFrame(
        {
            "doc_id": ["a"],
            "outlet": ["A"],
            "field": ["body"],
            "sentence_index": [0],
            "tokens": [tokenize("وقال شاعر فلسطيني إن الحرب طويلة.")],
        }
    )
    found = attribution.find_attributions(sentences, lexicon)
    assert found["actor_type"].tolist() == ["poets"]
    counts = attribution.count_actors(articles, found, lexicon).set_index("doc_id")
    assert counts.loc["a", ["attributions", "poets"]].tolist() == [1, 1]
    with pytest.raises(ValueError, match=r"\['poets'\] are not in the lexicon"):
        attribution.count_actors(articles, found)


def test_lexicon_errors_name_file_entry_and_reason(tmp_path):
    path = tmp_path / "frames.yaml"
    path.write_text(
        textwrap.dedent(FRAMES).replace("rationale: the entry under test", "note: x"), "utf-8"
    )
    with pytest.raises(lexicons.LexiconError) as error:
        lexicons.load_frames(path)
    assert error.value.file == str(path)
    assert error.value.entry == "frame 'dead', indicator 'شهداء'"
    assert error.value.reason == "unknown key 'note'; missing 'rationale'"
