"""Agency in casualty reporting: who, if anyone, is named as causing deaths and injuries.

War coverage can name the agent of deaths (قتل الجيش الاسرائيلي, برصاص الاحتلال, بقصف
اسرائيلي), name only a cause (غاره, قصف, انفجار) or report the dead without either (استشهد,
مقتل, سقوط ضحايا).  Each sentence that reports deaths or injuries gets one label:

* ``perpetrator_named`` - an actor is linked to the casualty as its agent;
* ``cause_without_actor`` - a cause, weapon or event is named, but no actor;
* ``agentless`` - neither;
* ``not_casualty`` - the sentence reports no deaths or injuries.

The codebook (data/gold/README_agency.md) defines the classes; the rules here approximate it on
normalized tokens (:mod:`arabmedia.text`) with word lists in ``lexicons/data/agency/*.yaml``:

1. Triggers are casualty words (``casualty_terms.yaml``) that are not part of a name (مستشفي
   شهداء الاقصي), not another sense (اصابه مباشره, استشهد بدراسه) and not a threat, plan or
   purpose (هدد بقتل, لقتل).  No trigger: ``not_casualty``.
2. Each trigger's clause runs to the nearest clause break (punctuation, بينما/فيما/...; a
   و-prefixed actor or cause word starts a new clause), at most :data:`CLAUSE_REACH` tokens away.
3. In the clause, an actor (``agents.yaml``) counts as the agent when it is the subject of a
   killing verb (قتلت قوات, الاحتلال يقتل), of an agent verb (ارتكب الاحتلال), follows an agent
   marker (علي يد, من قبل) or owns a cause noun (غاره اسرائيليه, مجزره ارتكبها الاحتلال), and is
   neither a victim description (جندي اسرائيلي, قتلي الجيش) nor a target (هجوم علي الاحتلال).
4. Otherwise a cause noun (``causes.yaml``) in the clause gives ``cause_without_actor``, else
   ``agentless``.  A sentence takes the strongest label over its triggers
   (perpetrator_named > cause_without_actor > agentless).

Speakers are not agents because they are never linked by these patterns (قال الجيش ان جنديا
قتل is agentless), and juxtaposed headline clauses are cut apart (شهداء في غزه والاحتلال
يواصل القصف).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from arabmedia.config import Settings
from arabmedia.lexicons._agency import AgencyLexicon, load_agency_lexicon
from arabmedia.text._normalize import normalize_many, tokenize_many
from arabmedia.text._sentences import split_sentences

LABELS = ("perpetrator_named", "cause_without_actor", "agentless", "not_casualty")
CASUALTY_LABELS = LABELS[:3]
CLAUSE_REACH = 20  # tokens either side of a trigger that its clause may span
EVIDENCE_REACH = 4  # tokens either side of the trigger kept as evidence
SENTENCE_COLUMNS = ("doc_id", "outlet", "field", "sentence_index", "text", "tokens")
REFERENCE_COLUMNS = ("doc_id", "sentence_index", "field", "sentence_sha256")


# --------------------------------------------------------------------------- sentences

#: Articles split and classified at a time by :func:`find_casualty_sentences`.
CHUNK_ARTICLES = 1000


def sentence_sha(sentence: str) -> str:
    """First 16 hex digits of the sha256 of the normalized sentence (a gold-set reference)."""
    normalized = normalize_many([sentence])[0]
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:16]


def article_sentences(
    articles: pd.DataFrame, fields: Sequence[str] = ("title", "lead", "body")
) -> pd.DataFrame:
    """Every sentence of the given text fields, split once and tokenized once.

    Sentences come from :func:`arabmedia.text.split_sentences` on each field's original
    text; ``sentence_index`` counts within the field.  Columns: doc_id, outlet, field,
    sentence_index (int), text (original sentence), tokens (list of normalized tokens,
    punctuation kept).  Row order: articles in table order, fields in the given order.
    """
    missing = [c for c in ("doc_id", "outlet", *fields) if c not in articles.columns]
    if missing:
        raise ValueError(f"article_sentences: the article table has no column(s) {missing}")
    doc_ids, outlets, field_names, indices, texts = [], [], [], [], []
    ids_and_outlets = [articles[c].fillna("").astype(str).tolist() for c in ("doc_id", "outlet")]
    for field in fields:
        values = articles[field].fillna("").astype(str)
        for doc_id, outlet, value in zip(*ids_and_outlets, values, strict=True):
            if not value:
                continue
            for index, sentence in enumerate(split_sentences(value)):
                doc_ids.append(doc_id)
                outlets.append(outlet)
                field_names.append(field)
                indices.append(index)
                texts.append(sentence)
    return pd.DataFrame(
        {
            "doc_id": pd.Series(doc_ids, dtype="str"),
            "outlet": pd.Series(outlets, dtype="str"),
            "field": pd.Series(field_names, dtype="str"),
            "sentence_index": pd.Series(indices, dtype="int64"),
            "text": pd.Series(texts, dtype="str"),
            "tokens": pd.Series(tokenize_many(texts), dtype="object"),
        }
    )


# --------------------------------------------------------------------------- classification


class AgencyDecision(NamedTuple):
    """The label of one sentence and what decided it (empty strings when not applicable)."""

    label: str
    trigger: str
    trigger_index: int
    agent: str
    cause: str
    rule: str


NOT_CASUALTY = AgencyDecision("not_casualty", "", -1, "", "", "no trigger")


def _triggers(tokens: Sequence[str], lex: AgencyLexicon) -> list[tuple[int, str]]:
    """(index, kind) of the casualty triggers that survive the name, sense and threat checks."""
    found = []
    for index, token in enumerate(tokens):
        kind = lex.triggers.get(token)
        if kind is None or token in lex.purpose_forms:
            continue
        if index > 0 and tokens[index - 1] in lex.name_heads:
            continue
        if token in lex.ambiguous_senses and any(
            t in lex.sense_exclusions for t in tokens[index + 1 : index + 1 + lex.sense_window]
        ):
            continue
        before = tokens[max(0, index - lex.hypothetical_before) : index]
        if any(t in lex.hypothetical_cues for t in before):
            continue
        found.append((index, kind))
    return found


def _is_break(token: str, lex: AgencyLexicon) -> bool:
    return token in lex.break_punctuation or token in lex.break_words


def _opens_clause(tokens: Sequence[str], position: int, lex: AgencyLexicon) -> bool:
    """A و/ف-prefixed actor or cause word that does not continue a list of such words."""
    if tokens[position] not in lex.coordinated:
        return False
    previous = tokens[position - 1] if position > 0 else ""
    return previous not in lex.actors and previous not in lex.causes


def _clause(tokens: Sequence[str], index: int, lex: AgencyLexicon) -> tuple[int, int]:
    """``[start, end)`` of the trigger's clause (see module doc)."""
    start = index
    while start > 0 and index - start < CLAUSE_REACH:
        previous = tokens[start - 1]
        if _is_break(previous, lex):
            break
        start -= 1
        if _opens_clause(tokens, start, lex):
            break
    end = index + 1
    while end < len(tokens) and end - index <= CLAUSE_REACH:
        token = tokens[end]
        if _is_break(token, lex) or _opens_clause(tokens, end, lex):
            break
        end += 1
    return start, end


def _is_agent_at(tokens: Sequence[str], position: int, lex: AgencyLexicon) -> bool:
    """An actor word that is neither a victim description nor an attack target."""
    if tokens[position] not in lex.actors:
        return False
    if position == 0:
        return True
    previous = tokens[position - 1]
    return not (
        previous in lex.victim_nouns
        or previous in lex.target_prepositions
        or (previous in lex.triggers and lex.triggers[previous] == "noun")
    )


def _is_cause_at(tokens: Sequence[str], position: int, lex: AgencyLexicon) -> bool:
    """A cause word not used in another sense (اطلاق سراح)."""
    if tokens[position] not in lex.causes:
        return False
    following = tokens[position + 1] if position + 1 < len(tokens) else ""
    return following not in lex.not_cause_before


def _actor_phrase(tokens: Sequence[str], position: int, lex: AgencyLexicon) -> str:
    """The actor word at ``position`` and the actor words right after it."""
    end = position + 1
    while end < len(tokens) and end - position < 4 and tokens[end] in lex.actors:
        end += 1
    return " ".join(tokens[position:end])


def _first_agent(
    tokens: Sequence[str], positions: Iterable[int], start: int, end: int, lex: AgencyLexicon
) -> int | None:
    """The first position (in the given order) inside ``[start, end)`` holding an agent."""
    for position in positions:
        if start <= position < end and _is_agent_at(tokens, position, lex):
            return position
    return None


def _decide_trigger(
    tokens: Sequence[str], index: int, kind: str, lex: AgencyLexicon
) -> AgencyDecision:
    """The label of one trigger from its clause."""
    start, end = _clause(tokens, index, lex)
    trigger = tokens[index]

    def named(position: int, rule: str, cause: str = "") -> AgencyDecision:
        agent = _actor_phrase(tokens, position, lex)
        return AgencyDecision("perpetrator_named", trigger, index, agent, cause, rule)

    if kind == "kill_verb":
        found = _first_agent(tokens, [index + 1, index - 1], start, end, lex)
        if found is not None:
            return named(found, "killing verb subject")
    for position in range(start, end):
        token = tokens[position]
        if token in lex.agent_markers:
            window = range(position + 1, position + 1 + lex.agent_marker_window)
            found = _first_agent(tokens, window, start, end, lex)
            if found is not None:
                return named(found, "agent marker")
        if token in lex.agent_verbs:
            reach = lex.agent_verb_window
            after = range(position + 1, position + 1 + reach)
            before = range(position - 1, position - 1 - reach, -1)
            found = _first_agent(tokens, [*after, *before], start, end, lex)
            if found is not None:
                return named(found, "agent verb", token)
        if _is_cause_at(tokens, position, lex):
            window = range(position + 1, position + 1 + lex.cause_window)
            found = _first_agent(tokens, window, start, end, lex)
            if found is not None:
                return named(found, "cause owner", token)
    causes = [tokens[p] for p in range(start, end) if _is_cause_at(tokens, p, lex)]
    if kind == "massacre":
        causes.insert(0, trigger)
    if causes:
        return AgencyDecision("cause_without_actor", trigger, index, "", causes[0], "cause")
    return AgencyDecision("agentless", trigger, index, "", "", "no agent or cause")


def classify_tokens(tokens: Sequence[str], lexicon: AgencyLexicon) -> AgencyDecision:
    """The agency label of one sentence given as normalized tokens (see module doc)."""
    best = NOT_CASUALTY
    for index, kind in _triggers(tokens, lexicon):
        decision = _decide_trigger(tokens, index, kind, lexicon)
        if best is NOT_CASUALTY or LABELS.index(decision.label) < LABELS.index(best.label):
            best = decision
        if best.label == LABELS[0]:
            break
    return best


def find_agency(sentences: pd.DataFrame, lexicon: AgencyLexicon | None = None) -> pd.DataFrame:
    """Label every sentence of a table with a ``tokens`` column (e.g. :func:`article_sentences`).

    Sentences without any trigger form are skipped by one set look-up.  Returns the input
    columns (without ``tokens``) plus: label, trigger (the deciding casualty word), agent (the
    actor phrase for perpetrator_named), cause (the cause word, if any), rule (which pattern
    decided), evidence (the tokens around the trigger, space-joined), trigger_index (the
    trigger's position in ``tokens``, -1 for not_casualty; e.g. for
    :func:`arabmedia.analysis.agency_hits`).  Index is preserved.
    """
    if "tokens" not in sentences.columns:
        raise ValueError("find_agency: the sentence table has no 'tokens' column")
    lexicon = lexicon or load_agency_lexicon()
    trigger_forms = lexicon.triggers.keys()
    decisions, evidence = [], []
    for tokens in sentences["tokens"]:
        if trigger_forms.isdisjoint(tokens):
            decisions.append(NOT_CASUALTY)
            evidence.append("")
            continue
        decision = classify_tokens(tokens, lexicon)
        decisions.append(decision)
        at = decision.trigger_index
        window = tokens[max(0, at - EVIDENCE_REACH) : at + EVIDENCE_REACH + 1] if at >= 0 else []
        evidence.append(" ".join(window))
    result = sentences.drop(columns="tokens").copy()
    for field in ("label", "trigger", "agent", "cause", "rule"):
        result[field] = pd.Series(
            [getattr(d, field) for d in decisions], index=sentences.index, dtype="str"
        )
    result["evidence"] = pd.Series(evidence, index=sentences.index, dtype="str")
    result["trigger_index"] = pd.Series(
        [d.trigger_index for d in decisions], index=sentences.index, dtype="int64"
    )
    return result


def find_casualty_sentences(
    articles: pd.DataFrame,
    fields: Sequence[str] = ("title", "lead", "body"),
    lexicon: AgencyLexicon | None = None,
    *,
    chunk_size: int = CHUNK_ARTICLES,
) -> pd.DataFrame:
    """The casualty sentences (label other than not_casualty) of the given fields.

    Articles are split, tokenized and classified ``chunk_size`` at a time and only the
    casualty sentences are kept, so memory follows the chunk, not the corpus (the full
    sentence table of 40k news articles takes gigabytes).  The result does not depend on
    ``chunk_size``.  Columns as :func:`find_agency`: doc_id, outlet, field,
    sentence_index, text, label, trigger, agent, cause, rule, evidence, trigger_index; rows
    in the order of :func:`article_sentences` (field by field, articles in table order),
    index 0..n-1.
    """
    if chunk_size < 1:
        raise ValueError(f"find_casualty_sentences: chunk_size must be >= 1, got {chunk_size}")
    lexicon = lexicon or load_agency_lexicon()
    parts = []
    for start in range(0, len(articles), chunk_size):
        chunk = articles.iloc[start : start + chunk_size]
        classified = find_agency(article_sentences(chunk, fields), lexicon)
        kept = classified[classified["label"] != NOT_CASUALTY.label]
        position = dict(zip(chunk["doc_id"], range(start, start + len(chunk)), strict=True))
        parts.append(kept.assign(_article=kept["doc_id"].map(position)))
    if not parts:
        return find_agency(article_sentences(articles, fields), lexicon)
    table = pd.concat(parts, ignore_index=True)
    table["_field"] = table["field"].map({field: rank for rank, field in enumerate(fields)})
    table = table.sort_values(["_field", "_article", "sentence_index"], kind="stable")
    return table.drop(columns=["_field", "_article"]).reset_index(drop=True)


def count_agency(articles: pd.DataFrame, classified: pd.DataFrame) -> pd.DataFrame:
    """One row per article: how many of its casualty sentences fall in each class.

    ``classified`` is :func:`find_casualty_sentences` (or :func:`find_agency`) output.
    Columns: doc_id, outlet, casualty (casualty sentences), perpetrator_named,
    cause_without_actor, agentless.  Articles without casualty sentences have zeros, so the
    table is the resampling frame for :func:`compare_agency`.
    """
    casualty = classified[classified["label"].isin(CASUALTY_LABELS)]
    counts = pd.crosstab(casualty["doc_id"], casualty["label"])
    counts = counts.reindex(columns=list(CASUALTY_LABELS), fill_value=0)
    table = articles[["doc_id", "outlet"]].reset_index(drop=True)
    table = table.join(counts, on="doc_id").fillna(dict.fromkeys(CASUALTY_LABELS, 0))
    table[list(CASUALTY_LABELS)] = table[list(CASUALTY_LABELS)].astype("int64")
    table.insert(2, "casualty", table[list(CASUALTY_LABELS)].sum(axis=1))
    return table


def compare_agency(
    counts: pd.DataFrame,
    by: str | Sequence[str] = "outlet",
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Share of each class among casualty sentences per group, with article-bootstrap CIs.

    ``counts`` is :func:`count_agency`; articles are resampled
    (:func:`arabmedia.stats.bootstrap_ratios` with denominator ``casualty``).  Columns: the
    ``by`` columns, label, n_units, numerator, denominator, estimate, low, high.
    """
    from arabmedia.stats._bootstrap import bootstrap_ratios

    return bootstrap_ratios(
        counts,
        CASUALTY_LABELS,
        by,
        name="label",
        denominator="casualty",
        n_boot=n_boot,
        ci=ci,
        seed=seed,
    )


def has_casualty_word(tokens: pd.Series, lexicon: AgencyLexicon | None = None) -> pd.Series:
    """Whether each token list holds a casualty trigger form (a cheap pre-filter).

    A text without one cannot hold a casualty sentence, so only the others need splitting
    into sentences.  Boolean Series aligned with ``tokens``.
    """
    forms = (lexicon or load_agency_lexicon()).triggers.keys()
    return tokens.map(lambda doc: not forms.isdisjoint(doc)).astype(bool)


def agency_sentences(
    articles: pd.DataFrame,
    fields: Sequence[str],
    bodies: pd.DataFrame | None = None,
    body_tokens: pd.Series | None = None,
    lexicon: AgencyLexicon | None = None,
) -> pd.DataFrame:
    """The :func:`article_sentences` of ``fields`` of every article, then of the ``body`` of
    ``bodies`` (e.g. the bodies :func:`has_casualty_word` keeps) unless ``fields`` has it.

    With ``body_tokens`` (the bodies' tokens, aligned with ``bodies``) only the bodies with a
    casualty word (:func:`has_casualty_word` with ``lexicon``) are split: the others cannot
    hold a casualty sentence.  One table for every agency and attribution count of a
    notebook, split once.  Columns: :data:`SENTENCE_COLUMNS`; index 0..n-1.
    """
    if bodies is not None and body_tokens is not None:
        bodies = bodies[has_casualty_word(body_tokens, lexicon).to_numpy()]
    parts = [article_sentences(articles, fields)]
    if bodies is not None and "body" not in fields:
        parts.append(article_sentences(bodies, ["body"]))
    return pd.concat(parts, ignore_index=True)


def casualty_counts(
    articles: pd.DataFrame,
    classified: pd.DataFrame,
    fields: Sequence[str],
    *,
    keep: Sequence[bool] | pd.Series | None = None,
    carry: Sequence[str] = (),
) -> pd.DataFrame:
    """:func:`count_agency` of the sentences of ``fields``, for the articles that have at
    least one casualty sentence there (the resampling units of the class shares).

    ``classified`` is :func:`find_agency` output; ``keep`` (booleans aligned with
    ``articles``, e.g. the comparison window) drops articles first; ``carry`` names article
    columns copied along (e.g. ``period``).  Columns: those of :func:`count_agency`, then
    ``carry``; index: the articles' positions in ``articles``.
    """
    counts = count_agency(articles, classified[classified["field"].isin(fields)])
    counts = counts.assign(**{column: articles[column].to_numpy() for column in carry})
    kept = counts["casualty"] > 0
    if keep is not None:
        kept &= pd.Series(keep).to_numpy(dtype=bool)
    return counts[kept]


def compare_agency_change(
    counts: pd.DataFrame,
    between: str,
    first: object,
    second: object,
    *,
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Change of each class's share of casualty sentences from ``first`` to ``second``.

    ``counts`` is :func:`casualty_counts` (or :func:`count_agency`) output with a
    ``between`` column (outlet, period); the two sides' articles are resampled
    independently (:func:`arabmedia.stats.bootstrap_differences`).  Columns: label, then
    those of :func:`arabmedia.stats.bootstrap_difference` (n_first, n_second,
    estimate_first, estimate_second, difference, low, high).
    """
    from arabmedia.stats._bootstrap import bootstrap_differences

    return bootstrap_differences(
        counts,
        CASUALTY_LABELS,
        between,
        first,
        second,
        name="label",
        denominator="casualty",
        n_boot=n_boot,
        ci=ci,
        seed=seed,
    )


def agency_overview(classified: pd.DataFrame) -> pd.DataFrame:
    """Sentences per outlet and field (rows) in each class of :data:`LABELS`, and ``texts``:
    how many texts (articles' fields) were split, so a reader sees what the counts cover.

    ``classified`` is :func:`find_agency` output (doc_id, outlet, field, label).  A crosstab
    of counts, classes in :data:`LABELS` order (zeros where a class has no sentence).
    """
    rows = [classified["outlet"], classified["field"]]
    table = pd.crosstab(rows, classified["label"]).reindex(columns=list(LABELS), fill_value=0)
    table["texts"] = classified.groupby(["outlet", "field"])["doc_id"].nunique()
    return table


def compare_agency_periods(
    articles: pd.DataFrame,
    classified: pd.DataFrame,
    break_date: str,
    *,
    field: str = "body",
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int = 0,
) -> pd.DataFrame:
    """Change of each class's share of casualty sentences in ``field`` from before
    ``break_date`` to after it, per outlet (e.g. the outlets' bodies, as
    :func:`compare_frame_periods`).

    ``articles`` (doc_id, outlet) carries the ``period`` column of
    :func:`arabmedia.analysis.split_periods` (same ``break_date``; e.g. the subset of
    :func:`arabmedia.analysis.period_subset`); ``classified`` is :func:`find_agency` output
    covering them.  Each outlet's articles with a casualty sentence
    (:func:`casualty_counts`) are compared with :func:`compare_agency_change` on their own
    (:func:`arabmedia.analysis.per_group`); an outlet of ``articles`` without any gets rows
    with n_first = n_second = 0 and NaN estimates.  Columns: outlet, then those of
    :func:`compare_agency_change`; outlets sorted.
    """
    from arabmedia.analysis._periods import per_group, period_labels

    counts = casualty_counts(articles, classified, [field], carry=["period"])
    first, second = period_labels(break_date)
    return per_group(
        counts,
        lambda rows: compare_agency_change(
            rows, "period", first, second, n_boot=n_boot, ci=ci, seed=seed
        ),
        names=sorted(articles["outlet"].unique()),
    )


# --------------------------------------------------------------------------- gold set


def read_reference_table(path: str | Path, required: Sequence[str]) -> pd.DataFrame:
    """A reference-only gold TSV (``#`` comment lines), with its columns checked."""
    path = Path(path)
    try:
        table = pd.read_csv(path, sep="\t", comment="#", dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError) as error:
        raise ValueError(f"{path}: cannot read gold table: {error}") from error
    missing = [c for c in (*REFERENCE_COLUMNS, *required) if c not in table.columns]
    if missing:
        raise ValueError(f"{path}: missing column(s) {missing}")
    if not table["sentence_index"].str.fullmatch(r"\d+").all():
        bad = table.index[~table["sentence_index"].str.fullmatch(r"\d+")][0]
        raise ValueError(f"{path}: row {bad + 1}: sentence_index must be a non-negative integer")
    table["sentence_index"] = table["sentence_index"].astype("int64")
    return table


def resolve_references(
    table: pd.DataFrame, articles: pd.DataFrame, path: str | Path
) -> pd.DataFrame:
    """Attach the referenced sentence (text, tokens, outlet) to each gold row, or refuse.

    Every row must name an article in ``articles``, a text field it has, a sentence index
    within that field's :func:`split_sentences`, and a sentence whose :func:`sentence_sha`
    equals ``sentence_sha256``; otherwise a ValueError lists each failing row and why.
    """
    by_id = articles.drop_duplicates("doc_id").set_index("doc_id")
    problems, texts, outlets = [], [], []
    for row_number, row in enumerate(table.itertuples(index=False), start=1):
        where = f"row {row_number} ({row.doc_id}, {row.field}, sentence {row.sentence_index})"
        if row.doc_id not in by_id.index:
            problems.append(f"{where}: article not in the loaded corpus")
        elif row.field not in by_id.columns:
            problems.append(f"{where}: the article table has no field {row.field!r}")
        else:
            sentences = split_sentences(str(by_id.at[row.doc_id, row.field] or ""))
            if row.sentence_index >= len(sentences):
                problems.append(f"{where}: the field has only {len(sentences)} sentences")
            elif sentence_sha(sentences[row.sentence_index]) != row.sentence_sha256:
                problems.append(f"{where}: sentence hash differs (the text changed)")
            else:
                texts.append(sentences[row.sentence_index])
                outlets.append(by_id.at[row.doc_id, "outlet"])
                continue
        texts.append("")
        outlets.append("")
    if problems:
        shown = "\n  ".join(problems[:20])
        more = f"\n  ... and {len(problems) - 20} more" if len(problems) > 20 else ""
        raise ValueError(
            f"{path}: {len(problems)} gold row(s) do not match the corpus:\n  {shown}{more}"
        )
    resolved = table.copy()
    resolved["outlet"] = pd.Series(outlets, index=table.index, dtype="str")
    resolved["text"] = pd.Series(texts, index=table.index, dtype="str")
    resolved["tokens"] = pd.Series(tokenize_many(texts), index=table.index, dtype="object")
    return resolved


def gold_dir(settings: Settings) -> Path:
    """The project's gold sets, ``<settings.root>/data/gold`` (not package data)."""
    return settings.root / "data" / "gold"


def load_gold(path: str | Path, articles: pd.DataFrame) -> pd.DataFrame:
    """The agency gold set resolved against the loaded corpus (see :func:`resolve_references`).

    Columns: doc_id, sentence_index, field, sentence_sha256, label, note, split, stratum (as
    stored), outlet, text, tokens.  Labels outside :data:`LABELS` are refused.
    """
    table = read_reference_table(path, ["label", "note"])
    unknown = sorted(set(table["label"]) - set(LABELS))
    if unknown:
        raise ValueError(f"{path}: unknown label(s) {unknown}; expected one of {LABELS}")
    return resolve_references(table, articles, path)


def evaluate_gold(
    gold: pd.DataFrame,
    lexicon: AgencyLexicon | None = None,
    *,
    n_boot: int = 1000,
    seed: int = 0,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Classify the gold sentences; return (scores, predictions).

    scores: :func:`arabmedia.stats.classification_scores` over :data:`LABELS` (per label and
    macro, with bootstrap CIs over sentences).  predictions: the gold table with ``predicted``
    and the decision columns (trigger, agent, cause, rule, evidence).
    """
    from arabmedia.stats._classification import classification_scores

    classified = find_agency(gold, lexicon)
    predictions = gold.drop(columns="tokens").assign(
        predicted=classified["label"],
        **{c: classified[c] for c in ("trigger", "agent", "cause", "rule", "evidence")},
    )
    scores = classification_scores(
        predictions["label"], predictions["predicted"], labels=LABELS, n_boot=n_boot, seed=seed
    )
    return scores, predictions


def evaluate_gold_splits(
    gold: pd.DataFrame,
    lexicon: AgencyLexicon | None = None,
    *,
    splits: Sequence[str] = ("dev", "test"),
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """The :func:`evaluate_gold` scores of each ``split`` of the gold set, one table.

    The rules were tuned on ``dev`` only, so ``test`` is the honest figure; both are shown
    side by side.  Columns: split, then those of the scores table of :func:`evaluate_gold`.
    """
    parts = [
        evaluate_gold(gold[gold["split"] == split], lexicon, n_boot=n_boot, seed=seed)[0].assign(
            split=split
        )
        for split in splits
    ]
    table = pd.concat(parts, ignore_index=True)
    return table[["split", *table.columns[:-1]]]


def agency_validation(
    articles: pd.DataFrame,
    settings: Settings,
    lexicon: AgencyLexicon | None = None,
    *,
    n_boot: int = 1000,
    seed: int = 0,
) -> pd.DataFrame:
    """The rules against the project's gold set (``agency_sentences.tsv`` in
    :func:`gold_dir`), resolved against ``articles``: :func:`evaluate_gold_splits` (dev and
    test split side by side), whose columns it returns."""
    gold = load_gold(gold_dir(settings) / "agency_sentences.tsv", articles)
    return evaluate_gold_splits(gold, lexicon, n_boot=n_boot, seed=seed)
