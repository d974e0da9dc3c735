"""``report.md``: what a study run read, loaded, rejected and compared, what to distrust and
where every output is. Written from the tables the notebooks export: it says only what they
measured."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd

from arabmedia.config import Settings
from arabmedia.io import atomic_write_text

#: Rows shown per table before the report points at the CSV for the rest.
MAX_ROWS = 40
#: Domain-check warnings whose KWIC lines the report prints.
KWIC_WARNINGS = 12
DOMAIN_COLUMNS = (
    "field", "outlet", "analysis", "item", "form", "share", "share_elsewhere", "item_hits"
)  # fmt: skip


def _read(settings: Settings, name: str) -> pd.DataFrame | None:
    path = settings.tables_dir / f"{name}.csv"
    return pd.read_csv(path, keep_default_na=False) if path.exists() else None


def _markdown(table: pd.DataFrame, csv: str) -> str:
    shown = table.head(MAX_ROWS)
    text = shown.to_markdown(index=False, floatfmt=".3g") + "\n"
    if len(table) > len(shown):
        text += f"\n({len(table) - len(shown)} more rows in `{csv}`)\n"
    return text


def _relative(path: Path, start: Path) -> str:
    return Path(os.path.relpath(path, start)).as_posix()


def _section(settings: Settings, title: str, name: str, missing: str, note: str = "") -> str:
    table = _read(settings, name)
    text = f"\n## {title}\n\n"
    if table is None:
        return text + f"{missing}\n"
    csv = _relative(settings.tables_dir / f"{name}.csv", settings.report.parent)
    if note:
        text += note + "\n\n"
    return text + (_markdown(table, csv) if len(table) else "None.\n")


def _domain_section(settings: Settings, title: str, name: str, notebook: str) -> str:
    """The warnings as a table, then their KWIC lines, so a reader sees the usage at once."""
    table = _read(settings, name)
    text = f"\n## {title}\n\n"
    if table is None:
        return text + f"Not produced: run notebook {notebook}.\n"
    if table.empty:
        return text + "No concept, frame or label where one form gives more than 30% of the hits.\n"
    csv = _relative(settings.tables_dir / f"{name}.csv", settings.report.parent)
    text += (
        f"{len(table)} result(s) where one surface form gives more than 30% of an outlet's "
        "hits, the outlets where the form matters more than elsewhere first "
        "(`share_elsewhere`: its share in the other outlets). Read the lines before "
        "trusting the number: a form used in another sense (الكيان for a football club, "
        "Noah's الطوفان) inflates the result in that outlet only.\n\n"
    )
    columns = [c for c in DOMAIN_COLUMNS if c in table.columns]
    text += _markdown(table[columns], csv)
    text += "\nKWIC lines of the first warnings:\n\n"
    for row in table.head(KWIC_WARNINGS).itertuples():
        where = " · ".join(
            str(getattr(row, c)) for c in ("field", "outlet", "item") if c in columns
        )
        text += f"- {where} · {row.form}\n"
        text += "".join(f"  - {line}\n" for line in str(row.kwic).split("\n") if line)
    return text


def _length_section(settings: Settings) -> str:
    table = _read(settings, "03_frame_length")
    text = "\n## Frame measures and article length\n\n"
    if table is None:
        return text + "Not produced: run notebook 03.\n"
    table = table.assign(ratio=pd.to_numeric(table["ratio"], errors="coerce"))  # "" -> NaN
    summary = table.groupby("measure").agg(
        median_ratio=("ratio", "median"), separated=("separated", "mean")
    )
    text += (
        "Per outlet and frame, the longest fifth of the articles against the shortest fifth: "
        "`median_ratio` is the median over frames and outlets of the ratio of their values, "
        "`separated` the share of frames whose two intervals do not overlap. The measure whose "
        "ratio is far from 1 is length-sensitive: compare outlets with different article "
        "lengths (section above) on the other one.\n\n"
    )
    return text + summary.reset_index().to_markdown(index=False, floatfmt=".2f") + "\n"


def report_markdown(settings: Settings, stale: list[Path] = ()) -> str:
    """The report text for the study's exported tables and figures (deterministic);
    ``stale`` lists outputs a full run did not write (left from an earlier run)."""
    compare = settings.compare
    outlets = compare.outlets if compare.outlets == "all" else ", ".join(compare.outlets)
    period = " to ".join(day or "open" for day in compare.period)
    lines = [
        f"# {settings.title}",
        "",
        "Settings in `arabmedia.toml` of this study folder.",
        "",
        f"- Compared outlets: {outlets}",
        f"- Compared text: {', '.join(compare.fields)}",
        f"- Period: {period}",
        f"- Before/after break: {compare.break_date or 'none (before/after sections skipped)'}",
        f"- Term set: {compare.term_file}; frame dictionaries: {', '.join(compare.frame_files)}",
        f"- Validation sets: {', '.join(settings.validation) or 'none'}",
    ]
    never = "Not produced: run notebook 00."
    text = "\n".join(lines) + "\n"
    text += _section(settings, "Records read, loaded and rejected", "00_corpora", never)
    text += _section(settings, "Why records were rejected", "00_rejects", never)
    text += _section(
        settings,
        "Records kept with a problem",
        "00_problems",
        never,
        "Kept in the article table: an unparseable date leaves the article undated (in totals, "
        "not in dated series); a repeated id within an outlet is a copy that deduplication "
        "collapses; a file read as cp1256 is listed under encoding.",
    )
    text += _section(settings, "Outlets: loaded, deduplicated, compared", "00_outlets", never)
    text += _section(settings, "Duplicates", "00_duplicates", never)
    text += _domain_section(settings, "Domain check: terms", "02_domain_warnings", "02")
    text += _domain_section(settings, "Domain check: frames and agency", "03_domain_warnings", "03")
    text += _length_section(settings)
    text += "\n## Figures\n\n"
    figures = sorted(settings.figures_dir.glob("*.pdf"))
    text += (
        "".join(f"- `{_relative(p, settings.report.parent)}` (and .png)\n" for p in figures)
        or "None yet.\n"
    )
    text += "\n## Tables\n\n"
    tables = sorted(settings.tables_dir.glob("*.csv"))
    text += "".join(f"- `{_relative(p, settings.report.parent)}`\n" for p in tables) or "None.\n"
    if stale:
        text += "\n## Not written by this run\n\nLeft from an earlier run; delete them:\n\n"
        text += "".join(f"- `{_relative(p, settings.report.parent)}`\n" for p in stale)
    return text


def write_report(settings: Settings, stale: list[Path] = ()) -> Path:
    """Write :func:`report_markdown` to ``settings.report`` atomically; return the path."""
    atomic_write_text(settings.report, report_markdown(settings, stale))
    return settings.report
