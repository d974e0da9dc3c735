"""A synthetic multi-outlet corpus written the way real ones arrive, for end-to-end study tests.

Twelve outlets (one with an Arabic name), two JSON files per outlet in per-outlet folders that
share file names, source ids that every outlet numbers from 1 (so they collide across outlets),
one record listed twice, one outlet delivered as a cp1256 CSV, Arabic month names, unparseable
dates and a record with no text. Texts are seeded random sentences over a small vocabulary (five
topics) that holds the bundled term set's names, with a different naming habit per outlet.
"""

from __future__ import annotations

import csv
import json
import random
from pathlib import Path

OUTLETS = [
    "Daily Star",
    "Morning Herald",
    "Evening Post",
    "Nile Times",
    "Gulf Today",
    "Levant Wire",
    "Desert Courier",
    "Harbour News",
    "River Gazette",
    "Capital Report",
    "الوطن",  # the Arabic-named outlet
    "Coastal Voice",  # delivered as a cp1256 CSV
]
CP1256_OUTLET = "Coastal Voice"
FILLER = [
    "قال",
    "المتحدث",
    "إن",
    "الحكومة",
    "أعلنت",
    "اليوم",
    "عن",
    "خطة",
    "جديدة",
    "في",
    "المدينة",
    "بعد",
    "اجتماع",
    "الوزراء",
    "مع",
    "الوفد",
    "وأكد",
    "المسؤول",
    "أن",
    "المفاوضات",
    "مستمرة",
    "حول",
    "الاتفاق",
    "والمساعدات",
    "الإنسانية",
    "للسكان",
    "في",
    "المستشفى",
    "والمدارس",
    "وسط",
    "قصف",
    "عنيف",
    "على",
    "الأحياء",
    "السكنية",
]
TOPIC_WORDS = (
    "البرلمان الانتخابات الحزب المرشح الدستور الناخبين التصويت الدائرة النواب القانون",
    "الأسعار التضخم البنك الجنيه الدولار الموازنة الاستثمار الأسواق الضرائب التجارة",
    "المباراة الفريق الدوري البطولة المدرب اللاعب الملعب الهدف الجمهور النادي",
    "المستشفى الجرحى الإسعاف الأطباء الأدوية المرضى العلاج الصحة الوباء اللقاح",
    "الغارة القصف الجيش الصواريخ الحدود الاشتباكات القوات المدفعية الطائرات الهجوم",
)
TOPICS = [words.split() for words in TOPIC_WORDS]
DEAD = ["شهداء", "قتلى"]
ISRAEL = ["الاحتلال", "إسرائيل", "الجيش الإسرائيلي"]
ARABIC_MONTHS = ["كانون الثاني", "شباط", "آذار"]
EGYPTIAN_MONTHS = ["يناير", "فبراير", "مارس"]


def _sentence(rng: random.Random, habit: float, words: int, topic: list[str]) -> str:
    out = [rng.choice(topic if rng.random() < 0.6 else FILLER) for _ in range(words)]
    for _ in range(rng.randint(1, 3)):
        term = DEAD[0] if rng.random() < habit else DEAD[1]
        out.insert(rng.randrange(len(out) + 1), f"سقوط {term} في غزة")
    out.insert(rng.randrange(len(out) + 1), rng.choice(ISRAEL))
    return " ".join(out)


def _date(rng: random.Random, number: int) -> str:
    day, month = rng.randint(1, 28), rng.randint(1, 3)
    if number % 17 == 5:
        return "not a date"  # kept undated, listed
    if number % 11 == 3:
        return f"{day} {ARABIC_MONTHS[month - 1]} 2024"
    if number % 13 == 4:
        return f"{day} {EGYPTIAN_MONTHS[month - 1]} 2024"
    return f"2024-{month:02d}-{day:02d}T{rng.randint(6, 22):02d}:15:00+02:00"


def _records(outlet: str, index: int, rng: random.Random, n: int, first: int) -> list[dict]:
    habit = (index + 1) / (len(OUTLETS) + 1)
    records = []
    for number in range(n):
        topic = TOPICS[rng.randrange(len(TOPICS))]
        records.append(
            {
                "id": first + number,  # unique within the outlet, shared across outlets
                "source": outlet,
                "headline": _sentence(rng, habit, 4, topic),
                "text": "\n".join(_sentence(rng, habit, 18, topic) for _ in range(3)),
                "time": _date(rng, number),
                "link": f"https://example.org/{index}/{rng.getrandbits(40):x}",
            }
        )
    return records


def write_corpus(raw: Path, per_file: int = 30, seed: int = 0) -> dict[str, int]:
    """Write the corpus under ``raw``; return {outlet: records written}."""
    rng = random.Random(seed)
    written = {}
    for index, outlet in enumerate(OUTLETS):
        folder = raw / f"outlet{index:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        parts = [_records(outlet, index, rng, per_file, 1 + part * per_file) for part in range(2)]
        if outlet == CP1256_OUTLET:
            with open(raw / "coastal.csv", "w", encoding="cp1256", newline="") as handle:
                writer = csv.DictWriter(handle, fieldnames=list(parts[0][0]))
                writer.writeheader()
                writer.writerows(parts[0] + parts[1])
        else:
            for number, records in enumerate(parts, start=1):
                path = folder / f"part{number}.json"
                path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
        written[outlet] = 2 * per_file
    repeated = json.loads((raw / "outlet01" / "part1.json").read_text("utf-8"))[0]
    (raw / "outlet01" / "again.json").write_text(json.dumps([repeated]), encoding="utf-8")
    written[OUTLETS[1]] += 1  # the same record listed twice: one duplicate id
    empty = {"id": 999, "source": OUTLETS[0], "headline": "", "text": "", "time": "2024-01-02"}
    empty["link"] = ""
    (raw / "outlet00" / "extra.json").write_text(json.dumps([empty]), encoding="utf-8")
    return written


MAPPING = """
doc_id = "id"
outlet = "source"
title = "headline"
body = "text"
published = "time"
url = "link"
"""
CORPUS_TOML = f"""
[[corpus]]
name = "wires"
files = ["raw/outlet*/*.json"]
reader = "generic"
[corpus.mapping]
{MAPPING}
[[corpus]]
name = "coastal"
files = ["raw/coastal.csv"]
encoding = "cp1256"
[corpus.mapping]
{MAPPING}
"""
