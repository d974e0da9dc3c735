"""Same-event matching across partitions equals match_events of the whole table."""

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from arabmedia import analysis
from arabmedia.engine import DaskEngine, LocalEngine, match_event_partitions

#: Stories written for these tests: each a few sentences an outlet may retell.
STORIES = (
    (
        "قصفت الطائرات مبنى سكنيا في حي الرمال غرب المدينة",
        "انتشلت فرق الدفاع المدني جثامين الضحايا من تحت الأنقاض",
        "قال شهود إن الغارة وقعت قبيل الفجر دون إنذار",
    ),
    (
        "وصلت قافلة المساعدات إلى المعبر بعد انتظار دام أسبوعين",
        "أكدت المنظمة أن الشاحنات تحمل طحينا وأدوية ووقودا للمستشفيات",
        "طالبت الأمم المتحدة بفتح المعابر كلها أمام الإغاثة",
    ),
    (
        "أعلن البرلمان إقرار الموازنة العامة بعد جلسة طويلة",
        "قال وزير المالية إن العجز سينخفض خلال العام المقبل",
        "انتقدت المعارضة زيادة الضرائب على الوقود والسلع",
    ),
    (
        "فاز المنتخب الوطني على منافسه بثلاثة أهداف في النهائي",
        "استقبل آلاف المشجعين اللاعبين في المطار فجر اليوم",
        "أشاد المدرب بروح الفريق وأهدى الفوز للجمهور",
    ),
    (
        "اندلع حريق كبير في سوق الخضار وسط المدينة مساء أمس",
        "سيطر رجال الإطفاء على النيران بعد ساعات من العمل",
        "قدر التجار خسائرهم بملايين بعد احتراق عشرات المحال",
    ),
)
OUTLETS = ("Outlet A", "Outlet B", "Outlet C")
FIELDS = ("title", "lead", "body")


def _articles() -> pd.DataFrame:
    """Twenty days; each day two or three stories, each retold by one to three outlets
    (sentences reordered, a day number and an outlet's own sentence added), a few
    undated articles."""
    rng = np.random.default_rng(3)
    rows = []
    for day in range(20):
        for story in rng.choice(len(STORIES), size=rng.integers(2, 4), replace=False):
            for outlet in rng.choice(OUTLETS, size=rng.integers(1, 4), replace=False):
                sentences = [STORIES[story][i] for i in rng.permutation(3)]
                own = STORIES[(story + 1 + day) % len(STORIES)][rng.integers(3)]
                date = pd.Timestamp("2024-01-20") + pd.Timedelta(days=int(day))
                body = f"{sentences[1]} في اليوم {day}. {sentences[2]}. {own}."
                rows.append((outlet, date, sentences[0], "", body))
    for number in range(3):
        rows.append((OUTLETS[number], pd.NaT, STORIES[0][0], "", STORIES[0][1]))
    table = pd.DataFrame(rows, columns=["outlet", "date", *FIELDS])
    table.insert(0, "doc_id", [f"fixture:{n}" for n in range(len(table))])
    table["date"] = table["date"].astype("datetime64[ns]")
    return table


@pytest.fixture(scope="module")
def articles() -> pd.DataFrame:
    return _articles()


@pytest.fixture(scope="module")
def partitions(tmp_path_factory, articles) -> list:
    """One partition per outlet and calendar month (undated: one more), as in a store."""
    folder = tmp_path_factory.mktemp("events")
    month = articles["date"].dt.strftime("%Y-%m").fillna("unknown")
    paths = []
    for (outlet, when), part in articles.groupby([articles["outlet"], month], sort=True):
        path = folder / f"{outlet}-{when}.parquet"
        part.to_parquet(path, index=False)
        paths.append(path)
    return paths


def _concatenated(paths) -> pd.DataFrame:
    return pd.concat([pd.read_parquet(p) for p in paths], ignore_index=True)


def test_the_fixture_has_events_across_months_and_outlets(articles, partitions):
    events = analysis.match_events(_concatenated(partitions), fields=FIELDS)
    assert len(partitions) >= 6
    assert (events["event_outlets"] >= 2).sum() >= 40
    assert events.loc[events["event_size"] > 1, "date"].dt.month.nunique() == 2
    assert events["event_size"].max() >= 3


@pytest.mark.parametrize(
    ("block_days", "cluster_rows", "window_days"),
    [(7, 20_000, 1), (1, 1, 1), (3, 5, 2), (40, 20_000, 0)],
)
def test_partitions_give_match_events(partitions, block_days, cluster_rows, window_days):
    expected = analysis.match_events(
        _concatenated(partitions), fields=FIELDS, window_days=window_days
    )
    found = match_event_partitions(
        partitions,
        LocalEngine(1),
        fields=FIELDS,
        window_days=window_days,
        block_days=block_days,
        cluster_rows=cluster_rows,
    )
    assert_frame_equal(found, expected)
    assert found.attrs["n_candidates"] == expected.attrs["n_candidates"] > 0


def test_every_engine_gives_the_same_events(partitions):
    expected = match_event_partitions(partitions, LocalEngine(1), block_days=2)
    with LocalEngine(2) as two:
        assert_frame_equal(match_event_partitions(partitions, two, block_days=2), expected)
    with DaskEngine(n_workers=2, threads_per_worker=1) as dask:
        assert_frame_equal(match_event_partitions(partitions, dask, block_days=2), expected)


def test_bad_input_is_refused(partitions, tmp_path, articles):
    with pytest.raises(ValueError, match="no partitions"):
        match_event_partitions([], LocalEngine(1))
    with pytest.raises(ValueError, match="block_days must be an integer >= 1"):
        match_event_partitions(partitions, LocalEngine(1), block_days=0)
    with pytest.raises(ValueError, match="threshold must be in"):
        match_event_partitions(partitions, LocalEngine(1), threshold=1.5)
    copy = tmp_path / "copy.parquet"
    pd.read_parquet(partitions[0]).to_parquet(copy)
    with pytest.raises(ValueError, match="doc_id is not unique"):
        match_event_partitions([partitions[0], copy], LocalEngine(1))
    with pytest.raises(FileNotFoundError, match="no such file"):
        match_event_partitions([tmp_path / "missing.parquet"], LocalEngine(1))
