"""Bad input raises `chipgate.InputError` (a `ValueError`) naming the field, with the CLI's
message and the HTTP API's code; in a frame, a bad row keeps its place with the reason in
`error` and every other row is decided."""

import io

import pandas as pd
import pytest

import chipgate
from conftest import ROOT, run_cli


def _cli_error(*args):
    p = run_cli(*args, check=False)
    assert p.returncode == 2
    return p.stderr.strip().removeprefix("error: ")


def test_unknown_chip():
    with pytest.raises(chipgate.InputError) as e:
        chipgate.check("H2000X", to="CN", date="2025-05-01")
    assert isinstance(e.value, ValueError)
    assert e.value.field == "chip" and e.value.code == "invalid_input"
    assert str(e.value) == _cli_error("check", "--chip", "H2000X", "--to", "CN",
                                      "--date", "2025-05-01")


def test_bad_date():
    with pytest.raises(chipgate.InputError) as e:
        chipgate.check("H20", to="CN", date="2025-02-30")
    assert e.value.field == "date"
    assert str(e.value) == _cli_error("check", "--chip", "H20", "--to", "CN",
                                      "--date", "2025-02-30")
    with pytest.raises(chipgate.InputError) as e:
        chipgate.classify("H20", date="yesterday")
    assert e.value.field == "date"


def test_bad_destination_view_scenario_and_threshold():
    with pytest.raises(chipgate.InputError) as e:
        chipgate.check("H20", to="XX", date="2025-05-01")
    assert e.value.field == "to"
    with pytest.raises(chipgate.InputError) as e:
        chipgate.check("H20", to="CN", date="2025-05-01", view="maybe")
    assert e.value.field == "view"
    with pytest.raises(chipgate.InputError) as e:
        chipgate.check("H20", to="CN", date="2025-05-01", scenario="no-such-scenario")
    assert e.value.field == "scenario" and e.value.code == "unknown_scenario"
    with pytest.raises(chipgate.InputError) as e:
        chipgate.screen("Acme", threshold=2)
    assert e.value.field == "threshold"


def test_errors_survive_pickling():
    import pickle

    with pytest.raises(chipgate.InputError) as e:
        chipgate.check("H2000X", to="CN", date="2025-05-01")
    again = pickle.loads(pickle.dumps(e.value))
    assert type(again) is chipgate.InputError
    assert (again.field, again.code, str(again)) == (e.value.field, e.value.code, str(e.value))


def test_missing_column_raises_with_the_cli_message(tmp_path):
    book = pd.read_csv(ROOT / "examples" / "orders-2025.csv", dtype=str,
                       keep_default_na=False).drop(columns=["ship_to"])
    with pytest.raises(chipgate.InputError) as e:
        chipgate.check_frame(book)
    assert e.value.field == "ship_to" and e.value.code == "missing_column"
    path = tmp_path / "book.csv"
    book.to_csv(path, index=False)
    assert e.value.message == _cli_error("orders", str(path), "--quiet")


def test_bad_rows_keep_their_place_and_the_rest_is_decided(tmp_path):
    book = pd.read_csv(ROOT / "examples" / "orders-2025.csv", dtype=str,
                       keep_default_na=False).head(200)
    book.loc[3, "chip"] = "H2000X"          # unknown chip
    book.loc[10, "date"] = "2025-02-30"     # bad date
    book.loc[11, "quantity"] = "-5"         # bad quantity
    book.loc[12, "ship_to"] = "XX"          # unknown destination
    out = chipgate.check_frame(book)
    assert len(out) == len(book) and (out.index == book.index).all()
    bad = out["error"].notna()
    assert sorted(out.index[bad]) == [3, 10, 11, 12]
    assert out.loc[~bad, "decision"].notna().all()
    assert out.loc[bad, "decision"].isna().all()
    assert "date" in out.loc[10, "error"] and "quantity" in out.loc[11, "error"]
    # The reasons are the CLI's.
    path = tmp_path / "bad.csv"
    book.to_csv(path, index=False)
    res = tmp_path / "out.csv"
    run_cli("orders", str(path), "--out", str(res), "--quiet")
    cli = pd.read_csv(res, dtype=str, keep_default_na=False)
    assert list(out["error"].fillna("")) == list(cli["error"])


def test_screen_frame_keeps_bad_rows():
    names = pd.DataFrame(
        {"name": ["Huawei Technologies Co., Ltd.", "", "Acme Widgets GmbH", None],
         "country": ["CN", "US", "ZZ", "US"]},
        index=[10, 20, 30, 40],
    )
    out = chipgate.screen_frame(names, date="2025-06-01")
    assert list(out.index) == [10, 20, 30, 40]
    assert out.loc[10, "status"] == "match"
    assert out.loc[10, "status"] == chipgate.screen(
        "Huawei Technologies Co., Ltd.", country="CN", date="2025-06-01")["status"]
    assert out.loc[20, "error"] and out.loc[30, "error"] and out.loc[40, "error"]
    assert "country" in out.loc[30, "error"]
    with pytest.raises(chipgate.InputError) as e:
        chipgate.screen_frame(pd.DataFrame({"who": ["x"]}))
    assert e.value.field == "name"
