"""The one schema layer of the lexicon files: pydantic models, YAML reading, one error.

Every lexicon model derives from :class:`Strict` (unknown keys are errors, strings are
stripped), every file is read by :func:`read_yaml` and validated by :func:`validate`, which
turns pydantic's errors into one :class:`LexiconError` naming the file, the entry (by the
``id``/``name``/``pattern`` of each enclosing record, e.g. ``concept 'dead', variant
'killed'``) and the reason.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any, TypeVar

import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from arabmedia.lexicons._errors import LexiconError
from arabmedia.text._clitics import CliticLevel
from arabmedia.text._normalize import NormalizeSettings, normalize_many, tokenize
from arabmedia.text._vocabulary import is_word

#: A required, non-empty text field (a rationale, a label, a citation).
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
#: An identifier: lower-case letters, digits and ``_``, starting with a letter.
Identifier = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
#: How an entry takes proclitics: ``full`` (default), ``conjunctions`` or ``exact``.
Clitics = Annotated[CliticLevel, Field(default="full")]

Model = TypeVar("Model", bound=BaseModel)

# Singular names of the lists whose records are named in error messages.
_RECORD_NAMES = {
    "concepts": "concept",
    "variants": "variant",
    "frames": "frame",
    "indicators": "indicator",
    "groups": "group",
    "types": "type",
}
_RECORD_KEYS = ("id", "name", "pattern")


class Strict(BaseModel):
    """Base of every lexicon record: unknown keys are errors, models are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def resolve_path(path: str | os.PathLike, folder: Path, kind: str) -> Path:
    """``path`` itself, or the shipped lexicon ``folder/<path>.yaml`` when given a bare name."""
    candidate = Path(path)
    if not candidate.suffix and not candidate.exists():
        candidate = folder / f"{candidate}.yaml"
    if not candidate.is_file():
        shipped = sorted(p.stem for p in folder.glob("*.yaml"))
        raise LexiconError(candidate, f"no such {kind} file (shipped: {shipped})")
    return candidate


def read_yaml(path: str | os.PathLike) -> Any:
    """The parsed YAML of ``path``, or a LexiconError naming the file."""
    try:
        return yaml.safe_load(Path(path).read_text("utf-8"))
    except OSError as error:
        raise LexiconError(path, f"cannot read the file ({error.strerror})") from error
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raise LexiconError(path, f"not valid UTF-8 YAML: {error}") from error


def _entry_name(data: Any, location: tuple) -> str | None:
    """``concept 'dead', variant 'killed'``: the records and sections along an error path."""
    parts, node, parent = [], data, None
    for step in location:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            break
        if isinstance(step, int):
            keys = [k for k in _RECORD_KEYS if isinstance(node, dict) and k in node]
            label = node[keys[0]] if keys else node if isinstance(node, str) else step
            parts.append(f"{_RECORD_NAMES.get(parent, parent)} {label!r}")
        elif isinstance(node, dict):
            parts.append(f"section {step!r}")
        parent = step
    return ", ".join(parts) or None


def _reason(error: dict) -> str:
    field = error["loc"][-1] if error["loc"] else None
    if error["type"] == "missing":
        return f"missing {field!r}"
    if error["type"] == "extra_forbidden":
        return f"unknown key {field!r}"
    where = f"{field!r}: " if isinstance(field, str) else ""
    return f"{where}{error['msg']}, got {error['input']!r}"


def _record_location(error: dict) -> tuple:
    """Where the record holding the bad field is (the field itself for a bad value)."""
    location = tuple(step for step in error["loc"] if not isinstance(step, str) or step)
    return location[:-1] if error["type"] in ("missing", "extra_forbidden") else location


def validate(model: type[Model], data: Any, source: str | os.PathLike) -> Model:
    """``data`` validated as ``model``, or a LexiconError with the first faulty record.

    All problems of that record are listed, unknown keys first (a misspelt key also
    explains the missing one).
    """
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = sorted(error.errors(), key=lambda e: e["type"] != "extra_forbidden")
        record = _record_location(problems[0])
        reasons = [_reason(e) for e in problems if _record_location(e) == record]
        raise LexiconError(source, "; ".join(reasons), _entry_name(data, record)) from None


def entry_tokens(
    text: str, source: str | os.PathLike, entry: str | None, settings: NormalizeSettings
) -> tuple[str, ...]:
    """The normalized word tokens of one written entry, or a LexiconError.

    Entries are normalized and tokenized exactly like the texts they are matched in
    (:func:`arabmedia.text.tokenize`), so spelling variants never matter.
    """
    tokens = tuple(tokenize(text, settings))
    if not any(is_word(token) for token in tokens):
        raise LexiconError(source, f"{text!r} has no word after normalization", entry)
    punctuation = [token for token in tokens if not is_word(token)]
    if punctuation:
        raise LexiconError(source, f"{text!r} contains punctuation {punctuation}", entry)
    return tokens


def normalized_words(
    words: list[str], source: str | os.PathLike, entry: str | None
) -> tuple[str, ...]:
    """``words`` checked to be single tokens already in the default normalization."""
    for word, normalized in zip(words, normalize_many(words), strict=True):
        if word != normalized or not word or " " in word:
            raise LexiconError(
                source, f"{word!r} is not one token in the default normalization", entry
            )
    return tuple(words)
