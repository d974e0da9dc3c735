"""Matched events: who covers what, who reports first, and gaps within the same events.

Every function takes the event table of :func:`match_events`: one row per article with
columns doc_id, outlet, date (naive), event_id (articles of one event share it; a lone
article has its own); other columns are ignored.  Whether an event is *shared* is counted
from the table given (the outlets with articles in it), so a table cut to a window or to
some outlets gives coverage relative to that cut.

Intervals resample **events**, not articles: articles of one event are not independent
(an outlet's wording and timing on a story go together), so each bootstrap replicate
draws events with replacement and keeps all of a drawn event's articles.  Each outlet or
outlet pair draws from its own stream derived from ``seed`` and its key
(:mod:`arabmedia.stats`), so adding an outlet never changes another's interval.

Per-article measures come from the ``count_*`` tables (:func:`count_terms` filtered to one
concept and variant, :func:`count_frames`, :func:`casualty_counts`, :func:`count_actors`):
any numerator and denominator column per article, joined to the events on ``doc_id``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd

from arabmedia.stats._bootstrap import (
    BATCH_REPLICATES,
    _check_options,
    _group_rng,
    _interval,
    _replicate_sums,
    _require,
    bootstrap_ratio,
)

#: Columns of :func:`match_events` output that these functions use.
_REQUIRED_COLUMNS = ("doc_id", "outlet", "date", "event_id")
#: Measures of :func:`coverage_summary`, in row order.
COVERAGE_MEASURES = ("shared_articles", "exclusive_events")
#: Measures of :func:`compare_lags`, in row order.
LAG_MEASURES = ("median_lag_hours", "share_first", "share_tied")
#: Event weights of :func:`compare_within_events`.
EVENT_WEIGHTS = ("events", "mentions")
#: Rows of :func:`compare_within_events`.
WITHIN_MEASURES = ("first", "second", "difference")
#: Components of :func:`decompose_gap`, in row order.
GAP_COMPONENTS = ("aggregate", "within_event", "agenda")
#: The compare contract's columns after the group and item columns.
_CONTRACT = ["n_units", "numerator", "denominator", "estimate", "low", "high"]


def _check_events(events: pd.DataFrame, caller: str) -> None:
    """Raise ValueError unless ``events`` has one row per article with an event and outlet."""
    _require(events, _REQUIRED_COLUMNS, caller)
    for column in ("doc_id", "outlet", "event_id"):
        if events[column].isna().any():
            raise ValueError(
                f"{caller}: {int(events[column].isna().sum())} event rows have no {column}"
            )
    repeated = events.loc[events["doc_id"].duplicated(), "doc_id"]
    if len(repeated):
        raise ValueError(
            f"{caller}: the event table needs one row per article; doc_id(s) "
            f"{sorted(repeated.unique())[:5]} appear more than once"
        )


def _absent(values: pd.Series, ids: pd.Series) -> np.ndarray:
    """Which ``values`` are not among the unique ``ids`` (as a mask; fast on string ids)."""
    return pd.Index(ids).get_indexer(values) < 0


def outlet_pairs(
    events: pd.DataFrame,
    pairs: Sequence[Sequence[str]] | None = None,
    *,
    ordered: bool = False,
) -> list[tuple[str, str]]:
    """The outlet pairs to compare: ``pairs`` checked against ``events``, or all of them.

    Default: every pair of the outlets in ``events`` (sorted), each once as (A, B) with
    A before B, or both ways with ``ordered``.  A study's ``compare.pairs`` can be passed
    as ``pairs``.  Raises ValueError for a pair that is not two different outlets of
    ``events``.
    """
    _require(events, ["outlet"], "outlet_pairs")
    outlets = sorted(events["outlet"].dropna().unique())
    if pairs is None:
        chosen = (
            itertools.permutations(outlets, 2) if ordered else itertools.combinations(outlets, 2)
        )
        return [(str(a), str(b)) for a, b in chosen]
    return [_check_pair(events, pair, "outlet_pairs") for pair in pairs]


def _check_pair(events: pd.DataFrame, pair: Sequence[str], caller: str) -> tuple[str, str]:
    if isinstance(pair, str) or len(pair) != 2 or pair[0] == pair[1]:
        raise ValueError(f"{caller}: outlets must be two different outlets (A, B), got {pair!r}")
    present = set(events["outlet"].unique())
    absent = [outlet for outlet in pair if outlet not in present]
    if absent:
        raise ValueError(
            f"{caller}: outlet(s) {absent} have no articles in the event table; "
            f"outlets there: {sorted(present)}"
        )
    return pair[0], pair[1]


def per_pair(
    compare: Callable[[tuple[str, str]], pd.DataFrame],
    events: pd.DataFrame,
    pairs: Sequence[Sequence[str]] | None = None,
) -> pd.DataFrame:
    """``compare(pair)`` of every pair of :func:`outlet_pairs` (unordered), stacked; index 0..n-1.

    E.g. ``per_pair(lambda pair: decompose_gap(counts, events, "count", "concept_count",
    pair), events, study.compare.pairs or None)``.  A pair ``compare`` rejects (no shared
    events) raises; pass ``pairs`` to choose the pairs.
    """
    parts = [compare(pair) for pair in outlet_pairs(events, pairs)]
    if not parts:
        raise ValueError("per_pair: the event table has fewer than two outlets")
    return pd.concat(parts, ignore_index=True)


# --------------------------------------------------------------------------- coverage


def event_coverage(events: pd.DataFrame) -> pd.DataFrame:
    """The event x outlet matrix as a long table: one row per event and outlet covering it.

    Columns: event_id, outlet, n_articles (the outlet's articles in the event), first_date
    (its earliest ``date`` there), n_outlets (outlets covering the event).  Rows by the
    event's first date, then event_id, then outlet; index 0..n-1.
    """
    _check_events(events, "event_coverage")
    table = (
        events.groupby(["event_id", "outlet"], sort=True)
        .agg(n_articles=("doc_id", "size"), first_date=("date", "min"))
        .reset_index()
    )
    table["n_outlets"] = table.groupby("event_id")["outlet"].transform("size")
    start = table.groupby("event_id")["first_date"].transform("min")
    table = table.assign(_start=start).sort_values(["_start", "event_id", "outlet"], kind="stable")
    return table.drop(columns="_start").reset_index(drop=True)


def coverage_matrix(coverage: pd.DataFrame) -> pd.DataFrame:
    """:func:`event_coverage` as a wide table for plotting: one row per event (index
    event_id, in the coverage's order), one column per outlet (sorted), articles in each
    cell, 0 where the outlet does not cover the event."""
    _require(coverage, ["event_id", "outlet", "n_articles"], "coverage_matrix")
    wide = coverage.pivot(index="event_id", columns="outlet", values="n_articles")
    wide = wide.reindex(index=coverage["event_id"].unique(), columns=sorted(wide.columns))
    return wide.fillna(0).astype("int64")


def shared_event_counts(coverage: pd.DataFrame) -> pd.DataFrame:
    """Events each pair of outlets both cover, from :func:`event_coverage`: one row per
    ordered pair (outlet_a, outlet_b, shared_events), the diagonal an outlet's own events;
    outlets sorted (the square table of :func:`arabmedia.plot.coverage_matrix_figure`)."""
    covered = coverage_matrix(coverage).gt(0).astype("int64")
    square = covered.T @ covered
    return (
        square.rename_axis(index="outlet_a", columns="outlet_b")
        .stack()
        .rename("shared_events")
        .reset_index()
    )


def coverage_summary(
    events: pd.DataFrame, *, n_boot: int = 1000, ci: float = 0.95, seed: int = 0
) -> pd.DataFrame:
    """Per outlet: how much of its coverage is of shared events, and how much it covers alone.

    Two measures per outlet (:data:`COVERAGE_MEASURES`), each with a bootstrap interval
    over the outlet's events: ``shared_articles``, the share of its articles that belong
    to events at least two outlets cover (numerator: those articles, denominator: all its
    articles); ``exclusive_events``, the share of its events no other outlet covers
    (numerator: those events, denominator: its events).  Columns (the compare contract,
    then one more): outlet, measure, n_units (the outlet's events, resampled), numerator,
    denominator, estimate, low, high, n_articles.  Rows by outlet, then measure.
    """
    coverage = event_coverage(events)
    units = coverage.assign(
        shared_articles=np.where(coverage["n_outlets"] >= 2, coverage["n_articles"], 0),
        exclusive_events=(coverage["n_outlets"] == 1).astype("int64"),
    )
    options = {"n_boot": n_boot, "ci": ci, "seed": seed}
    parts = [
        bootstrap_ratio(units, "shared_articles", "outlet", denominator="n_articles", **options),
        bootstrap_ratio(units, "exclusive_events", "outlet", **options),
    ]
    measured = zip(parts, COVERAGE_MEASURES, strict=True)
    table = pd.concat([part.assign(measure=measure) for part, measure in measured])
    table["n_articles"] = table["outlet"].map(units.groupby("outlet")["n_articles"].sum())
    table = table.sort_values("outlet", kind="stable")  # measures stay in their order
    return table[["outlet", "measure", *_CONTRACT, "n_articles"]].reset_index(drop=True)


# --------------------------------------------------------------------------- who reports first


def report_lags(
    events: pd.DataFrame,
    articles: pd.DataFrame,
    time_column: str = "published",
    *,
    pairs: Sequence[Sequence[str]] | None = None,
) -> pd.DataFrame:
    """How long after outlet A's first article on an event outlet B's first one came.

    For each ordered pair (A, B) (``pairs``, default all of :func:`outlet_pairs` both
    ways) and each event both cover: ``lag_hours`` = B's first article minus A's first
    article, positive when A was first.  An outlet's article has a time when its
    ``time_column`` (from ``articles``, joined on doc_id) is set and, if ``articles`` has
    ``date_precision``, that is "second".  The lag comes from the times (basis "time")
    when every article of both outlets in the event has one; otherwise from the calendar
    ``date`` of the events table, in whole days times 24 (basis "date"), since a
    day-precision time is only a date.  Columns: first (A), second (B), event_id,
    event_date (the earlier of the two first dates), lag_hours, basis.  Rows pair by pair,
    then by event_date and event_id; a pair that shares no event has no rows.  An undated
    article is a lone event in :func:`match_events` and so never gets a lag.
    """
    _check_events(events, "report_lags")
    _require(articles, ["doc_id", time_column], "report_lags")
    if articles["doc_id"].duplicated().any():
        raise ValueError("report_lags: the article table has repeated doc_ids")
    unknown = sorted(events.loc[_absent(events["doc_id"], articles["doc_id"]), "doc_id"])
    if unknown:
        raise ValueError(
            f"report_lags: {len(unknown)} article(s) of the event table are not in the article "
            f"table, e.g. {unknown[:5]}"
        )
    indexed = articles.set_index("doc_id")
    times = indexed[time_column].reindex(events["doc_id"])
    timed = times.notna().to_numpy()
    if "date_precision" in indexed.columns:
        timed = timed & (indexed["date_precision"].reindex(events["doc_id"]).to_numpy() == "second")
    firsts = (
        events[["event_id", "outlet", "date"]]
        .assign(_time=times.array, _timed=timed)
        .groupby(["event_id", "outlet"], sort=True)
        .agg(date=("date", "min"), time=("_time", "min"), timed=("_timed", "all"))
        .reset_index()
    )
    chosen = outlet_pairs(events, pairs, ordered=True)
    if not chosen:
        raise ValueError("report_lags: the event table has fewer than two outlets")
    parts = []
    for first, second in chosen:
        a = firsts[firsts["outlet"] == first]
        b = firsts[firsts["outlet"] == second]
        both = a.merge(b, on="event_id", suffixes=("_a", "_b"))
        by_time = both["timed_a"] & both["timed_b"]
        hours = (both["time_b"] - both["time_a"]) / pd.Timedelta(hours=1)
        days = (both["date_b"].dt.normalize() - both["date_a"].dt.normalize()).dt.days * 24.0
        parts.append(
            pd.DataFrame(
                {
                    "first": first,
                    "second": second,
                    "event_id": both["event_id"],
                    "event_date": both[["date_a", "date_b"]].min(axis=1),
                    "lag_hours": np.where(by_time, hours, days).astype(float),
                    "basis": np.where(by_time, "time", "date"),
                }
            ).sort_values(["event_date", "event_id"], kind="stable")
        )
    return pd.concat(parts, ignore_index=True)


def _resampled_rows(n: int, rng: np.random.Generator, n_boot: int):
    """Row indices of ``n_boot`` resamples of ``n`` units, in batches (n_batch x n)."""
    for start in range(0, n_boot, BATCH_REPLICATES):
        yield rng.integers(0, n, size=(min(start + BATCH_REPLICATES, n_boot) - start, n))


def compare_lags(
    lags: pd.DataFrame, *, n_boot: int = 1000, ci: float = 0.95, seed: int = 0
) -> pd.DataFrame:
    """Per ordered pair (A, B) of :func:`report_lags`: the median lag and who came first.

    Measures (:data:`LAG_MEASURES`), all from one bootstrap over the pair's shared
    events: ``median_lag_hours`` (B behind A; numerator and denominator NaN),
    ``share_first`` (events A reported strictly first: numerator those events,
    denominator all) and ``share_tied`` (same time, or the same day on basis "date").
    Columns (the compare contract, then one more): first, second, measure, n_units
    (shared events), numerator, denominator, estimate, low, high, n_timed (events whose
    lag comes from times).  Rows by pair (sorted), then measure.
    """
    _require(lags, ["first", "second", "event_id", "lag_hours", "basis"], "compare_lags")
    _check_options(n_boot, ci)
    rows = []
    for (first, second), group in lags.groupby(["first", "second"], sort=True):
        lag = group["lag_hours"].to_numpy(dtype=float)
        if not np.isfinite(lag).all():
            raise ValueError(f"compare_lags: ({first}, {second}) has lags that are not numbers")
        n, n_timed = len(lag), int((group["basis"] == "time").sum())
        replicates = {measure: [] for measure in LAG_MEASURES}
        for batch in _resampled_rows(n, _group_rng(seed, (first, second)), n_boot):
            drawn = lag[batch]
            replicates["median_lag_hours"].append(np.median(drawn, axis=1))
            replicates["share_first"].append((drawn > 0).mean(axis=1))
            replicates["share_tied"].append((drawn == 0).mean(axis=1))
        counts = {"share_first": int((lag > 0).sum()), "share_tied": int((lag == 0).sum())}
        estimates = {"median_lag_hours": float(np.median(lag))}
        estimates.update({measure: count / n for measure, count in counts.items()})
        for measure in LAG_MEASURES:
            low, high = _interval(np.concatenate(replicates[measure]), ci)
            rows.append(
                {
                    "first": first,
                    "second": second,
                    "measure": measure,
                    "n_units": n,
                    "numerator": counts.get(measure, np.nan),
                    "denominator": n if measure in counts else np.nan,
                    "estimate": estimates[measure],
                    "low": low,
                    "high": high,
                    "n_timed": n_timed,
                }
            )
    return pd.DataFrame(rows, columns=["first", "second", "measure", *_CONTRACT, "n_timed"])


# --------------------------------------------------------------------------- within events


def _pair_sums(
    counts: pd.DataFrame,
    events: pd.DataFrame,
    numerator: str,
    denominator: str,
    outlets: Sequence[str],
    on: str,
    caller: str,
) -> tuple[tuple[str, str], pd.DataFrame]:
    """The pair, and per event (sorted by event_id) each outlet's numerator and denominator
    sums and articles with a positive denominator: columns numerator_first,
    denominator_first, articles_first and the same for second.  Events where neither
    outlet has a positive denominator are left out (they weigh nothing)."""
    _check_events(events, caller)
    pair = _check_pair(events, outlets, caller)
    _require(counts, [on, numerator, denominator], caller)
    if counts[on].duplicated().any():
        raise ValueError(
            f"{caller}: counts need one row per article ({on}); filter a long table such as "
            "count_terms to one concept and variant first"
        )
    values = counts[[numerator, denominator]].to_numpy(dtype=float)
    if not np.isfinite(values).all() or (values[:, 1] < 0).any():
        raise ValueError(
            f"{caller}: {numerator} must be finite and {denominator} finite and not negative"
        )
    unknown = sorted(counts.loc[_absent(counts[on], events["doc_id"]), on])
    if unknown:
        raise ValueError(
            f"{caller}: {len(unknown)} article(s) of the counts are not in the event table, "
            f"e.g. {unknown[:5]}; count the event table's articles only"
        )
    chosen = events.loc[events["outlet"].isin(pair), ["doc_id", "outlet", "event_id"]]
    measured = counts[[on, numerator, denominator, *(["outlet"] if "outlet" in counts else [])]]
    joined = chosen.merge(
        measured.rename(columns={on: "doc_id", "outlet": "_outlet"}), on="doc_id", how="left"
    )
    if "_outlet" in joined:
        disagree = joined["_outlet"].notna() & (joined["_outlet"] != joined["outlet"])
        if disagree.any():
            raise ValueError(
                f"{caller}: counts and events name different outlets for article(s) "
                f"{joined.loc[disagree, 'doc_id'].tolist()[:5]}"
            )
    # an article of the events missing from the counts has no mentions (e.g. casualty_counts
    # keeps only articles with casualty sentences)
    joined[[numerator, denominator]] = joined[[numerator, denominator]].fillna(0.0)
    per = (
        joined.assign(_with=joined[denominator] > 0)
        .groupby(["event_id", "outlet"])
        .agg(
            numerator=(numerator, "sum"),
            denominator=(denominator, "sum"),
            articles=("_with", "sum"),
        )
    )
    wide = per.unstack("outlet", fill_value=0).sort_index()
    table = pd.DataFrame(index=wide.index)
    for side, outlet in zip(("first", "second"), pair, strict=True):
        for column in ("numerator", "denominator", "articles"):
            table[f"{column}_{side}"] = wide[(column, outlet)]
    table = table[(table["denominator_first"] > 0) | (table["denominator_second"] > 0)]
    return pair, table


def _shared(table: pd.DataFrame) -> pd.Series:
    return (table["denominator_first"] > 0) & (table["denominator_second"] > 0)


def _no_shared_events(caller: str, pair: tuple[str, str], denominator: str) -> ValueError:
    return ValueError(
        f"{caller}: no event in which both {pair[0]} and {pair[1]} have articles with "
        f"{denominator} > 0, so there is nothing to compare within events"
    )


def event_ratios(
    counts: pd.DataFrame,
    events: pd.DataFrame,
    numerator: str,
    denominator: str,
    outlets: Sequence[str],
    *,
    on: str = "doc_id",
) -> pd.DataFrame:
    """Each outlet's ratio within every event both have mentions in (the paired units).

    ``counts`` has one row per article: the ``on`` column (an events ``doc_id``) and
    numeric ``numerator`` and ``denominator`` columns (e.g. count and concept_count of
    :func:`count_terms` filtered to one variant); event articles missing from it count
    zero.  An event is shared when both outlets have a positive ``denominator`` sum in it
    (an event an outlet covers without a mention has no ratio).  Columns: first, second
    (the pair), event_id, numerator_first, denominator_first, ratio_first (sums of the
    first outlet's articles in the event), the same for second, difference (ratio_first -
    ratio_second), sorted by event_id.  Raises ValueError when no event is shared.
    """
    pair, table = _pair_sums(counts, events, numerator, denominator, outlets, on, "event_ratios")
    table = table[_shared(table)]
    if table.empty:
        raise _no_shared_events("event_ratios", pair, denominator)
    return _ratios(pair, table)


def _ratios(pair: tuple[str, str], table: pd.DataFrame) -> pd.DataFrame:
    shown = pd.DataFrame({"first": pair[0], "second": pair[1], "event_id": table.index})
    for side in ("first", "second"):
        num, den = table[f"numerator_{side}"].to_numpy(), table[f"denominator_{side}"].to_numpy()
        shown[f"numerator_{side}"], shown[f"denominator_{side}"] = num, den
        shown[f"ratio_{side}"] = num / den
    shown["difference"] = shown["ratio_first"] - shown["ratio_second"]
    return shown


def compare_within_events(
    counts: pd.DataFrame,
    events: pd.DataFrame,
    numerator: str,
    denominator: str,
    outlets: Sequence[str],
    *,
    weights: str = "events",
    on: str = "doc_id",
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """The paired difference A - B of a per-article ratio on the events both report.

    Within each shared event (:func:`event_ratios`) each outlet's ratio is the ratio of
    its articles' sums; the rows average these over the shared events, so events either
    outlet has alone, and how many articles an outlet writes per event, do not enter.
    ``weights``: ``"events"`` (default) counts every shared event once, the typical shared
    story; ``"mentions"`` weights an event by the two outlets' ``denominator`` sums
    together, so big stories count more and the result is nearer the pooled ratios.  The
    interval resamples shared events (one stream per pair).  Rows (:data:`WITHIN_MEASURES`):
    ``first`` and ``second`` (each outlet's weighted mean ratio) and ``difference``
    (first - second).  Columns (the compare contract, then one more): first, second,
    measure, n_units (articles with a positive ``denominator`` in the shared events; both
    outlets' for the difference), numerator and denominator (the outlet's sums over the
    shared events, whose ratio is its pooled ratio there; NaN for the difference),
    estimate, low, high, n_events (shared events, resampled).  Raises ValueError when
    ``weights`` is unknown or no event is shared.
    """
    if weights not in EVENT_WEIGHTS:
        raise ValueError(f"compare_within_events: weights must be one of {EVENT_WEIGHTS}")
    _check_options(n_boot, ci)
    caller = "compare_within_events"
    pair, table = _pair_sums(counts, events, numerator, denominator, outlets, on, caller)
    table = table[_shared(table)]
    if table.empty:
        raise _no_shared_events(caller, pair, denominator)
    ratios = _ratios(pair, table)
    if weights == "events":
        weight = np.ones(len(ratios))
    else:
        weight = (ratios["denominator_first"] + ratios["denominator_second"]).to_numpy(float)
    weighted = np.column_stack(
        [weight * ratios["ratio_first"], weight * ratios["ratio_second"], weight]
    )
    first_sums, second_sums, weight_sums = _replicate_sums(weighted, _group_rng(seed, pair), n_boot)
    total_first, total_second, total_weight = weighted.sum(axis=0)
    estimates = {
        "first": (total_first / total_weight, first_sums / weight_sums),
        "second": (total_second / total_weight, second_sums / weight_sums),
    }
    estimates["difference"] = (
        estimates["first"][0] - estimates["second"][0],
        estimates["first"][1] - estimates["second"][1],
    )
    articles = {side: int(table[f"articles_{side}"].sum()) for side in ("first", "second")}
    articles["difference"] = articles["first"] + articles["second"]
    rows = []
    for measure in WITHIN_MEASURES:
        estimate, replicates = estimates[measure]
        pooled = measure != "difference"
        rows.append(
            {
                "first": pair[0],
                "second": pair[1],
                "measure": measure,
                "n_units": articles[measure],
                "numerator": ratios[f"numerator_{measure}"].sum() if pooled else np.nan,
                "denominator": ratios[f"denominator_{measure}"].sum() if pooled else np.nan,
                "estimate": float(estimate),
                **dict(zip(("low", "high"), _interval(replicates, ci), strict=True)),
                "n_events": len(ratios),
            }
        )
    return pd.DataFrame(rows, columns=["first", "second", "measure", *_CONTRACT, "n_events"])


def decompose_gap(
    counts: pd.DataFrame,
    events: pd.DataFrame,
    numerator: str,
    denominator: str,
    outlets: Sequence[str],
    *,
    on: str = "doc_id",
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """The aggregate gap A - B of a ratio, split into a within-event and an agenda part.

    The aggregate ratio of an outlet is the ratio of sums over all its articles, which is
    its per-event ratios r_e averaged with its own event mix s_e (the event's share of the
    outlet's ``denominator``): R = sum_e s_e r_e.  Direct standardisation to A's mix
    (Kitagawa 1955; the two-fold Oaxaca-Blinder split with A as reference) gives

    * ``within_event`` = R_A - R_B*, with R_B* = sum_e s_A,e r~_B,e: B's ratios on A's
      event mix, which equals sum over shared events of s_A,e (r_A,e - r_B,e): how
      differently the two write about the same events, weighted by their weight in A's
      coverage;
    * ``agenda`` = R_B* - R_B: what is left, which comes from covering different events
      (or the same events with a different weight).

    They add up to ``aggregate`` = R_A - R_B exactly (agenda is computed as aggregate -
    within_event).  Assumptions: an event is shared when both outlets have a positive
    ``denominator`` in it (:func:`event_ratios`); on an event A has mentions in and B
    not, B is taken to write as A does (r~_B,e = r_A,e), since no difference can be
    observed there, so such events, and events only B has, enter the agenda part only.
    A's mix is the reference: swapping the pair uses B's, and the split can differ
    (the usual index-number problem); the aggregate only changes sign.  Events are
    the resampled units, independent of each other; one bootstrap over the events either
    outlet has mentions in (one stream per pair) gives all three intervals.

    ``counts`` is as for :func:`event_ratios`.  Columns: first, second, component
    (:data:`GAP_COMPONENTS`), estimate, low, high, n_events (events with mentions of
    either outlet; shared events for within_event), share_of_aggregate (estimate /
    aggregate estimate; NaN when the aggregate is 0).  Raises ValueError when an outlet
    has no mentions or no event is shared.
    """
    _check_options(n_boot, ci)
    caller = "decompose_gap"
    pair, table = _pair_sums(counts, events, numerator, denominator, outlets, on, caller)
    for side, outlet in zip(("first", "second"), pair, strict=True):
        if not (table[f"denominator_{side}"] > 0).any():
            raise ValueError(f"{caller}: {outlet} has no articles with {denominator} > 0")
    shared = _shared(table).to_numpy()
    if not shared.any():
        raise _no_shared_events(caller, pair, denominator)
    num_a, den_a, num_b, den_b = (
        table[f"{column}_{side}"].to_numpy(float)
        for side in ("first", "second")
        for column in ("numerator", "denominator")
    )
    ratio_b = np.divide(num_b, den_b, out=np.zeros_like(num_b), where=shared)
    # A's numerator minus what B's ratio would give on A's mentions: sum / D_A = within
    within = np.where(shared, num_a - den_a * ratio_b, 0.0)
    values = np.column_stack([num_a, den_a, num_b, den_b, within])
    with np.errstate(divide="ignore", invalid="ignore"):
        reps = _replicate_sums(values, _group_rng(seed, pair), n_boot)
        r_num_a, r_den_a, r_num_b, r_den_b, r_within = reps
        replicate_gap = r_num_a / r_den_a - r_num_b / r_den_b
        replicate_within = r_within / r_den_a
    totals = values.sum(axis=0)
    gap = totals[0] / totals[1] - totals[2] / totals[3]
    within_gap = totals[4] / totals[1]
    parts = {
        "aggregate": (gap, replicate_gap, len(table)),
        "within_event": (within_gap, replicate_within, int(shared.sum())),
        "agenda": (gap - within_gap, replicate_gap - replicate_within, len(table)),
    }
    rows = []
    for component in GAP_COMPONENTS:
        estimate, replicates, n_events = parts[component]
        share = estimate / gap if gap != 0 else np.nan
        rows.append(
            (*pair, component, float(estimate), *_interval(replicates, ci), n_events, share)
        )
    columns = ["first", "second", "component", "estimate", "low", "high", "n_events"]
    return pd.DataFrame(rows, columns=[*columns, "share_of_aggregate"])
