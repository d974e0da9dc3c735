"""Rendered figures kept by what they draw: a figure drawn as before is copied, not rendered."""

from __future__ import annotations

import matplotlib

matplotlib.use("agg")

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from arabmedia.plot import export_figure
from arabmedia.plot._export import drawing_key


def _figure(values, label="شهداء") -> Figure:
    fig, ax = plt.subplots(figsize=(4, 3), layout="constrained")
    ax.plot(range(len(values)), values, color="C0")
    ax.set_xlabel(label)
    ax.set_title("title")
    return fig


def test_the_drawing_key_follows_what_is_drawn():
    key = drawing_key(_figure([1, 2, 3]))
    assert key is not None and key == drawing_key(_figure([1, 2, 3]))
    assert drawing_key(_figure([1, 2, 3.0001])) != key  # a sub-pixel change of data
    assert drawing_key(_figure([1, 2, 3], label="قتلى")) != key  # another text
    plt.close("all")


def test_a_figure_drawn_as_before_is_copied_from_the_cache(tmp_path, monkeypatch):
    first = export_figure(_figure([1, 2, 3]), "f", figures_dir=tmp_path / "a", cache_dir=tmp_path)
    fresh = export_figure(_figure([1, 2, 3]), "f", figures_dir=tmp_path / "fresh")
    calls = []
    original = Figure.savefig
    monkeypatch.setattr(
        Figure, "savefig", lambda self, *a, **k: calls.append(a) or original(self, *a, **k)
    )
    again = export_figure(_figure([1, 2, 3]), "f", figures_dir=tmp_path / "b", cache_dir=tmp_path)
    assert calls == []
    for paths in (again, fresh):
        assert [p.read_bytes() for p in paths] == [p.read_bytes() for p in first]
    export_figure(_figure([3, 2, 1]), "f", figures_dir=tmp_path / "c", cache_dir=tmp_path)
    assert len(calls) == 2  # another drawing: PDF and PNG rendered
    plt.close("all")
