"""Researcher-given topic names (``data/topics/labels.yaml``), tied to the model's vocabulary.

A topic model is identified by its corpus name, kind, K and seed, but the same four give
other topics as soon as the document-term matrix changes (a tokenizer or stemmer edit, other
stop words or cut-offs).  So each entry also stores ``vocabulary_sha256``, the
:func:`vocabulary_fingerprint` of the terms the labels were given for, and a model whose
vocabulary differs is refused instead of being shown under names meant for other topics.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from arabmedia.config import find_root
from arabmedia.lexicons._errors import LexiconError

#: The labels file, relative to the study folder (:func:`arabmedia.config.find_root`).
TOPIC_LABELS_FILE = Path("data", "topics", "labels.yaml")


def vocabulary_fingerprint(terms: Iterable[str]) -> str:
    """sha256 (hex) of the terms in column order joined by newlines (terms hold none)."""
    return hashlib.sha256("\n".join(map(str, terms)).encode("utf-8")).hexdigest()


class TopicLabelEntry(BaseModel):
    """One fitted model's topic names; topic numbers run 1..k."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)

    corpus: str
    model: Literal["nmf", "lda"]
    k: int = Field(ge=1)
    seed: int
    vocabulary_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    labels: dict[int, str]

    @model_validator(mode="after")
    def _check_labels(self) -> TopicLabelEntry:
        for topic, name in self.labels.items():
            if not 1 <= topic <= self.k:
                raise ValueError(f"topic {topic} is not a number in 1..{self.k}")
            if not name.strip():
                raise ValueError(f"topic {topic} needs a non-empty name")
        return self

    @property
    def model_key(self) -> tuple[str, str, int, int]:
        return (self.corpus, self.model, self.k, self.seed)


def _validation_reason(error: ValidationError) -> str:
    """Pydantic's errors as one sentence: ``field: message; ...``."""
    parts = []
    for item in error.errors():
        where = ".".join(str(part) for part in item["loc"])
        message = item["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)


def _read_entries(path: Path) -> list[TopicLabelEntry]:
    """Every entry of the labels file, validated; errors name the file and the entry."""
    try:
        entries = yaml.safe_load(path.read_text("utf-8")) or []
    except OSError as error:
        raise LexiconError(path, f"cannot read the file: {error}") from error
    except yaml.YAMLError as error:
        raise LexiconError(path, f"not valid YAML: {error}") from error
    if not isinstance(entries, list):
        raise LexiconError(path, f"expected a list of entries, got {type(entries).__name__}")
    parsed: dict[tuple, TopicLabelEntry] = {}
    for number, raw in enumerate(entries, start=1):
        try:
            entry = TopicLabelEntry.model_validate(raw)
        except ValidationError as error:
            raise LexiconError(path, _validation_reason(error), f"entry {number}") from error
        if entry.model_key in parsed:
            reason = f"a second entry for corpus/model/k/seed {entry.model_key}"
            raise LexiconError(path, reason, f"entry {number}")
        parsed[entry.model_key] = entry
    return list(parsed.values())


def load_topic_labels(
    corpus: str,
    kind: str,
    k: int,
    seed: int,
    *,
    vocabulary: Iterable[str],
    path: str | os.PathLike | None = None,
) -> dict[int, str]:
    """Topic names (topic number → name) of one fitted model, from the labels file.

    ``vocabulary`` is the model's term list in column order (``TopicCorpus.terms``); the
    matching entry must carry its :func:`vocabulary_fingerprint`, else a LexiconError naming
    the file, the entry and the reason.  The whole file is validated; a model without an
    entry gets ``{}``.  ``path`` defaults to :data:`TOPIC_LABELS_FILE` in the study folder
    (a study without that file has no names yet: ``{}``).
    """
    if path is None:
        path = find_root() / TOPIC_LABELS_FILE
        if not path.exists():
            return {}  # a study whose topics nobody has named yet
    path = Path(path)
    key = (corpus, kind, int(k), int(seed))
    for number, entry in enumerate(_read_entries(path), start=1):
        if entry.model_key != key:
            continue
        fingerprint = vocabulary_fingerprint(vocabulary)
        if entry.vocabulary_sha256 != fingerprint:
            raise LexiconError(
                path,
                f"vocabulary_sha256 {entry.vocabulary_sha256} does not match the model's "
                f"vocabulary ({fingerprint}): the matrix changed since the topics were named, "
                "so these labels may name other topics; read the new topics and relabel",
                f"entry {number} (corpus {corpus}, model {kind}, k {k}, seed {seed})",
            )
        return {topic: name.strip() for topic, name in entry.labels.items()}
    return {}
