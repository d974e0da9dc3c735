"""Frame dictionaries: frames with Arabic word/phrase indicators, read from YAML.

Schema: ``lexicons/data/frames/README.md``.  Each indicator form is normalized like the texts
and expanded with :func:`arabmedia.text.surface_forms` (the indicator's ``clitics`` level), so
it matches the same words as in every other lexicon.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated

import pandas as pd
from pydantic import Field, StrictInt

from arabmedia.lexicons._errors import LexiconError
from arabmedia.lexicons._resources import LEXICON_DIR
from arabmedia.lexicons._schema import (
    Clitics,
    Identifier,
    Strict,
    Text,
    entry_tokens,
    read_yaml,
    resolve_path,
    validate,
)
from arabmedia.text._clitics import CliticLevel, PhraseIndex, surface_forms
from arabmedia.text._normalize import DEFAULT_SETTINGS, NormalizeSettings

#: Folder of the project's dictionaries.
FRAMES_DIR = LEXICON_DIR / "frames"
#: The project's dictionary files by short name.
FRAME_FILES = {
    "generic": FRAMES_DIR / "generic.yaml",
    "war": FRAMES_DIR / "war.yaml",
    "journalism": FRAMES_DIR / "journalism.yaml",
    "loaded_language": FRAMES_DIR / "loaded_language.yaml",
}
#: What :func:`load_frames` loads by default: the content frames (generic and war-specific).
DEFAULT_FRAMES = ("generic", "war")


class _IndicatorRecord(Strict):
    pattern: Text
    forms: tuple[Text, ...] = ()
    rationale: Text
    reference: Text | None = None
    clitics: Clitics


class _FrameRecord(Strict):
    name: Identifier
    label: Text
    definition: Text
    coding_question: Text
    reference: Text
    indicators: Annotated[list[_IndicatorRecord], Field(min_length=1)]


class _DictionaryRecord(Strict):
    dictionary: Text
    version: StrictInt | None = None
    description: Text | None = None
    references: dict[str, Text]
    frames: Annotated[list[_FrameRecord], Field(min_length=1)]


@dataclass(frozen=True)
class Indicator:
    """One indicator: the pattern, its extra forms, and their normalized token sequences."""

    frame: str
    pattern: str
    forms: tuple[str, ...]  # as written, the pattern first
    tokens: tuple[tuple[str, ...], ...]  # normalized tokens of each form
    rationale: str
    reference: str  # full citation
    clitics: CliticLevel


@dataclass(frozen=True)
class Frame:
    """A frame with its definition, coding question and indicators."""

    name: str
    label: str
    definition: str
    coding_question: str
    reference: str
    dictionary: str
    source: Path
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class FrameDictionary:
    """Frames in a fixed order (the files' order) and the normalization their forms used.

    ``index`` holds every surface form of every indicator form with its
    (frame, indicator, form) numbers.
    """

    frames: tuple[Frame, ...]
    settings: NormalizeSettings = DEFAULT_SETTINGS
    index: PhraseIndex = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        entries = {}
        for f, frame in enumerate(self.frames):
            for i, indicator in enumerate(frame.indicators):
                for k, tokens in enumerate(indicator.tokens):
                    for surface in surface_forms(tokens, indicator.clitics):
                        entries.setdefault((surface, f), (surface, (f, i, k)))
        object.__setattr__(self, "index", PhraseIndex(entries.values()))

    @property
    def names(self) -> list[str]:
        """Frame names in dictionary order."""
        return [frame.name for frame in self.frames]

    def frame(self, name: str) -> Frame:
        """The frame called ``name``."""
        for frame in self.frames:
            if frame.name == name:
                return frame
        raise KeyError(f"no frame {name!r}; frames are {self.names}")

    def indicator_table(self) -> pd.DataFrame:
        """One row per indicator form.

        Columns: dictionary, frame, pattern, form, tokens (normalized, space-joined),
        clitics, rationale, reference, source (file).
        """
        rows = [
            (
                frame.dictionary,
                frame.name,
                indicator.pattern,
                form,
                " ".join(tokens),
                indicator.clitics,
                indicator.rationale,
                indicator.reference,
                str(frame.source),
            )
            for frame in self.frames
            for indicator in frame.indicators
            for form, tokens in zip(indicator.forms, indicator.tokens, strict=True)
        ]
        columns = ["dictionary", "frame", "pattern", "form", "tokens", "clitics"]
        columns += ["rationale", "reference", "source"]
        return pd.DataFrame(rows, columns=columns)


def _citation(key: str | None, references: dict[str, str], path: Path, entry: str) -> str:
    if key not in references:
        raise LexiconError(path, f"reference {key!r} is not in the file's references", entry)
    return references[key]


def _frame(record: _FrameRecord, raw: _DictionaryRecord, path: Path, settings) -> Frame:
    where = f"frame {record.name!r}"
    reference = _citation(record.reference, raw.references, path, where)
    seen: dict[tuple[str, ...], str] = {}
    indicators = []
    for item in record.indicators:
        entry = f"{where}, indicator {item.pattern!r}"
        forms = (item.pattern, *item.forms)
        tokens = []
        for form in forms:
            form_tokens = entry_tokens(form, path, entry, settings)
            if form_tokens in seen:
                raise LexiconError(
                    path,
                    f"form {form!r} duplicates a form of indicator {seen[form_tokens]!r} "
                    "after normalization",
                    entry,
                )
            seen[form_tokens] = item.pattern
            tokens.append(form_tokens)
        indicators.append(
            Indicator(
                frame=record.name,
                pattern=item.pattern,
                forms=forms,
                tokens=tuple(tokens),
                rationale=item.rationale,
                reference=(
                    reference
                    if item.reference is None
                    else _citation(item.reference, raw.references, path, entry)
                ),
                clitics=item.clitics,
            )
        )
    return Frame(
        name=record.name,
        label=record.label,
        definition=record.definition,
        coding_question=record.coding_question,
        reference=reference,
        dictionary=raw.dictionary,
        source=path,
        indicators=tuple(indicators),
    )


def load_frames(
    *files: str | Path, settings: NormalizeSettings = DEFAULT_SETTINGS
) -> FrameDictionary:
    """Load and validate dictionary files into one :class:`FrameDictionary`.

    Each argument is a short name from :data:`FRAME_FILES` (``"generic"``, ``"war"``,
    ``"journalism"``, ``"loaded_language"``) or a path to the researcher's own file;
    without arguments, :data:`DEFAULT_FRAMES`.  Frame names must be unique across files.
    Raises :class:`LexiconError` naming the file, frame, indicator and reason.
    """
    frames: list[Frame] = []
    for name in files or DEFAULT_FRAMES:
        path = resolve_path(name, FRAMES_DIR, "frame dictionary")
        raw = validate(_DictionaryRecord, read_yaml(path), path)
        for record in raw.frames:
            clash = next((f for f in frames if f.name == record.name), None)
            if clash is not None:
                raise LexiconError(
                    path, f"name already used in {clash.source}", f"frame {record.name!r}"
                )
            frames.append(_frame(record, raw, path, settings))
    return FrameDictionary(tuple(frames), settings)
