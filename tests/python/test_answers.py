"""`check`, `classify` and `timeline` answer exactly what the CLI's `--json` prints: every
golden case of `tests/cases/*.jsonl` is asked both ways and the JSON compared whole."""

import json
from pathlib import Path

import pytest

import chipgate
from conftest import ROOT, run_cli

CASE_KEYS = {"name", "kind", "scenario", "parties", "screen", "expect"}


def _cases():
    for f in sorted((ROOT / "tests" / "cases").glob("*.jsonl")):
        for n, line in enumerate(f.read_text().splitlines(), 1):
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            case = json.loads(line)
            yield pytest.param(f, case, id=f"{f.stem}:{n}")


def _cli_and_kwargs(case_file: Path, case: dict, tmp_path: Path):
    kind = case.get("kind", "check")
    req = {k: v for k, v in case.items() if k not in CASE_KEYS}
    kwargs = dict(req)
    args = [kind]
    if kind == "classify":
        if "chip" in req:
            args.append(req["chip"])
    for k, v in req.items():
        if k == "chip" and kind == "classify":
            continue
        if k == "spec":
            p = tmp_path / "spec.json"
            p.write_text(json.dumps(v))
            args += ["--spec", str(p)]
        elif isinstance(v, bool):
            if v:
                args.append("--" + k.replace("_", "-"))
        else:
            args += ["--" + k.replace("_", "-"), str(v)]
    for k in ("scenario", "parties"):
        if case.get(k):
            path = str((case_file.parent / case[k]).resolve())
            args += [f"--{k}", path]
            kwargs[k] = path
    if case.get("screen") is False:
        args.append("--no-screen")
        kwargs["no_screen"] = True
    if kind == "classify":
        chip = kwargs.pop("chip", None)
        spec = kwargs.pop("spec", None)
        kwargs.pop("to", None)
        return args, kind, (chip if chip is not None else spec), kwargs
    return args, kind, None, kwargs


@pytest.mark.parametrize("case_file,case", list(_cases()))
def test_golden_case_answers_equal_the_cli_json(case_file, case, tmp_path):
    args, kind, item, kwargs = _cli_and_kwargs(case_file, case, tmp_path)
    p = run_cli(*args, "--json")
    assert p.returncode in (0, 1), p.stderr
    expected = json.loads(p.stdout)
    if kind == "classify":
        got = chipgate.classify(item, **kwargs)
    else:
        got = chipgate.check(**kwargs)
    assert got == expected


def test_timeline_equals_the_cli_json():
    p = run_cli(
        "timeline", "--chip", "H20", "--to", "CN", "--buyer-hq", "CN",
        "--from", "2025-01-01", "--to-date", "2025-12-31", "--json",
    )
    expected = json.loads(p.stdout)
    got = chipgate.timeline(
        "H20", to="CN", buyer_hq="CN", from_date="2025-01-01", to_date="2025-12-31"
    )
    assert got == expected
    assert len(got["segments"]) > 1


def test_screen_equals_the_cli_json():
    for name in ["Huawei Technologies Co., Ltd.", "Acme Widgets GmbH"]:
        p = run_cli("screen", name, "--date", "2025-06-01", "--json")
        assert chipgate.screen(name, date="2025-06-01") == json.loads(p.stdout)


def test_dates_and_specs_as_python_objects():
    import datetime

    a = chipgate.check("H20", to="CN", buyer_hq="CN", date=datetime.date(2025, 4, 9))
    b = chipgate.check("H20", to="CN", buyer_hq="CN", date="2025-04-09")
    assert a == b and a["decision"] == "LICENSE_REQUIRED"
    spec = json.loads((ROOT / "examples" / "my-chip.json").read_text())
    assert chipgate.classify(spec, date="2025-05-01") == chipgate.classify(
        json.dumps(spec), date="2025-05-01"
    )
    assert chipgate.check(spec=str(ROOT / "examples" / "my-chip.json"), to="CN",
                          date="2025-05-01") == chipgate.check(spec=spec, to="CN",
                                                               date="2025-05-01")


def test_shipped_scenario_by_name_equals_the_file():
    by_name = chipgate.check("H20", to="CN", buyer_hq="CN", date="2025-05-01",
                             scenario="no-april-letter")
    by_file = chipgate.check("H20", to="CN", buyer_hq="CN", date="2025-05-01",
                             scenario=str(ROOT / "scenarios" / "no-april-letter.toml"))
    assert by_name == by_file
    assert by_name["decision"] == "NLR"
