"""LinkChecker finds no broken internal link on the built site."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path


def test_no_broken_internal_links(site):
    build, base = site
    linkchecker = Path(sys.executable).parent / "linkchecker"
    command = [
        str(linkchecker if linkchecker.exists() else shutil.which("linkchecker")),
        "--no-status",
        r"--ignore-url=^https?://(?!127\.0\.0\.1)",
        "--ignore-url=^mailto:",
        base,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0 and " 0 errors found" in done.stdout, done.stdout[-3000:]
    checked = re.search(r"(\d+) links in", done.stdout)
    assert checked and int(checked.group(1)) > 20, done.stdout[-1000:]
