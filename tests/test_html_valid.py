"""The W3C Nu HTML checker (npm vnu-jar, Java from Debian) reports no error on any page type."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from conftest import REPO

VNU = REPO / ".cache/npm/node_modules/vnu-jar/build/dist/vnu.jar"  # installed by .ci/run


def test_every_page_is_valid_html(site):
    if not VNU.is_file() or not shutil.which("java"):
        pytest.skip(
            "HTML 校验需要 vnu-jar 和 Java：npm install --prefix .cache/npm vnu-jar；"
            "apt-get install default-jre-headless"
        )
    build, _ = site
    done = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--skip-non-html", str(build.site)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr[-3000:]
    assert len(list(build.site.rglob("*.html"))) > 20
