"""Human annotations that come with corpora: FIGNEWS bias/propaganda votes, ArMPro spans."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from arabmedia.corpus._readers import _FIGNEWS_KEY, READERS, _fignews_doc_id, _jsonl_records
from arabmedia.corpus._schema import _Options


def _fignews_texts(folder: Path, corpus: str) -> pd.DataFrame:
    reader = READERS["fignews2024"]
    paths = sorted({p for pattern in reader.patterns for p in Path(folder).glob(pattern)})
    tables = [reader.records(path, _Options(corpus, None, None, None)).records for path in paths]
    rows = [row for records in tables for _, row in records]
    keys = pd.DataFrame(rows, columns=list(_FIGNEWS_KEY)).astype(str)
    keys.insert(0, "doc_id", [_fignews_doc_id(corpus, row) for row in rows])
    return keys


def _majority(votes: pd.DataFrame, prefix: str) -> pd.DataFrame:
    """Most-voted label (ties: first in the vote file's column order) and its share."""
    votes = votes.fillna(0)
    total = votes.sum(axis=1)
    label = votes.idxmax(axis=1).str.removeprefix(prefix).where(total > 0, "")
    share = (votes.max(axis=1) / total).where(total > 0)
    return pd.DataFrame(
        {
            f"n_{prefix}votes": total,
            f"{prefix}majority": label,
            f"{prefix}majority_share": share,
        }
    )


def fignews_labels(folder: Path, corpus: str = "fignews2024") -> pd.DataFrame:
    """Per FIGNEWS text post: team vote counts, majority labels and SinaLab's two labels.

    Columns: doc_id, batch, source_language, id, type; ``bias_<label>`` and
    ``prop_<label>`` vote counts from camel/FIGNEWS-2024-ALL-CLEAN-FLAT.tsv (NaN when the
    post has no vote row); n_bias_votes, bias_majority, bias_majority_share, n_prop_votes,
    prop_majority, prop_majority_share (ties go to the label listed first in the vote
    file; "" and NaN without votes); sinalab1_bias, sinalab1_propaganda, sinalab2_bias,
    sinalab2_propaganda from sinalab/IAA-1.xlsx and IAA-2.xlsx ("" where not annotated).
    """
    folder = Path(folder)
    texts = _fignews_texts(folder, corpus)
    texts.columns = ["doc_id", "batch", "source_language", "id", "type"]
    key = ["batch", "source_language", "id", "type"]
    flat = pd.read_csv(
        folder / "camel" / "FIGNEWS-2024-ALL-CLEAN-FLAT.tsv",
        sep="\t",
        dtype=str,
        keep_default_na=False,
    )
    label_columns = [c for c in flat.columns if c not in key]
    separators = [i for i, c in enumerate(label_columns) if c.startswith("Unnamed")]
    bias_labels = label_columns[separators[0] + 1 : separators[1]]
    prop_labels = label_columns[separators[1] + 1 :]
    renamed = {c: f"bias_{c}" for c in bias_labels}
    renamed |= {c: f"prop_{c.removesuffix('.1')}" for c in prop_labels}
    votes = flat[key + bias_labels + prop_labels].rename(columns=renamed)
    counts = list(renamed.values())
    votes[counts] = votes[counts].apply(pd.to_numeric)
    table = texts.merge(votes, on=key, how="left", validate="many_to_one")
    bias = [c for c in counts if c.startswith("bias_")]
    prop = [c for c in counts if c.startswith("prop_")]
    table = pd.concat(
        [table, _majority(table[bias], "bias_"), _majority(table[prop], "prop_")], axis=1
    )
    for number in (1, 2):
        sinalab = pd.read_excel(folder / "sinalab" / f"IAA-{number}.xlsx", dtype=str).fillna("")
        sinalab = sinalab[[*_FIGNEWS_KEY, "Bais", "Propaganda"]]
        sinalab.columns = [*key, f"sinalab{number}_bias", f"sinalab{number}_propaganda"]
        table = table.merge(sinalab, on=key, how="left", validate="many_to_one")
    sinalab_columns = [c for c in table.columns if c.startswith("sinalab")]
    table[sinalab_columns] = table[sinalab_columns].fillna("")
    return table


def armpro_spans(folder: Path, corpus: str = "armpro") -> pd.DataFrame:
    """:func:`armpro_file_spans` of the ArMPro span files in ``folder`` (sorted)."""
    return armpro_file_spans(sorted(Path(folder).glob(READERS["armpro"].patterns[0])), corpus)


def armpro_file_spans(paths: Sequence[Path], corpus: str = "armpro") -> pd.DataFrame:
    """One row per labelled persuasion span of the given ArMPro span files, in file order.

    Columns: doc_id (as in the article table), technique, start, end (character offsets
    into the source paragraph before text repairs), text.  Unreadable lines are skipped:
    ``read_corpus`` and ``read_files`` report them as rejects.
    """
    rows = []
    for path in paths:
        for _, record in _jsonl_records(Path(path), _Options(corpus, None, None, None)).records:
            if not isinstance(record, dict) or not isinstance(record.get("labels"), list):
                continue
            doc_id = f"{corpus}:{record.get('paragraph_id', '')}"
            for span in record["labels"]:
                rows.append(
                    (
                        doc_id,
                        span.get("technique"),
                        span.get("start"),
                        span.get("end"),
                        span.get("text"),
                    )
                )
    frame = pd.DataFrame(rows, columns=["doc_id", "technique", "start", "end", "text"])
    return frame.astype({"start": "int64", "end": "int64"})
