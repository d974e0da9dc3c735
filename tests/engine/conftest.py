"""Small article partitions written from sentences of our own, and the table they hold."""

import numpy as np
import pandas as pd
import pytest

from arabmedia import lexicons

#: Sentences written for these tests: casualty reports (named, caused, agentless), naming
#: choices of the gaza_war term set, generic frames, and text without any of them.
SENTENCES = (
    "استشهد أربعة مواطنين بقصف إسرائيلي على حي الشجاعية.",
    "أعلنت وزارة الصحة ارتفاع عدد الشهداء إلى مئة وعشرين.",
    "قتل جنود الاحتلال شابين عند الحاجز.",
    "أصيب طفل برصاص قوات الاحتلال قرب المدرسة.",
    "وقال المتحدث إن المقاومة تتحمل مسؤولية الدفاع عن الأهالي.",
    "تروي الأم قصص أطفالها الذين فقدوا منازلهم في العدوان.",
    "طالبت الأمم المتحدة بتدخل عاجل لوقف الحرب على غزة.",
    "سقط عشرات الضحايا في الغارة الليلية.",
    "أفرجت الفصائل عن عدد من الرهائن مقابل أسرى فلسطينيين.",
    "اجتمع الوزراء لمناقشة أسعار الوقود وخسائر الاقتصاد.",
    "توفي رجل مسن في المستشفى بعد معاناة طويلة.",
    "أكد الجيش الإسرائيلي مقتل جندي في اشتباك مع مسلحين.",
    'وصف البيان ما يسمى "جيش الدفاع" بأنه قوة احتلال.',
    "قُتل ثلاثة أشخاص في انفجار بمخزن للوقود.",
    "استشهدت امرأة وأصيب زوجها في غارة على المخيم.",
    "عقدت اللجنة اجتماعها الدوري دون أن تصدر بيانا.",
)

#: Articles per partition; the third partition is empty.
SIZES = (5, 6, 0, 7)


def _articles() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    rows = []
    for number in range(sum(SIZES)):
        picks = rng.integers(len(SENTENCES), size=6)
        lead = SENTENCES[picks[1]] if number % 4 else ""
        body = "\n\n".join(SENTENCES[p] for p in picks[2 : 2 + number % 5])
        date = pd.NaT if number % 6 == 5 else pd.Timestamp("2023-10-01") + pd.Timedelta(days=number)
        outlet = "Outlet A" if number % 3 else "Outlet B"
        rows.append((f"fixture:{number}", "fixture", outlet, date, SENTENCES[picks[0]], lead, body))
    columns = ["doc_id", "corpus", "outlet", "date", "title", "lead", "body"]
    table = pd.DataFrame(rows, columns=columns)
    table["date"] = table["date"].astype("datetime64[ns]")
    table["kind"] = "article"
    return table


@pytest.fixture(scope="session")
def articles() -> pd.DataFrame:
    """The concatenated article table the partitions hold, index 0..n-1."""
    return _articles()


@pytest.fixture(scope="session")
def partitions(tmp_path_factory, articles) -> list:
    """Paths of the partitions of :func:`articles` in order, each with a ``sequence`` column."""
    folder = tmp_path_factory.mktemp("partitions")
    paths, start = [], 0
    for number, size in enumerate(SIZES):
        part = articles.iloc[start : start + size].assign(sequence=np.arange(start, start + size))
        path = folder / f"part-{number}.parquet"
        part.to_parquet(path, index=False)
        paths.append(path)
        start += size
    return paths


@pytest.fixture(scope="session")
def fields() -> tuple:
    """The text fields the steps read in these tests."""
    return ("title", "lead", "body")


@pytest.fixture(scope="session")
def term_sets():
    return lexicons.load_term_sets("gaza_war")


@pytest.fixture(scope="session")
def frames():
    return lexicons.load_frames("generic")
