"""How the tests find their browser, here and on GitHub's runner: one helper, one install script."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, find_browser


def _fake(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_text("#!/bin/sh\necho 'Fake Chromium 1.0'\n")
    path.chmod(0o755)
    return path


def test_find_browser_env_override_then_chrome_bin_then_path(tmp_path, monkeypatch):
    chrome = _fake(tmp_path, "google-chrome")
    own = _fake(tmp_path, "my-browser")
    monkeypatch.delenv("PORTAL_BROWSER", raising=False)
    monkeypatch.delenv("CHROME_BIN", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    assert find_browser() == chrome  # as on GitHub's runner without CHROME_BIN
    monkeypatch.setenv("CHROME_BIN", str(chrome))
    assert find_browser() == chrome
    monkeypatch.setenv("PORTAL_BROWSER", str(own))
    assert find_browser() == own
    monkeypatch.setenv("PORTAL_BROWSER", str(tmp_path / "missing"))
    assert find_browser() is None  # a wrong override is not silently replaced by another browser
    monkeypatch.delenv("PORTAL_BROWSER")
    monkeypatch.delenv("CHROME_BIN")
    monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    assert find_browser() is None


def test_install_script_reports_the_runners_browser_to_later_steps(tmp_path):
    if not (REPO / ".cache/npm/node_modules/vnu-jar").is_dir():
        pytest.skip("需要测试工具：先运行 bash .ci/install-test-tools")
    chrome = _fake(tmp_path, "google-chrome")
    github_env = tmp_path / "github_env"
    github_env.touch()
    env = {**os.environ, "CHROME_BIN": str(chrome), "GITHUB_ENV": str(github_env)}
    env.pop("PORTAL_BROWSER", None)
    done = subprocess.run(
        ["bash", str(REPO / ".ci/install-test-tools")], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"浏览器：{chrome} (Fake Chromium 1.0)" in done.stdout
    assert github_env.read_text() == f"PORTAL_BROWSER={chrome}\n"
