"""Whole-figure builders, the figure + table export and the paper figure index rows."""

import pandas as pd
import pytest
from matplotlib.figure import Figure

from arabmedia.analysis import date_span, strongest_per_side
from arabmedia.config import load_settings
from arabmedia.plot import (
    PAPER_FIGURE_FIELDS,
    ZERO_LINE,
    bar_figure,
    choice_shares_figure,
    dot_plot_figure,
    export_figure_and_table,
    export_paper_figure,
    export_tables,
    figure_index_markdown,
    k_diagnostics_figure,
    load_paper_figures,
    monthly_figure,
    paper_figure_file,
    scare_quotes_figure,
    time_series_figure,
    topic_change_figure,
)


def estimates():
    return pd.DataFrame(
        {
            "label": ["شهداء", "قتلى", "شهداء", "قتلى"],
            "outlet": ["Al Jazeera", "Al Jazeera", "Al Mayadeen", "Al Mayadeen"],
            "estimate": [0.2, 0.8, 0.7, 0.3],
            "low": [0.1, 0.7, 0.6, 0.2],
            "high": [0.3, 0.9, 0.8, 0.4],
        }
    )


def test_dot_plot_figure_sets_labels_limits_and_zero_line():
    fig = dot_plot_figure(estimates(), "label", group="outlet", xlabel="share", xlim=(0, 1))
    (ax,) = fig.axes
    assert isinstance(fig, Figure)
    assert ax.get_xlabel() == "share" and ax.get_xlim() == (0, 1)
    assert not any(line.get_xdata()[0] == 0 for line in ax.get_lines())
    fig = dot_plot_figure(estimates(), "label", group="outlet", zero_line=True, title="t")
    (ax,) = fig.axes
    zero = [line for line in ax.get_lines() if list(line.get_xdata()) == [0, 0]]
    assert len(zero) == 1 and zero[0].get_color() == ZERO_LINE["color"]
    assert ax.get_title() == "t"


def test_time_series_and_bar_figures_label_their_axes():
    monthly = pd.DataFrame(
        {
            "month": ["2024-01-01", "2024-02-01"] * 2,
            "outlet": ["Al Jazeera"] * 2 + ["Al Mayadeen"] * 2,
            "estimate": [0.1, 0.2, 0.3, 0.4],
        }
    )
    fig = time_series_figure(monthly, "month", "estimate", "outlet", freq="MS", ylabel="share")
    assert fig.axes[0].get_ylabel() == "share" and fig.axes[0].get_xlabel() == ""
    terms = pd.DataFrame({"term": ["حرب", "هدنة"], "z": [3.0, -2.0], "outlet": ["A", "B"]})
    fig = bar_figure(terms, "term", "z", group="outlet", signed=True, xlabel="z")
    assert fig.axes[0].get_xlabel() == "z"


def test_topic_change_figure_plots_percentage_points_sorted():
    change = pd.DataFrame(
        {
            "topic_label": ["b (2)", "a (1)"],
            "outlet": "A",
            "difference": [0.05, -0.02],
            "low": [0.01, -0.04],
            "high": [0.09, 0.0],
        }
    )
    fig = topic_change_figure(change, "pp")
    (ax,) = fig.axes
    assert ax.get_xlabel() == "pp"
    assert ax.get_xlim()[1] >= 9 - 1e-9  # the upper bound 0.09 drawn as 9 points
    summary = pd.DataFrame({"kind": "nmf", "k": [2, 3], "perplexity_mean": [float("nan")] * 2})
    for metric in ("coherence", "exclusivity", "stability"):
        summary[f"{metric}_mean"] = [0.1, 0.2]
        summary[f"{metric}_se"] = [0.01, 0.01]
    assert len(k_diagnostics_figure(summary, {"nmf": 3}).axes) == 3  # perplexity: NMF has none


def test_export_figure_and_table_writes_both_under_their_names(tmp_path):
    class Folders:
        figures_dir = tmp_path / "figures"
        tables_dir = tmp_path / "tables"

    fig = dot_plot_figure(estimates(), "label", group="outlet")
    paths = export_figure_and_table(fig, estimates(), "02_x", folders=Folders)
    names = sorted(p.relative_to(tmp_path).as_posix() for p in paths)
    assert names == ["figures/02_x.pdf", "figures/02_x.png", "tables/02_x.csv", "tables/02_x.tex"]
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "tables" / "02_x.csv"), estimates())
    export_figure_and_table(fig, estimates(), "02_y", folders=Folders, table_name="02_z")
    assert (tmp_path / "figures" / "02_y.png").exists()
    assert (tmp_path / "tables" / "02_z.csv").exists()
    assert not (tmp_path / "tables" / "02_y.csv").exists()


PAPER_YAML = """
figures:
  2:
    name: naming_choices
    shows: share of each name within its concept
    data: leads
    notebook: 02_terminology
"""


def test_export_paper_figure_returns_its_index_row(tmp_path):
    (tmp_path / "figures.yaml").write_text(PAPER_YAML, "utf-8")
    figures = load_paper_figures(tmp_path / "figures.yaml")
    fig = dot_plot_figure(estimates(), "label", group="outlet")
    row = export_paper_figure(fig, 2, "2024-01-01 to 2024-02-01", figures, figures_dir=tmp_path)
    assert row["file"] == paper_figure_file(2, figures) == "05_fig02_naming_choices"
    assert row["figure"] == "Figure 2" and row["notebook"] == "02_terminology"
    assert (tmp_path / "05_fig02_naming_choices.pdf").exists()
    assert "05_fig02_naming_choices" in figure_index_markdown(pd.DataFrame([row]))
    with pytest.raises(KeyError):
        paper_figure_file(99, figures)


def test_paper_figure_list_errors_name_the_figure_and_field(tmp_path):
    path = tmp_path / "figures.yaml"
    path.write_text(PAPER_YAML.replace("    data: leads\n", "    source: leads\n"), "utf-8")
    with pytest.raises(ValueError, match=r"figure 2: missing \['data'\], unknown \['source'\]"):
        load_paper_figures(path)


def test_default_study_paper_figures_are_complete():
    figures = load_paper_figures(load_settings().root / "data" / "paper_figures.yaml")
    assert list(figures) == list(range(1, 10))
    assert all(set(spec) == set(PAPER_FIGURE_FIELDS) for spec in figures.values())


def test_date_span_and_strongest_per_side():
    assert date_span(["2024-03-02", "2023-10-07", None]) == "2023-10-07 to 2024-03-02"
    table = pd.DataFrame(
        {
            "term": ["w", "x", "y", "z", "v"],
            "side": ["a", "a", "a", "b", "b"],
            "z": [2.0, 5.0, 3.0, -1.0, -4.0],
        }
    )
    top = strongest_per_side(table, "z", 2)
    assert top["term"].tolist() == ["x", "y", "z", "v"]


def test_vocabulary_growth_figure_draws_each_curve_in_order_with_its_style():
    from arabmedia.plot import outlet_colors, vocabulary_growth_figure

    curves = pd.DataFrame(
        {
            "curve": ["M raw", "M raw", "J leads", "J leads"],
            "outlet": ["Al Mayadeen", "Al Mayadeen", "Al Jazeera", "Al Jazeera"],
            "tokens": [1_000_000, 2_000_000, 500_000, 1_500_000],
            "types": [3_000, 4_000, 1_000, 2_000],
        }
    )
    fig = vocabulary_growth_figure(curves, {"M raw": "--"})
    (ax,) = fig.axes
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["M raw", "J leads"]
    assert [line.get_linestyle() for line in lines] == ["--", "-"]
    assert lines[0].get_xydata().tolist() == [[1.0, 3.0], [2.0, 4.0]]  # millions, thousands
    colors = outlet_colors(["Al Jazeera", "Al Mayadeen"])
    assert lines[1].get_color() == colors["Al Jazeera"]


def test_frame_series_figure_has_one_panel_per_frame_in_one_row():
    from arabmedia.plot import frame_series_figure

    months = pd.to_datetime(["2024-01-01", "2024-02-01"])
    monthly = pd.DataFrame(
        {
            "outlet": ["Al Jazeera"] * 4,
            "period": list(months) * 2,
            "frame": ["war"] * 2 + ["aid"] * 2,
            "label": ["War"] * 2 + ["Aid"] * 2,
            "estimate": [0.1, 0.2, 0.3, 0.4],
            "low": [0.0, 0.1, 0.2, 0.3],
            "high": [0.2, 0.3, 0.4, 0.5],
        }
    )
    fig = frame_series_figure(monthly, marker="2024-01-15")
    visible = [ax for ax in fig.axes if ax.get_visible() and ax.has_data()]
    assert len(visible) == 2
    assert len({round(ax.get_position().y0, 6) for ax in visible}) == 1  # one row


def test_terminology_figures_take_the_compare_tables_as_they_are():
    fig = choice_shares_figure(estimates(), "titles")
    (ax,) = fig.axes
    assert ax.get_xlabel() == "share of the concept's mentions (titles)"
    assert ax.get_xlim() == (0, 1)
    monthly = pd.DataFrame(
        {
            "month": pd.to_datetime(["2024-01-01", "2024-02-01"] * 2),
            "outlet": ["Al Jazeera"] * 2 + ["Al Mayadeen"] * 2,
            "estimate": [0.1, 0.2, 0.3, 0.4],
            "low": [0.0, 0.1, 0.2, 0.3],
            "high": [0.2, 0.3, 0.4, 0.5],
        }
    )
    fig = monthly_figure(monthly, "share of شهداء", ylim=(0, 1))
    assert fig.axes[0].get_title() == "share of شهداء" and fig.axes[0].get_ylabel() == "share"
    assert fig.axes[0].get_ylim() == (0, 1)
    fig = monthly_figure(monthly, "t", ylabel="per 10,000 words")
    assert fig.axes[0].get_ylabel() == "per 10,000 words"
    quotes = pd.concat(
        [estimates().assign(field="title"), estimates().assign(field="lead", label="x")]
    ).rename(columns={"label": "term"})
    fig = scare_quotes_figure(quotes)
    (ax,) = fig.axes
    assert ax.get_xlabel() == "share of mentions in quotation marks (titles)"
    shown = {tick.get_text() for tick in ax.get_yticklabels()}
    assert shown == {"شهداء", "قتلى"}  # only the title rows are drawn (not "x")


def test_export_tables_writes_each_table_under_its_name(tmp_path):
    class Folders:
        tables_dir = tmp_path

    paths = export_tables({"02_a": estimates(), "02_b": estimates().head(1)}, folders=Folders)
    assert [p.name for p in paths] == ["02_a.csv", "02_a.tex", "02_b.csv", "02_b.tex"]
    pd.testing.assert_frame_equal(pd.read_csv(tmp_path / "02_b.csv"), estimates().head(1))


def _png(fig, folder, name):
    from arabmedia.plot import export_figure

    (path,) = export_figure(fig, name, figures_dir=folder, formats=("png",))
    return path.read_bytes()


def test_notebook_03_builders_draw_what_the_direct_calls_draw(tmp_path):
    from arabmedia.plot import (
        AGENCY_CAVEAT,
        actor_types_figure,
        agency_shares_figure,
        frame_change_figure,
        frame_prevalence_figure,
        macro_f1_figure,
    )

    shares = estimates()
    one = shares[shares["outlet"] == "Al Jazeera"]
    change = one.assign(difference=one["estimate"] - 0.5, low=lambda d: d["low"] - 0.5)
    change = change.assign(high=change["high"] - 0.5)
    actors = pd.concat(
        [
            shares.rename(columns={"label": "actor_type"}).assign(markers=markers)
            for markers in ("verbs and prepositions", "all markers")
        ],
        ignore_index=True,
    )
    pooled = shares.rename(
        columns={"label": "method", "outlet": "task", "estimate": "f1", "low": "f1_low"}
    ).rename(columns={"high": "f1_high"})
    cases = {
        "prevalence": (
            frame_prevalence_figure(shares, "titles + leads"),
            dot_plot_figure(
                shares, "label", group="outlet", xlabel="share of articles (titles + leads)"
            ),
        ),
        "change": (
            frame_change_figure(change, "bodies"),
            dot_plot_figure(
                change, "label", "difference", group="outlet",
                xlabel="change in hits per 1,000 words", title="bodies", zero_line=True,
            ),
        ),
        "agency": (
            agency_shares_figure(shares, "leads"),
            dot_plot_figure(
                shares, "label", group="outlet", xlabel="share of casualty sentences (leads)",
                xlim=(0, 1), title=AGENCY_CAVEAT, title_size=7,
            ),
        ),
        "actors": (
            actor_types_figure(actors, "leads"),
            dot_plot_figure(
                actors[actors["markers"] == "verbs and prepositions"], "actor_type",
                group="outlet", xlabel="share of cited actors (leads)",
            ),
        ),
        "f1": (
            macro_f1_figure(pooled),
            dot_plot_figure(
                pooled, "method", "f1", "f1_low", "f1_high", "task",
                xlabel="macro F1 (FIGNEWS, out of fold)", xlim=(0, 1),
            ),
        ),
    }  # fmt: skip
    for name, (built, direct) in cases.items():
        assert _png(built, tmp_path / "a", name) == _png(direct, tmp_path / "b", name), name
    (ax,) = cases["agency"][0].axes
    assert ax.get_xlabel() == "share of casualty sentences (leads)" and ax.get_xlim() == (0, 1)
    assert ax.get_title() == AGENCY_CAVEAT
    (ax,) = cases["actors"][0].axes
    assert len(ax.get_yticks()) == 2  # one set of markers: two actor types, not four rows
    (ax,) = cases["change"][0].axes
    assert [list(line.get_xdata()) for line in ax.get_lines()].count([0, 0]) == 1
