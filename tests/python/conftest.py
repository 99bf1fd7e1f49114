"""Shared fixtures of the Python package tests: the `chipgate` binary to compare with, the
repository's paths, and a list store that is empty, so that answers do not depend on the
machine (the golden cases' rule). `CHIPGATE_BIN` names the binary (`.ci/run` sets it)."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Before chipgate loads anything: no user list store, for the CLI and for the package.
_HOME = tempfile.mkdtemp(prefix="chipgate-home-")
os.environ["CHIPGATE_HOME"] = _HOME


def _binary() -> str:
    given = os.environ.get("CHIPGATE_BIN")
    if given:
        return given
    for profile in ("release", "debug"):
        for target in (os.environ.get("CARGO_TARGET_DIR"), str(ROOT / "target")):
            if target and Path(target, profile, "chipgate").is_file():
                return str(Path(target, profile, "chipgate"))
    found = shutil.which("chipgate")
    if found:
        return found
    pytest.exit("no chipgate binary: set CHIPGATE_BIN", returncode=2)


BIN = _binary()


def run_cli(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    """Runs the binary with the same environment as the package (same list store)."""
    p = subprocess.run(
        [BIN, *args], capture_output=True, text=True, env=os.environ.copy(), cwd=ROOT
    )
    if check and p.returncode not in (0, 1):
        raise AssertionError(f"chipgate {' '.join(args)} failed:\n{p.stderr}")
    return p


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
