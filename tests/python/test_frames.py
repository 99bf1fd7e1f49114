"""`check_frame` gives, row for row, the per-order results `chipgate orders --out x.csv`
writes for the same book (every column but `line`, which numbers file lines); the report is
the CLI's `--json` report."""

import json

import pandas as pd
import pytest

import chipgate
from conftest import ROOT, run_cli

BOOK = ROOT / "examples" / "orders-2025.csv"
SCENARIO = ROOT / "scenarios" / "no-april-letter.toml"


@pytest.fixture(scope="module")
def cli_results(tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "x.csv"
    run_cli("orders", str(BOOK), "--scenario", str(SCENARIO), "--out", str(out), "--quiet")
    return pd.read_csv(out, dtype=str, keep_default_na=False)


def _as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as the CLI's CSV spells it (empty = "", booleans as true/false)."""
    out = frame.copy()
    for c in out.columns:
        if str(out[c].dtype) == "boolean":
            out[c] = out[c].map({True: "true", False: "false"})
        out[c] = [("" if v is None or v != v else str(v)) for v in out[c].astype(object)]
    return out.reset_index(drop=True)


def test_example_book_equals_chipgate_orders(cli_results):
    book = pd.read_csv(BOOK, dtype=str, keep_default_na=False)
    out = chipgate.check_frame(book, scenario="no-april-letter")
    expected = cli_results.drop(columns=["line"])
    assert list(out.columns) == list(expected.columns)
    pd.testing.assert_frame_equal(_as_text(out), _as_text(expected))
    assert out["rule_change@no-april-letter"].notna().sum() > 0


def test_pandas_default_types_give_the_same_decisions(cli_results):
    # read_csv's own types: integers, floats, NaN for empty cells.
    book = pd.read_csv(BOOK)
    out = chipgate.check_frame(book, scenario=str(SCENARIO))
    pd.testing.assert_frame_equal(_as_text(out), _as_text(cli_results.drop(columns=["line"])))


def test_dates_as_datetimes_and_index_kept(cli_results):
    book = pd.read_csv(BOOK, parse_dates=["date"])
    book.index = book.index * 10 + 7
    out = chipgate.check_frame(book, scenario="no-april-letter")
    assert (out.index == book.index).all()
    pd.testing.assert_frame_equal(_as_text(out), _as_text(cli_results.drop(columns=["line"])))


def test_report_equals_the_cli_report(tmp_path):
    book = pd.read_csv(BOOK, dtype=str, keep_default_na=False)
    _, rep = chipgate.check_frame(book, scenario="no-april-letter", report=True)
    p = run_cli("orders", str(BOOK), "--scenario", str(SCENARIO), "--json", "--quiet")
    cli = json.loads(p.stdout)
    for key in ("totals", "flips_total", "scenarios"):
        assert rep[key] == cli[key], key
    assert rep["stats"]["orders_evaluated"] == cli["stats"]["orders_evaluated"]


def test_columns_are_matched_like_the_cli_and_map_renames():
    book = pd.read_csv(BOOK, dtype=str, keep_default_na=False).head(50)
    renamed = book.rename(columns={"order_id": "Order ID", "quantity": "Qty", "buyer": "Kunde"})
    renamed["Notes"] = "ignored"
    a = chipgate.check_frame(book)
    b = chipgate.check_frame(renamed, map=["Kunde=buyer"])
    pd.testing.assert_frame_equal(a, b)


def test_empty_frame_has_the_result_columns():
    book = pd.read_csv(BOOK, dtype=str, keep_default_na=False).head(0)
    out = chipgate.check_frame(book, scenario="no-april-letter")
    assert len(out) == 0
    assert "decision@no-april-letter" in out.columns and "error" in out.columns


def test_as_of_and_view_as_the_cli(tmp_path):
    book = pd.read_csv(BOOK, dtype=str, keep_default_na=False).head(300)
    path = tmp_path / "b.csv"
    book.to_csv(path, index=False)
    res = tmp_path / "o.csv"
    run_cli("orders", str(path), "--as-of", "2025-06-01", "--view", "law",
            "--out", str(res), "--quiet")
    out = chipgate.check_frame(book, as_of="2025-06-01", view="law")
    cli = pd.read_csv(res, dtype=str, keep_default_na=False).drop(columns=["line"])
    pd.testing.assert_frame_equal(_as_text(out), _as_text(cli))
