"""ruff over the code: lint (pycodestyle, pyflakes, isort, bugbear; ruff.toml) and format, no findings."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO


def _ruff() -> list[str]:
    beside = Path(sys.executable).with_name("ruff")  # installed with requirements-dev.txt into the same venv
    found = str(beside) if beside.is_file() else shutil.which("ruff")
    if not found:
        pytest.skip("ruff 未安装：pip install -r requirements-dev.txt")
    return [found]


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["check", "format"])
def test_ruff_finds_nothing_in_hooks_and_tests(command):
    done = subprocess.run([*_ruff(), *command, "hooks", "tests"], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
