"""Lazy re-exports for the subpackage ``__init__`` files (PEP 562).

A subpackage lists, per private module, the public names that module defines (its
``__all__`` is derived from that list);
``import arabmedia.analysis`` then imports none of them, and the first access to a name
(``analysis.find_terms`` or ``from arabmedia.analysis import find_terms``) imports its
module and caches the value in the package, so a notebook kernel pays only for the
modules (and the heavy libraries behind them) its cells use.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any


def lazy_exports(
    package: str, exports: Mapping[str, Sequence[str]]
) -> tuple[list[str], Callable[[str], Any], Callable[[], list[str]]]:
    """The ``__all__``, ``__getattr__`` and ``__dir__`` of ``package``, re-exporting lazily.

    ``exports`` maps each private module (relative name, e.g. ``"_agency"``) to the public
    names it defines, each name once; ``__all__`` is their sorted union, so every public
    name is written in one place.
    """
    owner: dict[str, str] = {}
    for module, names in exports.items():
        for name in names:
            if name in owner:
                raise ValueError(
                    f"{package}: {name!r} is listed under both {owner[name]!r} and {module!r}"
                )
            owner[name] = module
    public = sorted(owner)

    def __getattr__(name: str) -> Any:
        if name not in owner:
            raise AttributeError(
                f"module {package!r} has no attribute {name!r}", name=name, obj=sys.modules[package]
            )
        value = getattr(importlib.import_module(f"{package}.{owner[name]}"), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return list(public)

    return public, __getattr__, __dir__
