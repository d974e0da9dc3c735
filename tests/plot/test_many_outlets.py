"""Study colours, 2 to 20 outlets in every grouped figure, words for codes, no text cut off."""

import re

import numpy as np
import pandas as pd
import pypdf
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from arabmedia import plot
from arabmedia.plot import (
    CONTEXT_COLOR,
    EXTRA_PALETTE,
    MAX_OVERLAID_GROUPS,
    PALETTE,
    export_figure,
    human_label,
    outlet_colors,
    use_paper_style,
)

CODES = ["perpetrator_named", "cause_without_actor", "agentless"]
SNAKE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")


def outlets(n: int) -> list[str]:
    """Made-up outlet names, largest first."""
    return [f"Outlet {chr(65 + i)} News" for i in range(n)]


def shares(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = [(name, code) for name in outlets(n) for code in CODES]
    table = pd.DataFrame(rows, columns=["outlet", "label"])
    table["estimate"] = rng.uniform(0.1, 0.8, len(table)).round(3)
    return table.assign(low=table["estimate"] - 0.05, high=table["estimate"] + 0.05)


def monthly(n: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    months = pd.date_range("2023-10-01", periods=9, freq="MS").delete(4)  # a gap for all
    table = pd.DataFrame([(o, m) for o in outlets(n) for m in months], columns=["outlet", "month"])
    table["estimate"] = rng.uniform(0.2, 0.8, len(table)).round(3)
    return table.assign(low=table["estimate"] - 0.05, high=table["estimate"] + 0.05)


WORDS = ["حرب", "هدنة", "غزة", "قصف", "شهداء", "مقاومة", "احتلال", "أسرى", "مجزرة", "حصار"]


def keyness(n: int) -> pd.DataFrame:
    """One "vs rest" comparison per outlet, 10 terms of each side, ranks 1..10."""
    rows = []
    for number, name in enumerate(outlets(n)):
        for rank, word in enumerate(WORDS, start=1):
            z = 20.0 - rank - number / 10
            rows.append((f"{name} vs rest", name, f"t{rank}", word, z, rank))
            rows.append((f"{name} vs rest", "rest", f"o{rank}", "ال" + word, -z, rank))
    columns = ["comparison", "outlet", "term", "surface", "z", "rank"]
    table = pd.DataFrame(rows, columns=columns)
    return table.assign(count_a=10, count_b=5, g2=1.0, log_ratio=0.5)


def drawn_texts(fig: Figure) -> list[str]:
    """Every text the figure shows (ticks, labels, titles, legends)."""
    fig.draw_without_rendering()
    return [t.get_text() for t in fig.findobj(lambda a: hasattr(a, "get_text")) if t.get_text()]


def data_axes(fig: Figure) -> list:
    return [
        ax
        for ax in fig.axes
        if ax.get_visible() and ax.has_data() and ax.get_label() != "<colorbar>"
    ]


# --- colours ----------------------------------------------------------------------------


def test_outlet_colours_follow_the_study_order_okabe_ito_first():
    names = outlets(20)
    colours = outlet_colors(names)
    assert list(colours) == names
    assert [colours[name] for name in names[:8]] == list(PALETTE)
    assert [colours[name] for name in names[8:]] == list(EXTRA_PALETTE[:12])
    assert len(set(colours.values())) == 20


def test_outlet_colour_overrides_are_checked():
    colours = outlet_colors(["B", "A"], {"A": "tab:red"})
    assert colours == {"B": PALETTE[0], "A": "tab:red"}
    with pytest.raises(ValueError, match="'C', which is not one of the outlets"):
        outlet_colors(["A", "B"], {"C": "red"})
    with pytest.raises(ValueError, match="'A' is not a matplotlib colour: 'reddish'"):
        outlet_colors(["A", "B"], {"A": "reddish"})
    with pytest.raises(ValueError, match=r"more than once: \['A'\]"):
        outlet_colors(["A", "B", "A"])
    most = len(PALETTE) + len(EXTRA_PALETTE)
    assert len(set(outlet_colors([f"o{i}" for i in range(most)]).values())) == most == 26
    with pytest.raises(ValueError, match="27 outlets but only 26 distinct colours"):
        outlet_colors([f"o{i}" for i in range(most + 1)])


def test_one_mapping_gives_an_outlet_the_same_colour_in_a_subset_figure():
    colours = outlet_colors(outlets(5))
    subset = shares(5)[lambda d: d["outlet"].isin(["Outlet C News", "Outlet E News"])]
    fig = plot.dot_plot_figure(subset, "label", group="outlet", colors=colours)
    (ax,) = fig.axes
    drawn = {c.get_label(): to_hex(c.lines[0].get_color()) for c in ax.containers}
    assert drawn == {"Outlet C News": colours["Outlet C News"].lower(),
                     "Outlet E News": colours["Outlet E News"].lower()}  # fmt: skip
    alone = plot.dot_plot_figure(subset, "label", group="outlet")  # no mapping: sorted subset
    first = {c.get_label(): to_hex(c.lines[0].get_color()) for c in alone.axes[0].containers}
    assert first["Outlet C News"] == PALETTE[0].lower()


def test_a_group_without_a_colour_is_an_error_naming_it():
    with pytest.raises(ValueError, match=r"no colour for 'outlet' value\(s\) \['Outlet B News'\]"):
        plot.choice_shares_figure(shares(2), "leads", colors={"Outlet A News": "red"})
    with pytest.raises(ValueError, match=r"no colour for outlets \['Outlet B News'\]"):
        plot.distinctive_terms_figure(keyness(2), colors=outlet_colors(outlets(1)))


def test_the_rest_side_of_distinctive_terms_is_grey():
    fig = plot.distinctive_terms_figure(keyness(2), colors=outlet_colors(outlets(2)))
    bar_colors = {to_hex(patch.get_facecolor()) for ax in fig.axes for patch in ax.patches}
    assert to_hex(CONTEXT_COLOR) in bar_colors


# --- 2 to 20 outlets --------------------------------------------------------------------


def grouped_figures(n: int) -> dict[str, Figure]:
    colours = outlet_colors(outlets(n))
    frames = monthly(n).rename(columns={"month": "period"}).assign(label="War")
    frames = pd.concat([frames, frames.assign(label="Humanitarian crisis and victims")])
    growth = pd.DataFrame(
        [
            (f"{o} bodies", o, t * 1e5, t * 1e3 + i)
            for i, o in enumerate(outlets(n))
            for t in (1, 2)
        ],
        columns=["curve", "outlet", "tokens", "types"],
    )
    return {
        "agency": plot.agency_shares_figure(shares(n), "titles and leads", colors=colours),
        "monthly": plot.monthly_figure(monthly(n), "share written شهداء", colors=colours),
        "weekly": plot.time_series_figure(
            monthly(n), "month", "estimate", "outlet", freq="MS", shade_gaps=True,
            colors=colours, ylabel="articles per month",
        ),
        "bars": plot.bar_figure(shares(n), "label", "estimate", "outlet", colors=colours),
        "frames": plot.frame_series_figure(frames, colors=colours, marker="2023-11-01"),
        "growth": plot.vocabulary_growth_figure(growth, colors=colours),
        "terms": plot.distinctive_terms_figure(keyness(n), n=5, colors={**colours, "rest": "0.5"}),
    }  # fmt: skip


@pytest.mark.parametrize("n", [2, 8, 9, 20])
def test_grouped_figures_take_2_to_20_outlets_and_export_uncut(tmp_path, n):
    for name, fig in grouped_figures(n).items():
        with use_paper_style():
            export_figure(fig, f"{name}_{n}", figures_dir=tmp_path, formats=("png",))
        texts = " ".join(drawn_texts(fig))
        assert not SNAKE.search(texts), (name, SNAKE.search(texts))
        panels = data_axes(fig)
        if name == "terms":
            assert len(panels) == n  # one panel per comparison
        elif name == "frames":
            assert len(panels) == 2  # one panel per frame
        elif n <= MAX_OVERLAID_GROUPS:
            assert len(panels) == 1, name
            legend = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
            if name != "growth":
                assert set(outlets(n)) <= set(legend), name
        else:
            expected = len(CODES) if name == "agency" else n  # dot plots: a panel per item
            assert len(panels) == expected, name
            for outlet in outlets(n):  # every outlet is named: no reliance on colour alone
                assert outlet in texts, (name, outlet)


def test_figures_grow_with_their_content():
    heights = {n: plot.agency_shares_figure(shares(n), "x").get_figheight() for n in (2, 8)}
    assert heights[8] > heights[2]
    rows = {n: plot.agency_shares_figure(shares(n), "x").get_figheight() for n in (9, 20)}
    assert rows[20] > rows[9]


def test_many_outlet_time_series_highlight_each_outlet_over_grey_context():
    colours = outlet_colors(outlets(9))
    fig = plot.monthly_figure(monthly(9), "t", colors=colours)
    panels = data_axes(fig)
    assert [ax.get_title() for ax in panels] == outlets(9)
    for ax, outlet in zip(panels, outlets(9), strict=True):
        lines = ax.get_lines()
        coloured = [
            line for line in lines if to_hex(line.get_color()) != plot.CONTEXT_COLOR.lower()
        ]
        assert [to_hex(line.get_color()) for line in coloured] == [colours[outlet].lower()]
        assert len(lines) - len(coloured) == 8  # the other outlets, in grey


def test_many_outlet_facets_become_heat_maps_with_every_outlet_named():
    table = monthly(12).assign(topic=1)
    fig = plot.topic_prevalence_figure(pd.concat([table, table.assign(topic=2)]), {1: "a", 2: "b"},
                                       "outlet")  # fmt: skip
    panels = data_axes(fig)
    assert len(panels) == 2
    assert [t.get_text() for t in panels[0].get_yticklabels()] == outlets(12)


def test_distinctive_terms_figure_shows_surfaces_of_the_top_n_per_side():
    table = keyness(2)
    fig = plot.distinctive_terms_figure(
        table, n=3, colors={**outlet_colors(outlets(2)), "rest": "k"}
    )
    first = data_axes(fig)[0]
    assert first.get_title() == "Outlet A News vs rest"
    shown = [t.get_text() for t in first.get_yticklabels()]
    assert shown == [*WORDS[:3], *("ال" + word for word in WORDS[:3][::-1])]  # z high to low
    (legend,) = fig.legends
    handles = {t.get_text(): to_hex(h.get_facecolor()) for t, h in
               zip(legend.get_texts(), legend.legend_handles, strict=True)}  # fmt: skip
    assert handles == {"Outlet A News": PALETTE[0].lower(), "Outlet B News": PALETTE[1].lower(),
                       "rest": "#000000"}  # fmt: skip
    widths = [bar.get_width() for bar in first.patches]
    assert widths[:3] == sorted(widths[:3], reverse=True) and all(w < 0 for w in widths[3:])
    with pytest.raises(ValueError, match="no column surface='surface'"):
        plot.distinctive_terms_figure(table.drop(columns="surface"))
    with pytest.raises(ValueError, match="several rows share"):
        plot.distinctive_terms_figure(pd.concat([table, table.head(1)]))


# --- words for codes --------------------------------------------------------------------


def test_human_label_turns_codes_into_words_and_leaves_words_alone():
    assert human_label("perpetrator_named") == "perpetrator named"
    assert human_label("tfidf") == "TF-IDF" and human_label("nmf") == "NMF"
    for text in ("Al-Something TV", "شهداء", "share (leads)", "TF-IDF + logistic regression"):
        assert human_label(text) == text
    assert human_label(3) == "3"


def test_codes_never_reach_ticks_legends_or_titles():
    pooled = pd.DataFrame(
        {
            "method": ["majority_class", "tfidf"],
            "task": ["bias", "prop_task"],
            "f1": [0.3, 0.6],
            "f1_low": [0.2, 0.5],
            "f1_high": [0.4, 0.7],
        }
    )
    summary = pd.DataFrame({"kind": ["nmf", "lda"], "k": [5, 5]})
    for metric in ("coherence", "exclusivity", "stability", "perplexity"):
        summary[f"{metric}_mean"] = [0.1, 0.2]
    actors = shares(2).rename(columns={"label": "actor_type"}).assign(markers="all")
    figures = {
        "f1": plot.macro_f1_figure(pooled),
        "k": plot.k_diagnostics_figure(summary, {"nmf": 5}),
        "actors": plot.actor_types_figure(actors.replace({"agentless": "unnamed_source"}), "x",
                                          markers="all"),
        "agency": plot.agency_shares_figure(shares(2), "leads"),
    }  # fmt: skip
    for name, fig in figures.items():
        texts = drawn_texts(fig)
        assert not [t for t in texts if SNAKE.search(t)], name
    assert "TF-IDF" in drawn_texts(figures["f1"]) and "prop task" in drawn_texts(figures["f1"])
    assert "NMF" in drawn_texts(figures["k"]) and "unnamed source" in drawn_texts(figures["actors"])


# --- no text cut off, and the PDF holds the labels ---------------------------------------


def test_export_refuses_a_figure_whose_text_is_cut_off(tmp_path):
    with use_paper_style():
        fig = Figure(figsize=(3.5, 2))
        ax = fig.add_subplot()
        ax.set_xlabel("a label much too long for a one-column figure " * 3)
        ax.text(1.5, 0.5, "annotation", transform=ax.transAxes)
        with pytest.raises(ValueError, match=r"figure 'cut': text 'a label much too long"):
            export_figure(fig, "cut", figures_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_export_ignores_ticks_outside_the_axis_limits(tmp_path):
    """Ticks beyond the limits are laid out but never drawn, so they cannot be cut off."""
    fig = plot.dot_plot_figure(shares(2), "label", group="outlet", xlim=(0.2, 0.5), xlabel="x")
    with use_paper_style():
        assert len(export_figure(fig, "ok", figures_dir=tmp_path)) == 2


def test_exported_pdfs_contain_every_label_in_words(tmp_path):
    colours = outlet_colors(outlets(9))
    figures = {
        "few": plot.agency_shares_figure(shares(2), "titles and leads", colors=colours),
        "many": plot.agency_shares_figure(shares(9), "titles and leads", colors=colours),
        "terms": plot.distinctive_terms_figure(keyness(2), n=2, colors={**colours, "rest": "k"}),
    }
    for name, fig in figures.items():
        with use_paper_style():
            pdf, _ = export_figure(fig, name, figures_dir=tmp_path)
        text = pypdf.PdfReader(pdf).pages[0].extract_text()
        words = " ".join(text.split())
        for label in ("perpetrator named", "cause without actor", "agentless"):
            assert (label in words) == (name != "terms"), (name, label)
        assert not SNAKE.search(words), name
        if name == "many":
            assert all(outlet in words for outlet in outlets(9))
            assert "share of casualty sentences (titles and leads)" in words
        if name == "terms":
            assert "Outlet A News vs rest" in words
            assert all(word in text and "ال" + word in text for word in WORDS[:2])


def test_paper_figures_that_cut_their_x_label_now_export(tmp_path):
    """Figures 6, 7 and 9 of notebook 05, from the committed tables: their x labels were
    wider than the room left beside the category names and ran off the right edge."""
    from arabmedia.config import load_settings

    tables = load_settings().tables_dir
    frames = pd.read_csv(tables / "03_frame_prevalence.csv")
    agency = pd.read_csv(tables / "03_agency_shares.csv")
    scores = pd.read_csv(tables / "03_fignews_prediction.csv")
    pooled = scores[(scores["fold"] == "pooled") & (scores["label"] == "macro")]
    figures = {
        "fig06": (frames, "label", "estimate", "low", "high",
                  "share of articles with the frame (titles and leads)"),
        "fig07": (agency, "label", "estimate", "low", "high",
                  "share of casualty sentences (titles and leads)"),
        "fig09": (pooled, "method", "f1", "f1_low", "f1_high",
                  "macro-F1 against the majority label"),
    }  # fmt: skip
    for name, (table, label, value, low, high, xlabel) in figures.items():
        group = "task" if name == "fig09" else "outlet"
        fig = plot.dot_plot_figure(table, label, value, low, high, group=group, xlabel=xlabel)
        with use_paper_style():
            pdf, _ = export_figure(fig, name, figures_dir=tmp_path)
        words = " ".join(pypdf.PdfReader(pdf).pages[0].extract_text().split())
        assert xlabel in words, name
        assert not SNAKE.search(words), name  # e.g. "perpetrator named", "majority class"
