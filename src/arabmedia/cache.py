"""Analysis steps cached on disk, keyed by their inputs' content, their parameters and the code.

``cached = StepCache(folder)`` wraps a function: ``cached(analysis.count_frames)(articles,
tokens, frames)`` returns the stored result when one exists for exactly these inputs, else
computes it and stores it.  The key is the sha256 of

1. the function's module and qualified name;
2. every argument after binding to the signature (defaults filled in), by *content*:
   DataFrames, Series and Index through their Arrow IPC bytes, arrays through their
   buffers, containers element by element (sets sorted), objects through their attributes;
   arguments that by contract do not change a result (:data:`IGNORED_PARAMETERS`: progress
   bars, worker counts) are left out; files the step reads besides its arguments are
   named with ``reads=`` and keyed by their bytes;
3. :func:`code_fingerprint`, the bytes of every file of this package (code and bundled
   data) and the name and version of every installed distribution.

Why not ``joblib.Memory``: it keys a call by its arguments and the source of the decorated
function alone, so editing a function it calls, a lexicon file or upgrading a library would
serve a stale result.  Here any such change selects another key (conservatively: an edit
anywhere in the package recomputes every step).  Results are pickled (protocol 5), an exact
round trip of DataFrames, tuples and fitted models; a file is only ever read by the code and
libraries that wrote it, because both are in its key.  Writes are atomic
(:func:`arabmedia.io.atomic_path`), so concurrent runs and interrupted runs never leave a
half-written entry.  Only functions without side effects may be wrapped.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import inspect
import pickle
import re
import time
import warnings
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from arabmedia._fingerprint import package_fingerprint
from arabmedia.io import atomic_path

CACHE_FORMAT = "steps-v1"
#: Arguments that by contract never change a result (bars, worker processes, logging).
IGNORED_PARAMETERS = frozenset({"progress", "disable_progress", "n_jobs", "warn", "quiet"})


class UnhashableArgument(TypeError):
    """An argument whose content cannot be keyed (the step is then computed, not cached)."""


@functools.cache
def code_fingerprint() -> str:
    """:func:`arabmedia._fingerprint.package_fingerprint` of this package, once per process."""
    return package_fingerprint()


def _update(digest, data: bytes) -> None:
    digest.update(len(data).to_bytes(8, "little"))
    digest.update(data)


def _feed_frame(digest, frame: pd.DataFrame) -> None:
    """A DataFrame by its Arrow IPC bytes (schema, index and pandas metadata included);
    columns Arrow cannot hold are fed element by element."""
    import pyarrow as pa

    _update(digest, repr((list(map(str, frame.columns)), list(map(str, frame.dtypes)))).encode())
    try:
        with warnings.catch_warnings():  # names are fed above; Arrow may stringify them
            warnings.simplefilter("ignore")
            # one chunk per column: equal content gives equal bytes however it was built
            table = pa.Table.from_pandas(frame, preserve_index=True).combine_chunks()
    except (pa.ArrowException, TypeError, ValueError):
        _feed(digest, list(frame.index))
        for name in frame.columns:
            _feed(digest, frame[name].tolist())
        return
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    digest.update(sink.getvalue())


def _feed(digest, value: Any) -> None:
    """Feed ``value``'s type and content into ``digest``."""
    kind = type(value)
    _update(digest, f"{kind.__module__}.{kind.__qualname__}".encode())
    if value is None or isinstance(value, (bool, int, float, complex, np.generic)):
        _update(digest, repr(value).encode())
    elif isinstance(value, str):
        _update(digest, value.encode("utf-8", "surrogatepass"))
    elif isinstance(value, bytes):
        _update(digest, value)
    elif isinstance(value, Path):
        _update(digest, str(value).encode())
    elif isinstance(value, re.Pattern):
        _update(digest, repr((value.pattern, value.flags)).encode())
    elif isinstance(value, pd.DataFrame):
        _feed_frame(digest, value)
    elif isinstance(value, pd.Series):
        _feed_frame(digest, value.to_frame(name="__series__"))
        _update(digest, repr(value.name).encode())
    elif isinstance(value, pd.Index):
        _feed_frame(digest, pd.DataFrame({"__index__": value}))
    elif isinstance(value, np.ndarray):
        _update(digest, repr((value.dtype.str, value.shape)).encode())
        if value.dtype == object:
            for item in value.ravel():
                _feed(digest, item)
        else:
            _update(digest, np.ascontiguousarray(value).tobytes())
    elif kind.__module__.startswith("scipy.sparse"):  # no SciPy import unless one is passed
        from scipy import sparse

        matrix = sparse.csr_array(value)
        for part in (matrix.shape, matrix.data, matrix.indices, matrix.indptr):
            _feed(digest, np.asarray(part))
    elif isinstance(value, (list, tuple)):
        _update(digest, str(len(value)).encode())
        if not _feed_strings(digest, value):
            for item in value:
                _feed(digest, item)
    elif isinstance(value, dict):
        _feed_items(digest, value.items())
    elif isinstance(value, (set, frozenset)):
        _feed_items(digest, ((item, None) for item in value))
    elif dataclasses.is_dataclass(value):
        _feed_items(digest, ((f.name, getattr(value, f.name)) for f in dataclasses.fields(value)))
    elif inspect.isfunction(value) or inspect.isclass(value) or inspect.ismethod(value):
        _update(digest, f"{value.__module__}.{value.__qualname__}".encode())
    elif hasattr(value, "__dict__") or hasattr(value, "__slots__"):
        state = dict(getattr(value, "__dict__", {}))
        for slot in getattr(kind, "__slots__", ()):
            if hasattr(value, slot):
                state[slot] = getattr(value, slot)
        _feed_items(digest, state.items())
    else:
        raise UnhashableArgument(f"cannot key an argument of type {kind.__qualname__}")


def _feed_strings(digest, values: list | tuple) -> bool:
    """Feed a long sequence of strings or of string lists (token lists) as one Arrow array,
    far faster than item by item; False (nothing fed) for any other sequence."""
    import pyarrow as pa

    if len(values) < 64 or not isinstance(values[0], (str, list, np.ndarray)):
        return False
    try:
        array = pa.array(values)
    except (pa.ArrowException, TypeError, ValueError):
        return False
    strings = (pa.string(), pa.large_string())
    if array.type not in strings and not (
        pa.types.is_list(array.type) and array.type.value_type in strings
    ):
        return False
    _update(digest, str(array.type).encode())
    sink = pa.BufferOutputStream()
    table = pa.table({"values": array})
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    digest.update(sink.getvalue())
    return True


def _feed_items(digest, items) -> None:
    """Key-value pairs in an order that does not depend on insertion or hash seeds."""
    encoded = []
    for key, item in items:
        part = hashlib.sha256()
        _feed(part, key)
        _feed(part, item)
        encoded.append(part.digest())
    for part in sorted(encoded):
        digest.update(part)


def content_key(value: Any) -> str:
    """sha256 of ``value``'s type and content (see the module docstring)."""
    digest = hashlib.sha256()
    _feed(digest, value)
    return digest.hexdigest()


@dataclasses.dataclass(frozen=True)
class StepRecord:
    """One call through a :class:`StepCache`: which step, its key ("" when an argument
    could not be keyed, so nothing was stored), read or computed, and the seconds taken."""

    step: str
    key: str
    hit: bool
    seconds: float


class StepCache:
    """Wraps functions so that their results are stored in ``folder`` by content key.

    ``folder=None`` disables caching (every call computes).  ``records`` lists the calls
    made through this object, in order (step, key, hit, seconds), so a run can show what it
    read and what it computed.
    """

    def __init__(self, folder: str | Path | None):
        self.folder = None if folder is None else Path(folder)
        self.records: list[StepRecord] = []

    def key(self, function: Callable, *args, reads: Sequence[str | Path] = (), **kwargs) -> str:
        """The cache key of ``function(*args, **kwargs)``, which also reads the files
        ``reads`` (their bytes are keyed too)."""
        bound = inspect.signature(function).bind(*args, **kwargs)
        bound.apply_defaults()
        arguments = {k: v for k, v in bound.arguments.items() if k not in IGNORED_PARAMETERS}
        digest = hashlib.sha256(f"{CACHE_FORMAT}|{code_fingerprint()}".encode())
        _update(digest, _step_name(function).encode())
        _feed(digest, arguments)
        for path in sorted(map(Path, reads)):
            _update(digest, str(path).encode())
            _update(digest, path.read_bytes())
        return digest.hexdigest()

    def path(self, function: Callable, key: str) -> Path:
        """Where the result of ``function`` under ``key`` is stored."""
        return self.folder / _step_name(function) / f"{key}.pkl"

    def __call__(self, function: Callable, *, reads: Sequence[str | Path] = ()) -> Callable:
        """``function`` through the cache; ``reads``: files it reads besides its arguments
        (a study's gold set, a raw corpus), whose bytes become part of the key."""

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            if self.folder is None:
                return function(*args, **kwargs)
            try:
                key = self.key(function, *args, reads=reads, **kwargs)
            except UnhashableArgument:
                result = function(*args, **kwargs)
                self._record(function, "", False, start)  # computed, not storable
                return result
            path = self.path(function, key)
            if path.is_file():
                with path.open("rb") as handle:
                    result = pickle.load(handle)
                self._record(function, key, True, start)
                return result
            result = function(*args, **kwargs)
            with atomic_path(path) as tmp, tmp.open("wb") as handle:
                pickle.dump(result, handle, protocol=5)
            self._record(function, key, False, start)
            return result

        return wrapper

    def _record(self, function: Callable, key: str, hit: bool, start: float) -> None:
        seconds = round(time.perf_counter() - start, 3)
        self.records.append(StepRecord(_step_name(function), key, hit, seconds))

    def summary(self) -> pd.DataFrame:
        """The calls so far: step, key (first 12 hex digits), hit, seconds."""
        rows = [dataclasses.asdict(r) | {"key": r.key[:12]} for r in self.records]
        return pd.DataFrame(rows, columns=["step", "key", "hit", "seconds"])


def _step_name(function: Callable) -> str:
    target = inspect.unwrap(function)
    return f"{target.__module__}.{target.__qualname__}"
