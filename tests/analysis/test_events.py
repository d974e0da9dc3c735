"""Matching articles of different outlets that report the same event."""

from itertools import pairwise

import numpy as np
import pandas as pd
import pytest

from arabmedia.analysis import (
    EVENT_COLUMNS,
    EVENT_THRESHOLDS,
    choose_pair_threshold,
    event_pair_similarity,
    event_tokens,
    match_events,
    same_event,
    tune_event_matching,
)

# Invented stories: each is a list of sentences; outlets reword by dropping and
# reordering sentences, so reports of one story share most (not all) words.
STORIES = {
    "flood": [
        "فيضان مفاجئ يغمر قرى الوادي الشرقي بعد أمطار غزيرة",
        "فرق الإنقاذ تنقل مئات الأسر من المنازل الغارقة إلى مدارس المدينة",
        "محافظ الوادي يعلن حالة الطوارئ ويطلب مضخات من العاصمة",
    ],
    "summit": [
        "قمة وزراء الزراعة تختتم أعمالها باتفاق على مخزون القمح المشترك",
        "الوزراء يتعهدون بتمويل صوامع جديدة في الموانئ الجنوبية",
        "البيان الختامي يدعو إلى خفض رسوم نقل الحبوب بين الدول الأعضاء",
    ],
    "football": [
        "نادي النجوم يفوز بكأس البطولة بهدفين نظيفين في المباراة النهائية",
        "المهاجم الشاب يسجل الهدفين في الشوط الثاني أمام جمهور غفير",
        "المدرب يهدي اللقب إلى المشجعين ويعد بمواصلة الانتصارات",
    ],
    "strike": [
        "عمال مصانع النسيج يبدأون إضرابا مفتوحا للمطالبة برفع الأجور",
        "النقابة تقول إن الإضراب يشمل ثلاثة آلاف عامل في المنطقة الصناعية",
        "وزارة العمل تدعو ممثلي العمال إلى جلسة تفاوض صباح الغد",
    ],
}
OUTLETS = ["Alpha", "Beta", "Gamma", "Delta"]


def article(doc_id, outlet, date, title, body, lead=""):
    return {"doc_id": doc_id, "outlet": outlet, "date": date, "title": title, "lead": lead,
            "body": body}  # fmt: skip


def report(story, outlet_number):
    """One outlet's wording of a story: its sentences rotated, the last one dropped by
    odd-numbered outlets."""
    sentences = STORIES[story]
    rotated = sentences[outlet_number % 3 :] + sentences[: outlet_number % 3]
    if outlet_number % 2:
        rotated = rotated[:-1]
    return rotated[0], " ".join(rotated[1:])


def background():
    """Undated reports of every story: lone articles that give words realistic weights
    (a feature in every article of a table weighs nothing)."""
    return [
        article(f"bg-{story}-{n}", "Echo", None, *report(story, n))
        for story in STORIES
        for n in range(2)
    ]


def table(rows):
    frame = pd.DataFrame(rows)
    frame["date"] = pd.to_datetime(frame["date"])
    return frame


def planted_corpus():
    """Four stories on one day: flood and summit by all four outlets, football by two,
    the strike by one."""
    rows = []
    for story, outlets in (("flood", 4), ("summit", 4), ("football", 2), ("strike", 1)):
        for number in range(outlets):
            title, body = report(story, number)
            rows.append(article(f"{story}-{number}", OUTLETS[number], "2024-03-05", title, body))
    return table(rows)


def event_of(events, doc_id):
    return events.loc[events["doc_id"] == doc_id, "event_id"].item()


def partition(events):
    """The events as a set of frozensets of doc_ids (independent of event_id labels)."""
    return {frozenset(group) for group in events.groupby("event_id")["doc_id"].apply(set)}


def test_planted_events_are_recovered_and_unrelated_stories_kept_apart():
    events = match_events(planted_corpus())
    assert partition(events) == {
        frozenset(f"flood-{n}" for n in range(4)),
        frozenset(f"summit-{n}" for n in range(4)),
        frozenset({"football-0", "football-1"}),
        frozenset({"strike-0"}),
    }
    flood = events[events["doc_id"].str.startswith("flood")]
    assert flood["event_size"].eq(4).all() and flood["event_outlets"].eq(4).all()
    assert flood["best_similarity"].between(EVENT_THRESHOLDS["tfidf"], 1).all()
    lone = events[events["doc_id"] == "strike-0"].iloc[0]
    assert lone["event_size"] == 1 and lone["event_outlets"] == 1
    assert np.isnan(lone["best_similarity"])


def test_output_columns_order_and_event_ids():
    articles = planted_corpus().iloc[::-1].set_axis(list("abcdefghijk"))
    events = match_events(articles)
    assert events.columns.tolist() == [
        "doc_id", "outlet", "date", "event_id", "event_size", "event_outlets", "best_similarity"
    ]  # fmt: skip
    assert events.index.tolist() == list("abcdefghijk")
    assert events["doc_id"].tolist() == articles["doc_id"].tolist()
    # Ids rank events by (first date, smallest doc_id): all on one day, so by doc_id.
    first_ids = events.groupby("event_id")["doc_id"].min().sort_index()
    assert first_ids.tolist() == ["flood-0", "football-0", "strike-0", "summit-0"]
    assert first_ids.index.tolist() == ["e01", "e02", "e03", "e04"]


def test_minhash_groups_verbatim_wire_copy_across_outlets():
    wire_title, wire_body = report("strike", 0)
    rows = [article(f"wire-{n}", OUTLETS[n], "2024-03-05", wire_title, wire_body) for n in range(3)]
    rows.append(article("other", "Delta", "2024-03-05", *report("football", 0)))
    events = match_events(table(rows), method="minhash")
    assert partition(events) == {frozenset({"wire-0", "wire-1", "wire-2"}), frozenset({"other"})}
    assert events.loc[events["doc_id"] == "wire-0", "best_similarity"].item() == 1.0


def test_a_chain_of_weakly_overlapping_stories_is_not_merged_end_to_end():
    # A and C share nothing; B is A's title and C's body.  Other stories of the day
    # (other outlets) give the words realistic weights.
    a_title, a_body = report("flood", 0)
    c_title, c_body = report("summit", 0)
    rows = [
        article("A", "Alpha", "2024-03-05", a_title, a_body),
        article("B", "Beta", "2024-03-05", a_title, c_body),
        article("C", "Gamma", "2024-03-05", c_title, c_body),
    ]
    for number, story in enumerate(["football", "strike"] * 3):
        rows.append(article(f"other-{number}", "Delta", "2024-03-05", *report(story, number)))
    articles = table(rows)
    pairs = pd.DataFrame({"doc_id_a": ["A", "B", "A"], "doc_id_b": ["B", "C", "C"]})
    similarity = event_pair_similarity(articles, pairs).tolist()
    threshold = min(similarity[:2]) - 0.01
    assert similarity[2] < threshold / 4
    events = match_events(articles, threshold=threshold)
    assert event_of(events, "A") != event_of(events, "C")
    assert events["event_size"].max() == 2


def test_the_date_window_is_respected():
    title, body = report("flood", 0)
    rows = [
        article("day1", "Alpha", "2024-03-01", title, body),
        article("day2", "Beta", "2024-03-02", title, body),
        article("day5", "Gamma", "2024-03-05", title, body),
    ]
    articles = table(rows + background())
    dated = articles["date"].notna()
    events = match_events(articles, window_days=1)
    assert event_of(events, "day1") == event_of(events, "day2") != event_of(events, "day5")
    wide = match_events(articles, window_days=3)
    assert wide.loc[dated, "event_id"].nunique() == 1
    same_day_only = match_events(articles, window_days=0)
    assert same_day_only.loc[dated, "event_id"].nunique() == 3
    assert events.loc[~dated, "event_size"].eq(1).all()


def test_undated_and_same_outlet_articles_stay_alone():
    title, body = report("flood", 0)
    rows = [
        article("dated", "Alpha", "2024-03-01", title, body),
        article("undated", "Beta", None, title, body),
        article("repost", "Alpha", "2024-03-01", title, body),
    ]
    events = match_events(table(rows + background()))
    assert events["event_id"].nunique() == len(events)
    assert events["event_size"].eq(1).all() and events["best_similarity"].isna().all()
    # Undated articles' events come last, by doc_id.
    assert event_of(events, "dated") == "e01" and event_of(events, "repost") == "e02"
    assert event_of(events, "undated") == f"e{len(events)}"


def test_same_outlet_articles_join_an_event_through_other_outlets():
    title, body = report("flood", 0)
    rows = [
        article("alpha-1", "Alpha", "2024-03-01", title, body),
        article("alpha-2", "Alpha", "2024-03-01", *report("flood", 1)),
        article("beta-1", "Beta", "2024-03-01", *report("flood", 2)),
    ]
    events = match_events(table(rows + background())).iloc[:3]
    assert events["event_id"].nunique() == 1
    assert events["event_outlets"].eq(2).all() and events["event_size"].eq(3).all()


def test_an_empty_table_gives_an_empty_result():
    events = match_events(planted_corpus().iloc[:0])
    assert events.empty and events.columns.tolist() == list(EVENT_COLUMNS)
    assert events.attrs["n_candidates"] == 0


def test_deterministic_and_independent_of_row_order():
    articles = planted_corpus()
    first = match_events(articles)
    pd.testing.assert_frame_equal(first, match_events(articles))
    shuffled = articles.sample(frac=1, random_state=3)
    again = match_events(shuffled)
    assert partition(again) == partition(first)
    pd.testing.assert_frame_equal(
        again.sort_values("doc_id").reset_index(drop=True),
        first.sort_values("doc_id").reset_index(drop=True),
    )


def test_given_tokens_replace_tokenization():
    articles = planted_corpus()
    tokens = (articles["title"] + " " + articles["body"]).str.split()
    events = match_events(articles.drop(columns=["title", "lead", "body"]), tokens=tokens)
    assert partition(events) == partition(match_events(articles))
    with pytest.raises(ValueError, match=r"aligned with articles\.index"):
        match_events(articles, tokens=tokens.reset_index(drop=True).iloc[1:])


def test_pair_similarity_and_same_event():
    articles = planted_corpus()
    pairs = pd.DataFrame(
        {
            "doc_id_a": ["flood-0", "flood-0", "summit-1"],
            "doc_id_b": ["flood-3", "strike-0", "summit-0"],
        },
        index=[7, 8, 9],
    )
    similarity = event_pair_similarity(articles, pairs)
    assert similarity.index.tolist() == [7, 8, 9] and similarity.name == "similarity"
    threshold = EVENT_THRESHOLDS["tfidf"]
    assert similarity[7] > threshold > similarity[8]
    reversed_pairs = pairs.rename(columns={"doc_id_a": "doc_id_b", "doc_id_b": "doc_id_a"})
    assert np.allclose(event_pair_similarity(articles, reversed_pairs), similarity)
    events = match_events(articles)
    assert same_event(events, pairs).tolist() == [True, False, True]
    # The matcher links exactly the pairs it scores at or above its threshold (here).
    assert same_event(events, pairs).tolist() == (similarity >= threshold).tolist()


def test_event_tokens_once_give_what_fields_give():
    """Tokens made once by event_tokens: the same events and pair scores, both methods."""
    articles = table([*planted_corpus().to_dict("records"), *background()])
    articles.loc[0, "body"] = " ".join([articles.loc[0, "body"]] * 40)  # past max_body_tokens
    tokens = event_tokens(articles, max_body_tokens=30)
    assert tokens.index.equals(articles.index) and len(tokens[0]) == 30 + len(
        event_tokens(articles, fields=("title", "lead"))[0]
    )
    pairs = pd.DataFrame({"doc_id_a": ["flood-0", "flood-1"], "doc_id_b": ["flood-2", "summit-0"]})
    for method in ("tfidf", "minhash"):
        options = {"method": method, "max_body_tokens": 30}
        pd.testing.assert_frame_equal(
            match_events(articles, tokens=tokens, method=method),
            match_events(articles, **options),
        )
        pd.testing.assert_series_equal(
            event_pair_similarity(articles, pairs, tokens=tokens, method=method),
            event_pair_similarity(articles, pairs, **options),
        )
    with pytest.raises(
        ValueError, match=r"event_tokens: the article table lacks column\(s\) \['lede'\]"
    ):
        event_tokens(articles, fields=("title", "lede"))
    with pytest.raises(ValueError, match="event_tokens: max_body_tokens must be >= 0"):
        event_tokens(articles, max_body_tokens=-1)


def gold_pairs_of_two_sources():
    """Two pools (one shifted to other days and outlets) and labelled pairs of both, in
    dev and test halves, listed out of source order."""
    first = table([*planted_corpus().to_dict("records"), *background()])
    second = first.assign(
        doc_id="b-" + first["doc_id"],
        outlet=first["outlet"] + " 2",
        date=first["date"] + pd.Timedelta(days=40),
    )
    rows = []
    for prefix, source in (("", "one"), ("b-", "two")):
        for a, b, label, split in (
            ("flood-0", "flood-3", "same", "test"),
            ("flood-1", "summit-0", "different", "dev"),
            ("summit-1", "summit-2", "same", "dev"),
            ("football-0", "strike-0", "different", "test"),
            ("flood-2", "flood-1", "same", "dev"),
        ):
            rows.append((prefix + a, prefix + b, label, split, source))
    pairs = pd.DataFrame(rows, columns=["doc_id_a", "doc_id_b", "label", "split", "source"])
    return {"one": first, "two": second}, pairs.iloc[::-1].set_axis(range(30, 40))


@pytest.mark.parametrize("method", ["tfidf", "minhash"])
def test_tuned_matching_is_the_cut_on_dev_pairs_then_match_events(method):
    """One call gives what event_pair_similarity, choose_pair_threshold, match_events and
    same_event give one by one, over pools of two sources."""
    pools, pairs = gold_pairs_of_two_sources()
    tokens = {name: event_tokens(pool) for name, pool in pools.items()}
    tuned, cut = tune_event_matching(pools, pairs, tokens, method=method, minimum=0.05)
    by_source = {name: pairs[pairs["source"] == name] for name in pools}
    similarity = pd.concat(
        event_pair_similarity(pools[n], part, tokens=tokens[n], method=method)
        for n, part in by_source.items()
    ).loc[pairs.index]
    dev = pairs["split"] == "dev"
    assert cut == choose_pair_threshold(similarity[dev], pairs[dev], minimum=0.05)
    same = pd.concat(
        same_event(match_events(pools[n], tokens=tokens[n], method=method, threshold=cut), part)
        for n, part in by_source.items()
    ).loc[pairs.index]
    assert tuned.index.equals(pairs.index) and list(tuned.columns) == ["similarity", "same_event"]
    pd.testing.assert_series_equal(tuned["similarity"], similarity)
    pd.testing.assert_series_equal(tuned["same_event"], same)
    assert tuned["same_event"].any() and not tuned["same_event"].all()


def test_tuned_matching_names_what_is_missing():
    pools, pairs = gold_pairs_of_two_sources()
    tokens = {name: event_tokens(pool) for name, pool in pools.items()}
    with pytest.raises(ValueError, match=r"no pools for the pairs' source\(s\) \['two'\]"):
        tune_event_matching({"one": pools["one"]}, pairs, tokens)
    with pytest.raises(ValueError, match=r"no tokens for the pairs' source\(s\) \['one'\]"):
        tune_event_matching(pools, pairs, {"two": tokens["two"]})
    with pytest.raises(ValueError, match=r"pairs lack column\(s\) \['split'\]"):
        tune_event_matching(pools, pairs.drop(columns="split"), tokens)
    with pytest.raises(ValueError, match="window_days must be an integer >= 0"):
        tune_event_matching(pools, pairs, tokens, window_days=-1)
    with pytest.raises(ValueError, match=r"doc_id\(s\) of doc_id_a not in the table"):
        empty = {"two": pools["two"].iloc[:0]}
        tune_event_matching({**pools, **empty}, pairs, {**tokens, "two": tokens["two"].iloc[:0]})


def test_minhash_similarity_is_the_exact_jaccard_of_word_bigram_sets():
    articles = table([*planted_corpus().to_dict("records"), *background()])
    tokens = event_tokens(articles)
    ids = articles["doc_id"].tolist()
    pairs = pd.DataFrame(
        [(a, b) for i, a in enumerate(ids) for b in ids[i + 1 :]], columns=["doc_id_a", "doc_id_b"]
    )
    bigrams = {doc_id: set(pairwise(words)) for doc_id, words in zip(ids, tokens, strict=True)}
    expected = [
        len(bigrams[a] & bigrams[b]) / len(bigrams[a] | bigrams[b])
        for a, b in zip(pairs["doc_id_a"], pairs["doc_id_b"], strict=True)
    ]
    found = event_pair_similarity(articles, pairs, tokens=tokens, method="minhash")
    assert found.tolist() == expected
    assert 0 in expected and any(0 < e < 1 for e in expected)  # disjoint and overlapping


def test_candidates_grow_linearly_with_articles_per_block():
    """N and 4N articles over the same days: candidate pairs grow about 4 times (not 16)."""

    def corpus(per_day):
        rows = []
        rng = np.random.default_rng(0)
        vocabulary = [f"w{i}" for i in range(3000)]
        for day in range(10):
            for n in range(per_day):
                words = " ".join(rng.choice(vocabulary, 30))
                date = pd.Timestamp("2024-01-01") + pd.Timedelta(days=day)
                rows.append(article(f"d{day}-{n}", OUTLETS[n % 4], date, words, ""))
        return table(rows)

    small = match_events(corpus(40), n_neighbors=5).attrs["n_candidates"]
    large = match_events(corpus(160), n_neighbors=5).attrs["n_candidates"]
    # Each article keeps at most 5 candidates per block: pairs <= articles * 5.
    assert small <= 400 * 5 and large <= 1600 * 5
    assert 3 <= large / small <= 5
    all_pairs_in_windows = 1600 * 160 * 3 / 2
    assert large < all_pairs_in_windows / 10


def test_errors_say_what_is_wrong():
    articles = planted_corpus()
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['outlet'\]"):
        match_events(articles.drop(columns="outlet"))
    with pytest.raises(ValueError, match=r"lacks column\(s\) \['lead'\]"):
        match_events(articles.drop(columns="lead"))
    match_events(articles.drop(columns="lead"), fields=("title", "body"))
    with pytest.raises(ValueError, match=r"doc_id is not unique.*'flood-0'"):
        match_events(pd.concat([articles, articles.iloc[:1]]))
    with pytest.raises(ValueError, match="unknown method 'cosine'"):
        match_events(articles, method="cosine")
    for bad in (0, 1, 1.5, -0.1, "0.3"):
        with pytest.raises(ValueError, match="threshold must be"):
            match_events(articles, threshold=bad)
    with pytest.raises(ValueError, match="window_days"):
        match_events(articles, window_days=-1)
    with pytest.raises(ValueError, match="n_neighbors"):
        match_events(articles, n_neighbors=0)
    pairs = pd.DataFrame({"doc_id_a": ["flood-0"], "doc_id_b": ["nowhere"]})
    with pytest.raises(ValueError, match=r"doc_id_b not in the table, e.g. \['nowhere'\]"):
        event_pair_similarity(articles, pairs)
    with pytest.raises(ValueError, match=r"pairs lack column\(s\) \['doc_id_b'\]"):
        same_event(match_events(articles), pairs.drop(columns="doc_id_b"))
