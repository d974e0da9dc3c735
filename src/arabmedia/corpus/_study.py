"""A study's corpora read into one LoadResult, and which of its outlets and dates are compared."""

from __future__ import annotations

import pandas as pd

from arabmedia.config import CorpusConfig, Settings
from arabmedia.corpus._loading import (
    _files_plan,
    _manifest_plan,
    _Plan,
    _read,
    concat_results,
    expand_globs,
)
from arabmedia.corpus._schema import LoadResult, _Options


class NothingLoadedError(ValueError):
    """No record of the study loaded; the message gives the counts and the commonest reasons."""

    def __init__(self, result: LoadResult, settings: Settings):
        reasons = result.rejects["reason"].str.slice(0, 160).value_counts().head(5)
        lines = [f"{count} rejected: {reason}" for reason, count in reasons.items()]
        super().__init__(
            f"nothing loaded from the study {settings.root} ({result.summary})"
            + "".join(f"\n  {line}" for line in lines)
        )


def manifest_corpora(settings: Settings) -> list[str]:
    """Names of the manifest corpora a study uses (compared, then validation), once each."""
    names = [c.name for c in settings.corpora if c.from_manifest]
    return list(dict.fromkeys([*names, *settings.validation]))


def _study_plan(entry: CorpusConfig, settings: Settings) -> _Plan:
    """What reading one ``[[corpus]]`` entry reads (see :func:`load_study`)."""
    if entry.from_manifest:
        return _manifest_plan(entry.name, settings, entry.outlet)
    options = _Options(
        entry.name,
        entry.outlet,
        entry.mapping,
        entry.timezone,
        entry.encoding,
        entry.date_format,
        entry.dayfirst,
        entry.record_path,
    )
    return _files_plan(expand_globs(entry.files, settings.root), entry.reader, options)


def _study_plans(settings: Settings) -> list[_Plan]:
    """One reading plan per ``[[corpus]]`` of the study, in its order; ValueError when the
    study names no corpus."""
    if not settings.corpora:
        raise ValueError(f"{settings.root / 'arabmedia.toml'}: the study names no [[corpus]]")
    return [_study_plan(entry, settings) for entry in settings.corpora]


def load_study(settings: Settings) -> LoadResult:
    """Every ``[[corpus]]`` of the study read into one LoadResult (read = loaded + rejected).

    Manifest corpora are read from ``settings.raw_dir`` (after ``arabmedia fetch``); file
    corpora from their globs. Raises ValueError when the study names no corpus.
    """
    return concat_results(_read(plan) for plan in _study_plans(settings))


def study_outlets(articles: pd.DataFrame, settings: Settings) -> list[str]:
    """The compared outlets in figure order: the study's list, or every outlet, largest first.

    A listed outlet with no article is an error naming it and the outlets present.
    """
    sizes = articles["outlet"].value_counts()
    present = sorted(sizes.index, key=lambda outlet: (-sizes[outlet], outlet))
    wanted = settings.compare.outlets
    if wanted == "all":
        return present
    missing = [outlet for outlet in wanted if outlet not in sizes.index]
    if missing:
        raise ValueError(
            f"{settings.root / 'arabmedia.toml'}: compare.outlets names outlet(s) with no "
            f"article: {missing}; the loaded outlets are {present}"
        )
    return list(wanted)


def compared_fields(articles: pd.DataFrame, settings: Settings) -> list[str]:
    """The study's compared fields that hold text in ``articles`` (an empty field, e.g. leads
    of a corpus that has none, cannot be compared)."""
    return [field for field in settings.compare.fields if (articles[field] != "").any()]


def compared_articles(articles: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """The articles of the compared outlets inside the study period, index reset.

    Undated articles are kept only when the study sets no period (they cannot be placed).
    """
    outlets = study_outlets(articles, settings)
    keep = articles["outlet"].isin(outlets)
    start, end = settings.compare.period
    if start or end:
        dates = articles["date"]
        keep &= dates.notna()
        keep &= dates >= pd.Timestamp(start) if start else True
        keep &= dates <= pd.Timestamp(end) if end else True
    return articles[keep].reset_index(drop=True)


def corpus_summary(result: LoadResult) -> pd.DataFrame:
    """Per corpus: records read, loaded, rejected (read = loaded + rejected).

    Columns: corpus, read, loaded, rejected (int); sorted by corpus.
    """
    loaded = result.articles.groupby("corpus").size()
    rejected = result.rejects.groupby("corpus").size()
    table = pd.DataFrame({"loaded": loaded, "rejected": rejected}).fillna(0).astype("int64")
    table.insert(0, "read", table["loaded"] + table["rejected"])
    return table.rename_axis("corpus").reset_index().sort_values("corpus", kind="stable")


def outlet_summary(
    result: LoadResult, articles: pd.DataFrame, compared: pd.DataFrame
) -> pd.DataFrame:
    """Per outlet: loaded, undated, left after deduplication, compared, and the date span.

    ``articles`` is the deduplicated table, ``compared`` the part the study compares.
    Columns: outlet, loaded, undated, duplicates_removed, unique, compared (int), first,
    last (dates of the compared articles, "" when none); largest first.
    """
    loaded = result.articles.groupby("outlet").size()
    undated = result.articles["date"].isna().groupby(result.articles["outlet"]).sum()
    unique = articles.groupby("outlet").size()
    chosen = compared.groupby("outlet")
    table = pd.DataFrame(
        {
            "loaded": loaded,
            "undated": undated,
            "duplicates_removed": loaded - unique.reindex(loaded.index, fill_value=0),
            "unique": unique,
            "compared": chosen.size(),
        }
    )
    table = table.fillna(0).astype("int64")
    table["first"] = chosen["date"].min().dt.strftime("%Y-%m-%d").reindex(table.index)
    table["last"] = chosen["date"].max().dt.strftime("%Y-%m-%d").reindex(table.index)
    table[["first", "last"]] = table[["first", "last"]].fillna("")
    table = table.rename_axis("outlet").reset_index()
    return table.sort_values(["loaded", "outlet"], ascending=[False, True], kind="stable")


def problem_summary(problems: pd.DataFrame) -> pd.DataFrame:
    """Records kept with a problem, counted: columns corpus, problem, records (int)."""
    table = problems.groupby(["corpus", "problem"]).size().rename("records").reset_index()
    return table.astype({"records": "int64"}).sort_values(["corpus", "problem"], kind="stable")
