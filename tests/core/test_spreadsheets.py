import pytest

from core.spreadsheets import csv_safe


@pytest.mark.parametrize(
    "formula",
    [
        "=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1",
        # Full-width and small forms, which spreadsheets take for the ASCII signs.
        "＝HYPERLINK(\"https://evil.example\")", "＋1", "－1", "＠SUM(A1)",
        "﹦1", "﹢1", "﹣1", "﹫x",
    ],
)  # fmt: skip
def test_a_cell_that_would_run_as_a_formula_is_kept_as_text(formula):
    assert csv_safe(formula) == "'" + formula


@pytest.mark.parametrize("text", ["Rukban Aid", "", "1 = 1", "ﬁsh", "'quoted", "١٢٣"])
def test_other_cells_are_left_as_they_are(text):
    assert csv_safe(text) == text


def test_nothing_is_an_empty_cell():
    assert csv_safe(None) == ""
    assert csv_safe(3) == "3"
