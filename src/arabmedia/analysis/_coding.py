"""Hand-coding workflow: sample, coding sheet, codebook, import, agreement, dictionary check.

1. :func:`coding_sample` draws a seeded sample stratified by outlet and month.
2. :func:`export_coding_sheet` writes it as a CSV with one empty column per frame;
   :func:`write_codebook` writes the Markdown codebook generated from the frame
   dictionaries (definitions, coding questions, indicators, rationale, references).
3. Coders fill in 1 (frame present) or 0 (absent) per frame; an empty cell means not coded.
4. :func:`read_coding_sheets` reads the sheets of several coders with validation;
   :func:`coder_agreement` gives Krippendorff's alpha per frame, and
   :func:`dictionary_vs_coders` the dictionary's precision and recall against the coders'
   majority.

All files are written atomically.
"""

from __future__ import annotations

import csv
import io
import zlib
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from arabmedia.io import atomic_write_text
from arabmedia.lexicons._frames import FrameDictionary
from arabmedia.stats._agreement import krippendorff_alpha
from arabmedia.stats._classification import classification_scores

SHEET_ID_COLUMNS = ("doc_id", "url", "outlet", "date")
#: Values a coder may enter in a frame column; an empty cell means "not coded".
CODE_VALUES = {"1": 1, "0": 0}
#: How the codebook marks an indicator's clitic level (see arabmedia.text.surface_forms).
CLITIC_NOTES = {"full": "", "conjunctions": " (with و/ف only)", "exact": " (exact word)"}


class CodingSheetError(ValueError):
    """A coding sheet that cannot be used; the message names the file, row and reason."""


def coding_sample(
    articles: pd.DataFrame,
    n_per_cell: int,
    *,
    by: Sequence[str] = ("outlet", "month"),
    seed: int = 0,
) -> pd.DataFrame:
    """A stratified random sample of articles: ``n_per_cell`` per cell (all if fewer).

    ``"month"`` in ``by`` means the calendar month of ``date`` (articles without a date are
    left out).  Each cell draws from its own generator seeded by ``seed`` and the cell's
    key, so adding articles in one cell never changes another cell's sample.  Returns the
    sampled rows of ``articles`` (all columns, plus ``month`` when used), sorted by the
    cell keys and doc_id, index 0..n-1.
    """
    if n_per_cell < 1:
        raise ValueError(f"n_per_cell must be >= 1, got {n_per_cell}")
    table = articles
    if "month" in by:
        table = articles[articles["date"].notna()].copy()
        table["month"] = table["date"].dt.to_period("M").astype(str)
    picked = []
    for key, cell in table.groupby(list(by), sort=True):
        key = key if isinstance(key, tuple) else (key,)
        label = "\x1f".join(map(str, key)).encode("utf-8")
        rng = np.random.default_rng([seed, zlib.crc32(label)])
        cell = cell.sort_values("doc_id", kind="stable")
        take = min(n_per_cell, len(cell))
        picked.append(cell.iloc[np.sort(rng.choice(len(cell), size=take, replace=False))])
    sample = pd.concat(picked) if picked else table.iloc[:0]
    return sample.sort_values([*by, "doc_id"], kind="stable").reset_index(drop=True)


def _csv_text(table: pd.DataFrame) -> str:
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return buffer.getvalue()


def export_coding_sheet(
    sample: pd.DataFrame,
    frames: FrameDictionary,
    path: str | Path,
    *,
    text_field: str | Sequence[str] | None = None,
) -> Path:
    """Write the coding sheet (UTF-8 CSV with BOM, so spreadsheet programs read Arabic).

    Columns: doc_id, url, outlet, date (YYYY-MM-DD), ``text`` when ``text_field`` names one
    or more text fields (joined like :func:`arabmedia.corpus.article_text`), then one empty
    column per frame (named as the frame), then ``notes``.
    """
    from arabmedia.corpus._articles import article_text

    sheet = pd.DataFrame({"doc_id": sample["doc_id"].astype(str)})
    sheet["url"] = sample["url"].fillna("").astype(str) if "url" in sample else ""
    sheet["outlet"] = sample["outlet"].astype(str) if "outlet" in sample else ""
    dates = pd.to_datetime(sample["date"] if "date" in sample else pd.Series(pd.NaT, sample.index))
    sheet["date"] = dates.dt.strftime("%Y-%m-%d").fillna("")
    if text_field is not None:
        fields = [text_field] if isinstance(text_field, str) else list(text_field)
        sheet["text"] = article_text(sample, fields).to_numpy()
    for name in frames.names:
        sheet[name] = ""
    sheet["notes"] = ""
    duplicated = sheet["doc_id"].duplicated()
    if duplicated.any():
        raise ValueError(f"export_coding_sheet: doc_id {sheet['doc_id'][duplicated].iloc[0]} twice")
    path = Path(path)
    atomic_write_text(path, "\ufeff" + _csv_text(sheet))
    return path


def codebook_markdown(frames: FrameDictionary, *, title: str = "Frame codebook") -> str:
    """The codebook as Markdown: instructions, then per frame its definition, coding
    question, reference and indicator table (pattern, forms, rationale)."""
    lines = [
        f"# {title}",
        "",
        "## Instructions",
        "",
        "Read the whole text of each row (or open the URL).  For every frame column enter",
        "`1` if the text makes the frame salient (the coding question can be answered yes for",
        "a substantial part of the text, not for a passing word) and `0` if it does not.",
        "Leave a cell empty only if you cannot judge; explain in `notes`.  Several frames",
        "may be present in one text.  Code independently: do not discuss rows with other",
        "coders before all sheets are returned.  The indicators below are the words the",
        "dictionary looks for; they illustrate a frame but are neither necessary nor",
        "sufficient — code the meaning, not the words.",
        "",
        f"Frames: {', '.join(f'`{name}`' for name in frames.names)}.",
    ]
    for frame in frames.frames:
        lines += [
            "",
            f"## `{frame.name}` — {frame.label}",
            "",
            f"**Definition.** {frame.definition}",
            "",
            f"**Coding question.** {frame.coding_question}",
            "",
            f"**Reference.** {frame.reference}",
            "",
            "| indicator | forms also matched | rationale |",
            "|---|---|---|",
        ]
        for indicator in frame.indicators:
            forms = "، ".join(indicator.forms[1:])
            clitics = CLITIC_NOTES[indicator.clitics]
            rationale = indicator.rationale.replace("|", "\\|")
            lines.append(f"| {indicator.pattern}{clitics} | {forms} | {rationale} |")
    lines += [
        "",
        "## Matching rule of the dictionary",
        "",
        "Texts and indicators are normalized alike (أ/إ/آ→ا, ة→ه, ى→ي, no diacritics or",
        "tatweel).  A word matches an indicator also behind the prefixes و/ف, ب/ل/ك and ال",
        "(ل+ال written لل); suffixes are matched only when listed as forms.",
        "",
    ]
    return "\n".join(lines)


def write_codebook(frames: FrameDictionary, path: str | Path, **options: str) -> Path:
    """Write :func:`codebook_markdown` to ``path`` atomically."""
    path = Path(path)
    atomic_write_text(path, codebook_markdown(frames, **options))
    return path


def _read_sheet(path: Path) -> pd.DataFrame:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise CodingSheetError(f"{path}: cannot read the file ({error.strerror})") from error
    except UnicodeDecodeError as error:
        raise CodingSheetError(
            f"{path}: not UTF-8 ({error.reason} at byte {error.start})"
        ) from error
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise CodingSheetError(f"{path}: not a readable CSV ({error})") from error


def read_coding_sheets(
    sheets: Mapping[str, str | Path] | Iterable[str | Path],
    frames: FrameDictionary,
    *,
    expected_ids: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Read coded sheets into one long table, validating every sheet.

    ``sheets`` maps coder names to files (or is a list of files; the coder is the file's
    stem).  Every sheet needs doc_id and one column per frame; other columns of
    :func:`export_coding_sheet` are allowed, anything else is an error (a misspelt frame).
    Errors (:class:`CodingSheetError`, naming file, row — the spreadsheet row, header = 1 —
    and reason): empty or duplicate doc_ids, values other than 1, 0 or empty, doc_ids not
    in ``expected_ids`` and, per sheet, expected doc_ids that are missing.

    Returns columns doc_id, coder, frame, value (1, 0, or NaN when not coded), sorted by
    coder, doc_id and frame order.
    """
    if isinstance(sheets, Mapping):
        named = [(str(coder), Path(path)) for coder, path in sheets.items()]
    else:
        named = [(Path(path).stem, Path(path)) for path in sheets]
    coders = [coder for coder, _ in named]
    if len(set(coders)) != len(coders):
        raise CodingSheetError(f"coder names must be unique, got {coders}")
    expected = None if expected_ids is None else set(map(str, expected_ids))
    allowed = {*SHEET_ID_COLUMNS, "text", "notes", *frames.names}
    parts = []
    for coder, path in named:
        sheet = _read_sheet(path)
        missing = [c for c in ("doc_id", *frames.names) if c not in sheet.columns]
        if missing:
            raise CodingSheetError(f"{path}: missing column(s) {missing}")
        unknown = [c for c in sheet.columns if c not in allowed]
        if unknown:
            raise CodingSheetError(
                f"{path}: unknown column(s) {unknown}; frame columns are {frames.names}"
            )
        ids = sheet["doc_id"].str.strip()
        for position, doc_id in enumerate(ids):
            row = position + 2
            if not doc_id:
                raise CodingSheetError(f"{path}: row {row}: empty doc_id")
            if expected is not None and doc_id not in expected:
                raise CodingSheetError(f"{path}: row {row}: doc_id {doc_id!r} is not in the sample")
        duplicated = ids.duplicated()
        if duplicated.any():
            position = int(np.flatnonzero(duplicated)[0])
            raise CodingSheetError(
                f"{path}: row {position + 2}: doc_id {ids.iloc[position]!r} appears twice"
            )
        if expected is not None:
            absent = sorted(expected - set(ids))
            if absent:
                raise CodingSheetError(
                    f"{path}: {len(absent)} doc_id(s) of the sample missing, e.g. {absent[:3]}"
                )
        for name in frames.names:
            cells = sheet[name].str.strip()
            for position, cell in enumerate(cells):
                if cell and cell not in CODE_VALUES:
                    raise CodingSheetError(
                        f"{path}: row {position + 2}: column {name!r}: value {cell!r} is "
                        f"not one of {sorted(CODE_VALUES)} or empty"
                    )
            values = cells.map(lambda c: CODE_VALUES.get(c, np.nan)).astype(float)
            parts.append(
                pd.DataFrame({"doc_id": ids, "coder": coder, "frame": name, "value": values})
            )
    codes = pd.concat(parts, ignore_index=True)
    order = {name: i for i, name in enumerate(frames.names)}
    codes = codes.sort_values(
        ["coder", "doc_id", "frame"], key=lambda c: c.map(order) if c.name == "frame" else c
    )
    return codes.reset_index(drop=True)


def coder_agreement(codes: pd.DataFrame) -> pd.DataFrame:
    """Agreement between coders per frame (from :func:`read_coding_sheets`).

    Columns: frame, n_units (texts coded by two or more coders), n_coders,
    observed_agreement (share of agreeing coder pairs over all pairs), alpha (nominal
    Krippendorff's alpha; NaN when every code is the same or no text has two coders).
    """
    rows = []
    for frame, group in codes.dropna(subset=["value"]).groupby("frame", sort=False):
        per_unit = group.groupby("doc_id")["value"].agg(["sum", "count"])
        per_unit = per_unit[per_unit["count"] >= 2]
        ones, n = per_unit["sum"], per_unit["count"]
        pairs = (n * (n - 1)).sum()
        agreeing = (ones * (ones - 1) + (n - ones) * (n - ones - 1)).sum()
        pairable = group[group["doc_id"].isin(per_unit.index)]
        alpha = (
            krippendorff_alpha(pairable, unit="doc_id", coder="coder", value="value")
            if len(per_unit)
            else np.nan
        )
        rows.append(
            (
                frame,
                len(per_unit),
                group["coder"].nunique(),
                agreeing / pairs if pairs else np.nan,
                alpha,
            )
        )
    return pd.DataFrame(
        rows, columns=["frame", "n_units", "n_coders", "observed_agreement", "alpha"]
    )


def coder_majority(codes: pd.DataFrame) -> pd.DataFrame:
    """The coders' majority per text and frame: 1, 0, or NaN on a tie or without codes.

    Columns: doc_id, frame, n_coders (codes given), majority.
    """
    coded = codes.dropna(subset=["value"])
    summary = coded.groupby(["doc_id", "frame"], sort=False)["value"].agg(["sum", "count"])
    ones, n = summary["sum"], summary["count"]
    majority = np.where(2 * ones > n, 1.0, np.where(2 * ones < n, 0.0, np.nan))
    return pd.DataFrame(
        {
            "doc_id": summary.index.get_level_values("doc_id"),
            "frame": summary.index.get_level_values("frame"),
            "n_coders": n.to_numpy(),
            "majority": majority,
        }
    )


def dictionary_vs_coders(
    codes: pd.DataFrame,
    scores: pd.DataFrame,
    frames: FrameDictionary,
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Precision, recall and F1 of the dictionary (frame present = at least one hit)
    against the coders' majority, per frame.

    ``scores`` is :func:`arabmedia.analysis.count_frames` output (doc_id, hits_<frame>)
    for the coded texts.  Ties and uncoded cells are left out.  Columns: frame, n_texts,
    n_present (coders say present), then the positive-class row of
    :func:`arabmedia.stats.classification_scores`: precision, precision_low,
    precision_high, recall, recall_low, recall_high, f1, f1_low, f1_high.
    """
    majority = coder_majority(codes).dropna(subset=["majority"])
    hits = scores.set_index("doc_id")
    rows = []
    for name in frames.names:
        coded = majority[majority["frame"] == name]
        missing = sorted(set(coded["doc_id"]) - set(hits.index))
        if missing:
            raise ValueError(f"dictionary_vs_coders: no scores for doc_id(s) {missing[:3]}")
        if coded.empty:
            continue
        predicted = (hits.loc[coded["doc_id"], f"hits_{name}"].to_numpy() > 0).astype(int)
        truth = coded["majority"].astype(int).to_numpy()
        positive = classification_scores(
            truth, predicted, labels=[1, 0], n_boot=n_boot, ci=ci, seed=seed
        ).iloc[0]
        metrics = positive.drop(["label", "support"]).to_dict()
        rows.append({"frame": name, "n_texts": len(coded), "n_present": int(truth.sum())} | metrics)
    return pd.DataFrame(rows)


def prepare_coding(
    articles: pd.DataFrame,
    frames: FrameDictionary,
    folder: str | Path,
    n_per_cell: int,
    *,
    text_field: str | Sequence[str] | None = None,
    seed: int = 0,
) -> tuple[pd.DataFrame, list[Path]]:
    """Draw the coding sample and write its sheet and codebook into ``folder``.

    :func:`coding_sample` of ``articles`` (``n_per_cell`` per outlet and month, ``seed``),
    :func:`export_coding_sheet` as ``coding_sheet.csv`` (with the ``text_field`` text) and
    :func:`write_codebook` as ``codebook.md``.  Returns (sample, [sheet path, codebook path]).
    """
    folder = Path(folder)
    sample = coding_sample(articles, n_per_cell, seed=seed)
    sheet = export_coding_sheet(sample, frames, folder / "coding_sheet.csv", text_field=text_field)
    return sample, [sheet, write_codebook(frames, folder / "codebook.md")]


def coding_results(
    sheets: Mapping[str, str | Path],
    frames: FrameDictionary,
    sample: pd.DataFrame,
    scores: pd.DataFrame,
    *,
    n_boot: int = 1000,
    seed: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The coders' agreement and the dictionary's accuracy from filled-in coding sheets.

    ``sheets`` maps coders to their sheets of ``sample`` (read with
    :func:`read_coding_sheets`, every doc_id checked); ``scores`` is
    :func:`arabmedia.analysis.count_frames` output covering the sample.  Returns
    (:func:`coder_agreement`, :func:`dictionary_vs_coders`).
    """
    codes = read_coding_sheets(sheets, frames, expected_ids=sample["doc_id"])
    sample_scores = scores[scores["doc_id"].isin(set(sample["doc_id"]))]
    accuracy = dictionary_vs_coders(codes, sample_scores, frames, n_boot=n_boot, seed=seed)
    return coder_agreement(codes), accuracy
