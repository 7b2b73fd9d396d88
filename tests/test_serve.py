"""`mkdocs serve` mounts content/ and rebuilds when an editor saves a file there."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request

from conftest import TODAY, news


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def _wait_for(url: str, text: str, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in _fetch(url):
            return True
        time.sleep(0.3)
    return False


def test_serve_reloads_when_content_changes(portal):
    item = portal.item("news/2026/a.md", news(), body="第一版正文。\n")
    port = _free_port()
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PORTAL_TODAY": TODAY}
    server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
                              cwd=portal.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = f"http://127.0.0.1:{port}/news/2026/a/"
        assert _wait_for(url, "第一版正文"), "the item was not served"
        item.write_text(item.read_text(encoding="utf-8").replace("第一版正文", "第二版正文"), encoding="utf-8")
        assert _wait_for(url, "第二版正文"), "the edit in content/ was not picked up"
        portal.item("news/2026/b.md", news(title="新写的一篇稿件"))
        assert _wait_for(f"http://127.0.0.1:{port}/news/", "新写的一篇稿件"), "a new item did not appear in the list"
    finally:
        server.terminate()
        server.wait(timeout=20)
