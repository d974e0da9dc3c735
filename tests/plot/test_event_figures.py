"""The event figures: every label inside the exported PDF, for 2 and for 12 outlets."""

import numpy as np
import pandas as pd
import pytest

from arabmedia import plot

pypdf = pytest.importorskip("pypdf")


def square(names):
    rows = [(a, b, (i + 1) * (j + 2)) for i, a in enumerate(names) for j, b in enumerate(names)]
    return pd.DataFrame(rows, columns=["outlet_a", "outlet_b", "shared_events"])


def pdf_text(fig, tmp_path, name):
    paths = plot.export_figure(fig, name, figures_dir=tmp_path)
    pdf = next(p for p in paths if str(p).endswith(".pdf"))
    return "".join(page.extract_text() for page in pypdf.PdfReader(pdf).pages)


@pytest.mark.parametrize("n", [2, 12])
def test_coverage_matrix_shows_every_outlet_and_count(tmp_path, n):
    names = [f"Outlet {chr(65 + i)}" for i in range(n)]
    fig = plot.coverage_matrix_figure(square(names))
    text = pdf_text(fig, tmp_path, f"matrix_{n}")
    assert all(name in text for name in names)
    assert str((n) * (n + 1)) in text  # the last cell's count


def test_lag_figure_labels_every_pair(tmp_path):
    rng = np.random.default_rng(0)
    lags = pd.DataFrame(
        {"pair": np.repeat(["A → B", "B → A", "A → C"], 20), "lag_hours": rng.normal(0, 5, 60)}
    )
    text = pdf_text(plot.lag_figure(lags), tmp_path, "lags")
    assert "B → A" in text and "A → C" in text and "hours" in text
    with pytest.raises(ValueError, match="lag_figure"):
        plot.lag_figure(lags.assign(lag_hours=np.nan))
