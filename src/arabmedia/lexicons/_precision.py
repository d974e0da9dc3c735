"""The in-sense judgements of a lexicon's hits, stored next to it as data.

``lexicons/data/<kind>/precision/<name>.tsv`` (kind ``frames`` or ``terms``) holds, per judged
hit: the item (frame or concept) and indicator (pattern or variant id) it belongs to, the
matched form, a reference to the hit (doc_id, field, token position and length, the sha256 of
its KWIC window; never the text, nor the outlet, which the article id gives), the
indicator's hit count in the audited corpus, the split, the first coder's ``in_sense``
(0/1) and, on a 30% subset, ``in_sense_second`` by an independent coder.  A later round of
judgements (hits of an indicator changed by the audit) is a file of its own,
``<name>.round<N>.tsv``, so a frozen test half is never edited.
Protocol: ``data/gold/README.md``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from arabmedia.lexicons._errors import LexiconError
from arabmedia.lexicons._resources import LEXICON_DIR

PRECISION_COLUMNS = (
    "item",
    "indicator",
    "form",
    "doc_id",
    "field",
    "position",
    "length",
    "window_sha256",
    "hits",
    "split",
    "in_sense",
    "in_sense_second",
    "note",
)
PRECISION_KINDS = ("frames", "terms")


def precision_files(kind: str, name: str) -> list[Path]:
    """The judgement files of the bundled lexicon ``kind``/``name``: the first round, then
    the later rounds in order."""
    if kind not in PRECISION_KINDS:
        raise LexiconError(kind, f"precision judgements: kind must be one of {PRECISION_KINDS}")
    folder = LEXICON_DIR / kind / "precision"
    rounds = sorted(folder.glob(f"{name}.round*.tsv"), key=lambda p: int(p.stem.split("round")[1]))
    return [folder / f"{name}.tsv", *rounds]


def load_precision_judgements(kind: str, name: str) -> pd.DataFrame:
    """The judgements of ``kind``/``name`` (e.g. ``"frames", "war"``), checked.

    Columns: lexicon (``kind/name``), then :data:`PRECISION_COLUMNS`, then round (1 for the
    first file, N for ``<name>.roundN.tsv``); in_sense and
    in_sense_second are 0/1 (in_sense_second NaN where there was no second coder).  A file
    that is missing, lacks a column or has a bad value is a :class:`LexiconError` naming the
    file and the row.
    """
    return pd.concat(
        [
            _read_judgements(path, f"{kind}/{name}").assign(round=number)
            for number, path in enumerate(precision_files(kind, name), start=1)
        ],
        ignore_index=True,
    )


def _read_judgements(path: Path, lexicon: str) -> pd.DataFrame:
    try:
        table = pd.read_csv(path, sep="\t", comment="#", dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError) as error:
        raise LexiconError(path, f"cannot read precision judgements: {error}") from error
    missing = [c for c in PRECISION_COLUMNS if c not in table.columns]
    if missing:
        raise LexiconError(path, f"missing column(s) {missing}")
    for column, allowed in (
        ("in_sense", {"0", "1"}),
        ("in_sense_second", {"0", "1", ""}),
        ("split", {"dev", "test"}),
    ):
        bad = ~table[column].isin(allowed)
        if bad.any():
            row = int(bad.to_numpy().nonzero()[0][0]) + 1
            raise LexiconError(
                path,
                f"{column} is {table[column][bad].iloc[0]!r}, expected one of {sorted(allowed)}",
                entry=f"row {row}",
            )
    table["in_sense"] = table["in_sense"].astype(int)
    table["in_sense_second"] = pd.to_numeric(table["in_sense_second"])
    for column in ("position", "length", "hits"):
        table[column] = table[column].astype(int)
    table.insert(0, "lexicon", lexicon)
    return table
