"""Figures and tables: one style, Arabic in logical order, byte-identical atomic exports."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import matplotlib as mpl
import matplotlib.font_manager as font_manager
import numpy as np
import pandas as pd
import pypdf
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from PIL import Image

from arabmedia import plot as plotting
from arabmedia.plot import (
    bar_counts,
    dot_plot_ci,
    export_figure,
    export_table,
    figure_size,
    outlet_colors,
    paper_style,
    time_series,
    use_paper_style,
)

TITLE = "الاحتلال الإسرائيلي"
TERMS = ["شهداء", "قتلى", "العدوان"]


def arabic_figure() -> Figure:
    """A one-column figure with an Arabic title, Arabic y tick labels and an Arabic x label."""
    with use_paper_style():
        fig = Figure(figsize=figure_size(1))
        ax = fig.add_subplot()
        ax.barh(TERMS, [3, 2, 1])
        ax.set_title(TITLE)
        ax.set_xlabel("عدد المقالات")
    return fig


def terms_frame() -> pd.DataFrame:
    """Two outlets, three terms, shares with intervals around them (made-up numbers)."""
    return pd.DataFrame(
        {
            "term": TERMS * 2,
            "outlet": ["Al Jazeera"] * 3 + ["Al Mayadeen"] * 3,
            "share": [0.6, 0.2, 0.4, 0.8, 0.1, 0.5],
            "low": [0.5, 0.1, 0.3, 0.7, 0.05, 0.45],
            "high": [0.7, 0.3, 0.5, 0.9, 0.2, 0.6],
        }
    )


# --- style ----------------------------------------------------------------------------------


def test_figure_size_matches_paper_column_widths():
    assert figure_size(1) == pytest.approx((3.5, 3.5 * 0.62))
    assert figure_size(2, aspect=0.5) == pytest.approx((7.2, 3.6))
    with pytest.raises(ValueError, match="columns"):
        figure_size(3)
    with pytest.raises(ValueError, match="aspect"):
        figure_size(1, aspect=0)


def test_paper_style_is_valid_fresh_and_restored():
    style = paper_style()
    assert style["pdf.fonttype"] == 42
    style["font.size"] = 99  # mutating one copy must not leak into the next
    assert paper_style()["font.size"] != 99
    before = mpl.rcParams["font.size"], mpl.rcParams["pdf.fonttype"]
    with use_paper_style():  # rc_context validates every key and value
        assert mpl.rcParams["font.sans-serif"][0] == "DejaVu Sans"
        assert mpl.rcParams["pdf.fonttype"] == 42
    assert (mpl.rcParams["font.size"], mpl.rcParams["pdf.fonttype"]) == before


def test_style_font_is_the_copy_bundled_with_matplotlib():
    """A system DejaVu Sans of another version would change the exported bytes."""
    bundled = Path(mpl.get_data_path()).resolve()
    with use_paper_style():
        for weight in ("normal", "bold"):
            found = font_manager.findfont(font_manager.FontProperties(weight=weight))
            assert Path(found).resolve().is_relative_to(bundled), found


# --- figure export --------------------------------------------------------------------------


def pdf_fonts(reader: pypdf.PdfReader) -> list[tuple[str, object]]:
    """``(subtype, font descriptor)`` for every font on every page (Type0 via its descendant)."""
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            leaf = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = leaf.get("/FontDescriptor")
            descriptor = None if descriptor is None else descriptor.get_object()
            fonts.append((leaf["/Subtype"], descriptor))
    return fonts


def test_pdf_keeps_arabic_words_in_logical_order_with_embedded_truetype(tmp_path):
    pdf_path, png_path = export_figure(arabic_figure(), "arabic", figures_dir=tmp_path)
    assert (pdf_path.name, png_path.name) == ("arabic.pdf", "arabic.png")
    reader = pypdf.PdfReader(pdf_path)
    text = reader.pages[0].extract_text()
    # pypdf returns a multi-word right-to-left run with its words in visual order
    # ("الإسرائيلي الاحتلال"), so the check is per word: each word must appear exactly as
    # written (logical order, as typed) and its character-reversed form must not.
    for word in [*TITLE.split(), *TERMS, "عدد", "المقالات"]:
        assert word in text
        assert word[::-1] not in text
    fonts = pdf_fonts(reader)
    assert fonts
    for subtype, descriptor in fonts:
        assert subtype == "/CIDFontType2" or subtype == "/TrueType"  # not Type 3 bitmaps
        assert "/FontFile2" in descriptor  # the TrueType program itself is embedded
    info = reader.trailer["/Info"].get_object()
    assert "/CreationDate" not in info and "/ModDate" not in info
    assert b"/CreationDate" not in pdf_path.read_bytes()


def test_png_has_the_figure_size_in_pixels_and_no_software_tag(tmp_path):
    (png_path,) = export_figure(arabic_figure(), "arabic", figures_dir=tmp_path, formats=["png"])
    with Image.open(png_path) as image:
        # 3.5 in × 300 dpi = 1050 px wide; 3.5 × 0.62 = 2.17 in × 300 = 651 px high
        assert image.size == (1050, 651)
        assert "Software" not in image.info
    (small,) = export_figure(
        arabic_figure(), "small", figures_dir=tmp_path, formats=["png"], dpi=100
    )
    with Image.open(small) as image:
        assert image.size == (350, 217)


EXPORT_SCRIPT = textwrap.dedent(
    """
    import sys
    import pandas as pd
    from matplotlib.figure import Figure
    from arabmedia.plot import bar_counts, export_figure, time_series, use_paper_style

    out = sys.argv[1]
    with use_paper_style():
        fig = Figure()
        ax = fig.add_subplot()
        ax.barh(["شهداء", "قتلى"], [3, 2])
        ax.set_title("الاحتلال الإسرائيلي")
    export_figure(fig, "arabic", figures_dir=out, formats=("pdf", "png", "svg"))
    counts = pd.DataFrame({"term": ["شهداء", "قتلى"] * 2, "n": [5, 1, 2, 4],
                           "outlet": ["Al Jazeera"] * 2 + ["Al Mayadeen"] * 2})
    export_figure(bar_counts(counts, "term", "n", "outlet")[0], "bars", figures_dir=out)
    months = pd.DataFrame({"month": ["2023-10-01", "2023-11-01", "2024-01-01"],
                           "share": [0.2, 0.5, 0.4], "outlet": ["Al Jazeera"] * 3})
    fig, _ = time_series(months, "month", "share", "outlet", freq="MS", shade_gaps=True)
    export_figure(fig, "series", figures_dir=out)
    """
)


def test_exports_are_byte_identical_across_processes(tmp_path):
    """Two fresh interpreters (different hash seeds, with and without SOURCE_DATE_EPOCH)."""
    script = tmp_path / "export.py"
    script.write_text(EXPORT_SCRIPT, encoding="utf-8")
    variants = [{"PYTHONHASHSEED": "1"}, {"PYTHONHASHSEED": "2", "SOURCE_DATE_EPOCH": "0"}]
    base_env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    outs = [tmp_path / f"run{run}" for run in range(len(variants))]
    processes = [  # started together to halve the wall time
        subprocess.Popen([sys.executable, str(script), str(out)], env=base_env | extra)
        for out, extra in zip(outs, variants, strict=True)
    ]
    assert [process.wait(timeout=180) for process in processes] == [0, 0]
    runs = [{path.name: path.read_bytes() for path in sorted(out.iterdir())} for out in outs]
    expected = {"arabic.pdf", "arabic.png", "arabic.svg", "bars.pdf", "bars.png"}
    assert expected | {"series.pdf", "series.png"} == set(runs[0])
    assert runs[0] == runs[1]


@pytest.mark.parametrize("name", ["", "a/b", "..", "../escape", "figure.pdf", "with space", "a\\b"])
def test_export_figure_refuses_names_that_are_not_bare_stems(tmp_path, name):
    with pytest.raises(ValueError, match="invalid export name"):
        export_figure(arabic_figure(), name, figures_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("formats", [(), ("jpg",), ("pdf", "pdf")])
def test_export_figure_refuses_unknown_or_repeated_formats(tmp_path, formats):
    with pytest.raises(ValueError, match="formats"):
        export_figure(arabic_figure(), "fig", figures_dir=tmp_path, formats=formats)


def fail_after_partial_write(fail_format: str):
    """A ``savefig`` replacement that writes real output but, for ``fail_format``, dies midway."""

    def savefig(fig, path, *, format, **kwargs):
        if format == fail_format:
            Path(path).write_bytes(b"%PDF-1.4 half a fi")
            raise OSError("disk full")
        Figure.savefig(fig, path, format=format, **kwargs)

    return savefig


def test_failed_export_leaves_no_target_and_no_temporary_file(tmp_path, monkeypatch):
    fig = arabic_figure()
    monkeypatch.setattr(fig, "savefig", fail_after_partial_write("pdf").__get__(fig))
    with pytest.raises(OSError, match="disk full"):
        export_figure(fig, "broken", figures_dir=tmp_path, formats=["pdf"])
    assert list(tmp_path.iterdir()) == []


def test_export_is_all_or_nothing_and_keeps_the_previous_version(tmp_path, monkeypatch):
    previous = tmp_path / "fig.pdf"
    previous.write_bytes(b"previous run")
    fig = arabic_figure()
    monkeypatch.setattr(fig, "savefig", fail_after_partial_write("png").__get__(fig))
    with pytest.raises(OSError, match="disk full"):
        export_figure(fig, "fig", figures_dir=tmp_path, formats=["pdf", "png"])
    # the PDF was rendered completely before the PNG failed, yet it must not replace the old one
    assert sorted(path.name for path in tmp_path.iterdir()) == ["fig.pdf"]
    assert previous.read_bytes() == b"previous run"


# --- table export ---------------------------------------------------------------------------


def table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "outlet": ["Al Jazeera", "الميادين & co"],
            "term_%": ["شهداء", "a_b"],
            "share": [0.125, 1 / 3],
            "n": [3, 40],
            "note": ["x", None],
        }
    )


def test_table_csv_round_trips_with_unix_line_ends(tmp_path):
    csv_path, tex_path = export_table(table(), "terms", tables_dir=tmp_path)
    assert (csv_path.name, tex_path.name) == ("terms.csv", "terms.tex")
    raw = csv_path.read_bytes()
    assert b"\r" not in raw and not raw.startswith(b"\xef\xbb\xbf")  # "\n" ends, no BOM
    assert "0.333" in raw.decode("utf-8") and "0.3333" not in raw.decode("utf-8")
    back = pd.read_csv(csv_path, encoding="utf-8")
    expected = table().assign(share=[0.125, 0.333])
    pd.testing.assert_frame_equal(back, expected, check_dtype=False)


def test_table_latex_has_booktabs_arabic_and_escaped_specials(tmp_path):
    _, tex_path = export_table(
        table(), "terms", tables_dir=tmp_path, caption="Share (%) of terms_used", label="tab:terms"
    )
    tex = tex_path.read_text("utf-8")
    for rule in (r"\toprule", r"\midrule", r"\bottomrule"):
        assert tex.count(rule) == 1
    assert "شهداء" in tex and "الميادين" in tex
    assert r"term\_\%" in tex and r"\& co" in tex and r"a\_b" in tex
    assert r"\caption{Share (\%) of terms\_used}" in tex
    assert r"\label{tab:terms}" in tex
    assert "0.333" in tex and "0.3333" not in tex
    body = tex.split(r"\midrule")[1]
    for special in ("&", "%", "_"):  # every special in the data rows is escaped
        unescaped = body.replace("\\" + special, "")
        assert special not in unescaped.replace(" & ", " ")


def test_table_index_is_written_only_when_asked(tmp_path):
    frame = table().set_index("outlet")
    csv_path, _ = export_table(frame, "indexed", tables_dir=tmp_path, index=True)
    assert pd.read_csv(csv_path).columns[0] == "outlet"
    csv_path, _ = export_table(frame, "plain", tables_dir=tmp_path)
    assert "outlet" not in pd.read_csv(csv_path).columns


def test_table_refuses_bad_labels_duplicate_columns_and_writes_nothing(tmp_path):
    with pytest.raises(ValueError, match="LaTeX label"):
        export_table(table(), "t", tables_dir=tmp_path, label="tab one")
    with pytest.raises(ValueError, match="duplicate column"):
        export_table(pd.DataFrame([[1, 2]], columns=["a", "a"]), "t", tables_dir=tmp_path)
    with pytest.raises(ValueError, match="invalid export name"):
        export_table(table(), "t.csv", tables_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


# --- plot helpers ---------------------------------------------------------------------------


def test_dot_plot_lists_arabic_categories_top_down_with_outlet_colours():
    fig, (ax,) = dot_plot_ci(terms_frame(), "term", "share", "low", "high", group="outlet")
    assert [tick.get_text() for tick in ax.get_yticklabels()] == TERMS
    bottom, top = ax.get_ylim()
    assert bottom > top  # first category at the top
    colours = outlet_colors(["Al Jazeera", "Al Mayadeen"])
    drawn = {container.get_label(): container.lines[0] for container in ax.containers}
    assert set(drawn) == set(colours)
    for outlet, line in drawn.items():
        assert to_hex(line.get_color()) == colours[outlet].lower()
    jazeera = drawn["Al Jazeera"]
    np.testing.assert_allclose(jazeera.get_xdata(), [0.6, 0.2, 0.4])
    # Al Jazeera's dots sit above (smaller y on the inverted axis) Al Mayadeen's in every row
    assert np.all(np.asarray(jazeera.get_ydata()) < np.asarray(drawn["Al Mayadeen"].get_ydata()))
    assert [text.get_text() for text in fig.legends[0].get_texts()] == ["Al Jazeera", "Al Mayadeen"]


def test_dot_plot_rejects_estimates_outside_their_interval_naming_the_row():
    frame = terms_frame()
    frame.loc[4, "share"] = 0.9
    with pytest.raises(ValueError, match=r"rows \[4\]"):
        dot_plot_ci(frame, "term", "share", "low", "high", group="outlet")
    with pytest.raises(ValueError, match="no column value='shares'"):
        dot_plot_ci(frame, "term", "shares", "low", "high")
    with pytest.raises(ValueError, match="same"):
        dot_plot_ci(terms_frame(), "term", "share", "low", "high")  # terms repeat without group


def monthly_frame() -> pd.DataFrame:
    """Al Jazeera misses December 2023; neither outlet has data for February 2024."""
    rows = [
        ("Al Jazeera", "2023-10-01", 0.2),
        ("Al Jazeera", "2023-11-01", 0.3),
        ("Al Jazeera", "2024-01-01", 0.5),
        ("Al Jazeera", "2024-03-01", 0.4),
        ("Al Mayadeen", "2023-10-01", 0.6),
        ("Al Mayadeen", "2023-11-01", 0.7),
        ("Al Mayadeen", "2023-12-01", 0.6),
        ("Al Mayadeen", "2024-01-01", 0.8),
        ("Al Mayadeen", "2024-03-01", 0.7),
    ]
    frame = pd.DataFrame(rows, columns=["outlet", "month", "share"])
    return frame.assign(low=frame["share"] - 0.1, high=frame["share"] + 0.1)


def test_time_series_breaks_lines_at_missing_months_and_shades_common_gaps():
    fig, (ax,) = time_series(
        monthly_frame(), "month", "share", "outlet", "low", "high", freq="MS", shade_gaps=True
    )
    lines = {line.get_label(): line for line in ax.get_lines()}
    jazeera = np.asarray(lines["Al Jazeera"].get_ydata(), dtype=float)
    # Oct, Nov, Dec (missing), Jan, Feb (missing), Mar
    np.testing.assert_allclose(jazeera, [0.2, 0.3, np.nan, 0.5, np.nan, 0.4])
    assert (
        to_hex(lines["Al Mayadeen"].get_color())
        == outlet_colors(["Al Jazeera", "Al Mayadeen"])["Al Mayadeen"].lower()
    )
    shaded = [patch for patch in ax.patches if patch.get_label() == "no data"]
    assert len(shaded) == 1  # only February is missing for both outlets
    x_left = shaded[0].get_x()
    assert (x_left, x_left + shaded[0].get_width()) == (
        mpl.dates.date2num(pd.Timestamp("2024-02-01")),
        mpl.dates.date2num(pd.Timestamp("2024-03-01")),
    )
    assert len(ax.collections) == 2  # one interval band per outlet
    assert "no data" in [text.get_text() for text in fig.legends[0].get_texts()]


@pytest.mark.filterwarnings("ignore:Could not infer format:UserWarning")
def test_time_series_rejects_inconsistent_arguments():
    frame = monthly_frame()
    with pytest.raises(ValueError, match="both low and high"):
        time_series(frame, "month", "share", "outlet", low="low")
    with pytest.raises(ValueError, match="shade_gaps needs freq"):
        time_series(frame, "month", "share", "outlet", shade_gaps=True)
    off_grid = frame.replace({"month": {"2023-11-01": "2023-11-15"}})
    with pytest.raises(ValueError, match="2023-11-15"):
        time_series(off_grid, "month", "share", "outlet", freq="MS")
    with pytest.raises(ValueError, match=r"missing values in \['outlet', 'month'\]: rows \[2\]"):
        no_month = frame.assign(month=frame["month"].where(frame.index != 2))
        time_series(no_month, "month", "share", "outlet")
    with pytest.raises(ValueError, match="does not hold dates"):
        time_series(frame.assign(month="not a date"), "month", "share", "outlet")


def test_bar_counts_draw_one_bar_per_category_and_outlet():
    counts = pd.DataFrame(
        {
            "term": ["شهداء", "قتلى", "شهداء"],
            "outlet": ["Al Mayadeen", "Al Mayadeen", "Al Jazeera"],
            "n": [12, 3, 7],
        }
    )
    _, (ax,) = bar_counts(counts, "term", "n", group="outlet")
    assert [tick.get_text() for tick in ax.get_yticklabels()] == ["شهداء", "قتلى"]
    colours = outlet_colors(["Al Jazeera", "Al Mayadeen"])
    widths = {
        (to_hex(bar.get_facecolor()), round(bar.get_width())) for bar in ax.patches
    }  # Al Jazeera has no قتلى row, so three bars in all
    assert widths == {
        (colours["Al Mayadeen"].lower(), 12),
        (colours["Al Mayadeen"].lower(), 3),
        (colours["Al Jazeera"].lower(), 7),
    }
    with pytest.raises(ValueError, match="negative in rows"):
        bar_counts(counts.assign(n=[1, -2, 3]), "term", "n", group="outlet")
    _, (ax,) = bar_counts(counts.assign(n=[1, -2, 3]), "term", "n", group="outlet", signed=True)
    assert sorted(round(bar.get_width()) for bar in ax.patches) == [-2, 1, 3]


def test_figure_index_lists_each_figure_with_both_files():
    entries = pd.DataFrame(
        [
            {
                "figure": "Figure 1",
                "file": "05_fig01_coverage",
                "shows": "articles per week | outlet",
                "data": "Al Mayadeen bodies",
                "dates": "2023-10-07 to 2024-08-16",
                "notebook": "00_corpus",
            }
        ]
    )
    text = plotting.figure_index_markdown(entries)
    row = text.splitlines()[-1]
    assert row.startswith("| Figure 1 | `05_fig01_coverage.pdf`, `05_fig01_coverage.png` |")
    assert "articles per week \\| outlet" in row  # a pipe inside a cell is escaped
    assert row.endswith("| `00_corpus` |")
    with pytest.raises(ValueError, match="no column"):
        plotting.figure_index_markdown(entries.drop(columns="dates"))


def test_rounded_floats_keeps_eight_significant_digits_and_leaves_other_columns():
    table = pd.DataFrame(
        {
            "term": ["شهداء", "قتلى", "العدوان", "x"],
            "n": [1, 2, 3, 4],
            "share": [0.123456789123, 1234.56789123, np.nan, np.inf],
            "small": pd.array([2.5e-7 + 3e-19, None, 1.0, -0.333333333333], dtype="Float64"),
        }
    )
    rounded = plotting.rounded_floats(table)
    assert rounded["term"].tolist() == table["term"].tolist()
    assert rounded["n"].tolist() == [1, 2, 3, 4]
    np.testing.assert_array_equal(rounded["share"], [0.12345679, 1234.5679, np.nan, np.inf])
    np.testing.assert_array_equal(rounded["small"], [2.5e-7, np.nan, 1.0, -0.33333333])
    assert table["share"].iloc[0] == 0.123456789123  # the caller's table is not changed


def _noisy_series() -> tuple[pd.DataFrame, pd.DataFrame]:
    """Monthly shares, and the same shares off in their last digits (about 1e-12
    relative: what another processor's BLAS kernels can give)."""
    rng = np.random.default_rng(7)
    months = pd.date_range("2023-01-01", periods=24, freq="MS")
    table = pd.DataFrame(
        {
            "month": np.tile(months, 2),
            "outlet": np.repeat(["Al Jazeera", "Al Mayadeen"], 24),
            "share": rng.uniform(0.1, 0.6, 48),
        }
    )
    table["low"], table["high"] = table["share"] - 0.05, table["share"] + 0.05
    noisy = table.copy()
    for column in ("share", "low", "high"):
        noisy[column] *= 1 + rng.uniform(-1e-12, 1e-12, 48)
    return table, noisy


def test_charts_draw_the_same_bytes_when_values_differ_only_in_their_last_bits(tmp_path):
    table, noisy = _noisy_series()
    columns = ("month", "share", "outlet", "low", "high")

    def pdf(chart, data, name):
        fig, _ = chart(data, *columns, freq="MS")
        return export_figure(fig, name, figures_dir=tmp_path, formats=("pdf",))[0].read_bytes()

    assert pdf(time_series, table, "a") == pdf(time_series, noisy, "b")
    # Drawn unrounded, the same noise changes the file: the rounding is what keeps it.
    unrounded = time_series.__wrapped__
    assert pdf(unrounded, table, "c") != pdf(unrounded, noisy, "d")


def test_every_chart_and_figure_function_draws_rounded_values():
    charts = [
        name
        for name in plotting.__all__
        if name.endswith("_figure") and not name.startswith("export_")
    ]
    charts += ["bar_counts", "dot_plot_ci", "facet_time_series", "metric_panels"]
    charts += ["term_panels", "time_series"]
    unrounded = [name for name in charts if not hasattr(getattr(plotting, name), "__wrapped__")]
    assert len(charts) == 26 and not unrounded
