"""Fixtures that build real portals in tmp dirs and let tests read the output.

A `Portal` is a copy of the repository's mkdocs.yml, docs/, hooks/ and overrides/
with its own small content/; `Portal.build()` runs `mkdocs build --strict` in a
subprocess, as an editor or CI would, and returns what it printed and produced.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import textwrap
import threading
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urljoin

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
PROJECT_FILES = ("mkdocs.yml", "docs", "hooks", "overrides")
TODAY = "2026-06-01"  # the publishing day every fixture build sees (PORTAL_TODAY)
# A fixture portal's own address and footer: tests never read the repository's live site_url,
# identity or content/ (a maintainer changes those on day one; `check` and the strict build
# in the workflows verify them).
SITE_URL = "https://portal.test/"
IDENTITY = {"host": "测试主办单位", "organiser": "测试承办单位", "contact": "", "icp": "", "psb": "", "site_code": ""}
DEMO_CONTENT = REPO / "tests/fixtures/demo"  # a frozen copy of the demo items the repository shipped with

CATALOGUE = {
    "columns": [
        {"name": "工作动态", "slug": "gongzuo-dongtai", "description": "日常工作报道。"},
        {"name": "经验交流", "slug": "jingyan-jiaoliu", "description": "经验材料。"},
        {"name": "2025·我们这样走过", "slug": "2025-review", "description": "年度回顾专栏。"},
    ],
    "organisations": [
        {"name": "县知联会", "slug": "xian-zhilianhui"},
        {"name": "县政协", "slug": "xian-zhengxie"},
        {"name": "海宁市知联会", "slug": "haining-zhilianhui"},
    ],
}


def news(**overrides) -> dict:
    """Front matter of a valid news item; keyword arguments replace or add keys (None removes)."""
    front = {
        "title": "县知联会召开理事会",
        "date": "2026-03-02",
        "column": "工作动态",
        "organisation": "县知联会",
        "source": "县知联会",
        "editor": "编辑甲",
        "responsible_editor": "责编乙",
        "signed_off_by": "签发丙",
        "tags": ["知联会"],
    }
    front.update(overrides)
    return {key: value for key, value in front.items() if value is not None}


REVIEW_BODY = "全年上报社情民意信息46篇，个人提案25件，服务群众540余人次。\n"  # the figures of review()


def review(**overrides) -> dict:
    front = news(
        title="县知联会2025年工作回顾",
        column="2025·我们这样走过",
        date="2026-01-30",
        year=2025,
        metrics=[
            {"label": "社情民意信息", "value": 46, "unit": "篇", "group": "参政议政", "headline": True},
            {"label": "服务群众", "value": 540, "unit": "人次", "approx": True, "group": "社会服务"},
            {"label": "个人提案", "value": 25, "unit": "件", "group": "参政议政"},
        ],
    )
    front.update(overrides)
    return {key: value for key, value in front.items() if value is not None}


@dataclass
class Build:
    root: Path
    returncode: int
    output: str

    @property
    def site(self) -> Path:
        return self.root / "site"

    def page(self, url: str) -> str:
        return (self.site / url.strip("/") / "index.html").read_text(encoding="utf-8")

    def links(self, url: str) -> set[str]:
        """Every href of a page, resolved to a site path such as /news/2026/a/."""
        base = "/" + url.strip("/") + "/" if url.strip("/") else "/"
        hrefs = re.findall(r'href="([^"#]*)', self.page(url))
        return {unquote(urljoin(base, href)) for href in hrefs if href and "://" not in href}

    def html_files(self) -> dict[str, str]:
        return {p.relative_to(self.site).as_posix(): p.read_text(encoding="utf-8") for p in self.site.rglob("*.html")}

    def text_files(self) -> dict[str, str]:
        """Every HTML, XML and JSON file of the site (pages, sitemap, search index)."""
        return {
            p.relative_to(self.site).as_posix(): p.read_text(encoding="utf-8")
            for p in self.site.rglob("*")
            if p.suffix in (".html", ".xml", ".json")
        }


class Portal:
    def __init__(self, root: Path):
        self.root = root
        for name in PROJECT_FILES:
            source = REPO / name
            if source.is_dir():
                shutil.copytree(source, root / name, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, root / name)
        self.content = root / "content"
        self.write("catalogue.yml", yaml.safe_dump(CATALOGUE, allow_unicode=True, sort_keys=False))
        config = root / "mkdocs.yml"
        text, count = re.subn(r"(?m)^site_url:.*$", f"site_url: {SITE_URL}", config.read_text(encoding="utf-8"))
        assert count == 1, "mkdocs.yml has no site_url line"
        config.write_text(text, encoding="utf-8")
        self.config(identity=IDENTITY)
        # Fixtures use one or two of the catalogue's columns: the others' emptiness is told, not a
        # warning (tests of empty columns set it back to "warning", the default).
        self.config(portal={"empty_columns": "notice"})
        # A production build needs contact details and a feedback channel (fixture values).
        self.config(identity={"contact": "0000-0000000", "feedback": "mailto:portal@example.org"})

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8", newline="")
        return path

    def item(
        self, rel: str, front: dict, body: str = "第一段正文，介绍这项工作的基本情况。\n\n## 主要做法\n\n第二段正文。\n"
    ) -> Path:
        text = "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n\n" + body
        return self.write(rel, text)

    def config(self, **extra) -> None:
        """Change (or add) `extra:` settings of this portal's mkdocs.yml; other settings stay."""
        path = self.root / "mkdocs.yml"
        text = path.read_text(encoding="utf-8")
        for key, values in extra.items():
            start = text.index(f"  {key}:\n")
            end = start + len(f"  {key}:\n")
            while end < len(text) and text[end:].startswith("    "):
                end = text.index("\n", end) + 1
            lines = {line.split(":", 1)[0].strip(): line for line in text[start:end].splitlines()[1:] if ":" in line}
            lines.update({k: f"    {k}: {json.dumps(v, ensure_ascii=False)}" for k, v in values.items()})
            text = text[:start] + f"  {key}:\n" + "".join(line + "\n" for line in lines.values()) + text[end:]
        path.write_text(text, encoding="utf-8")

    def build(self, *args: str, today: str = TODAY, strict: bool = True) -> Build:
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PORTAL_TODAY": today}
        command = [sys.executable, "-m", "mkdocs", "build", *(["--strict"] if strict else []), *args]
        done = subprocess.run(command, cwd=self.root, env=env, capture_output=True, text=True, timeout=300)
        return Build(self.root, done.returncode, done.stdout + done.stderr)


def item_texts(site: Path) -> dict[str, str]:
    """Site path -> normalised title and body text of every item page of a built site: the
    ground truth that search results are measured against (substring matching)."""
    from portal.search import html_text, normalise

    texts = {}
    for path in site.glob("*/**/index.html"):
        html = path.read_text(encoding="utf-8")
        if 'class="portal-article__body"' in html:
            title = re.search(r"<h1>(.*?)</h1>", html).group(1)
            body = html[html.index('class="portal-article__body"') : html.index('class="portal-editorial"')]
            texts["/" + path.parent.relative_to(site).as_posix() + "/"] = normalise(
                html_text(title) + "\n" + html_text(body)
            )
    return texts


def contain_all(texts: dict[str, str], query: str) -> set[str]:
    """The paths whose text contains every (normalised) word of the query."""
    from portal.search import normalise

    words = normalise(query).split(" ")
    return {url for url, text in texts.items() if all(word in text for word in words)}


DEMO_DAY = "2026-11-22"  # the day the demo items were added


def demo_portal(root: Path) -> Portal:
    """A portal holding the demo items (tests/fixtures/demo), never the live content/."""
    portal = Portal(root)
    shutil.rmtree(portal.content)
    shutil.copytree(DEMO_CONTENT, portal.content)
    return portal


def build_demo(root: Path) -> Build:
    """The demo items, built in root as the README's first command builds a portal."""
    return demo_portal(root).build(today=DEMO_DAY)


@pytest.fixture
def portal(tmp_path: Path) -> Portal:
    return Portal(tmp_path)


PAYLOAD = '<img src=x onerror="window.__xss=1">'  # must reach every page as text, never as markup

# The items of the shared fixture portal (`site`) that the browser, link and HTML tests read.
ITEMS = {
    "news/2026/title-hit.md": (
        news(title="界别党支部建设经验", date="2026-03-01", column="经验交流"),
        "县政协依托界别党支部开展活动。界别党支部每月集中学习。\n\n## 做法\n\n界别党支部建在界别上。\n",
    ),
    "news/2026/apart.md": (
        news(title="界别活动组和临时党支部", date="2026-04-01"),
        "各界别活动组设立临时党支部，党支部指导界别开展协商。\n",
    ),
    "news/2025/older.md": (news(title="委员履职情况通报", date="2025-05-01"), "去年新组建的界别党支部运转良好。\n"),
    "news/2026/newer.md": (
        news(title="委员履职情况通报（二）", date="2026-05-01"),
        "今年新组建的界别党支部运转良好。\n",
    ),
    "news/2026/width.md": (
        news(title="ＡＢＣ 全角字母的稿件", date="2026-02-01", tags=["知联会"]),
        "知联会与ＸＹＺ研究会交流，关注新就业群体。\n",
    ),
    "news/2026/draft.md": (
        news(title="草稿中的界别党支部", date="2026-02-02", draft=True),
        "尚未发布的界别党支部内容。\n",
    ),
    "news/2026/payload.md": (news(title=f"标题{PAYLOAD}", date="2026-01-05"), f"正文里提到 `{PAYLOAD}` 这样的文字。\n"),
    # A review of 2025 published in 2026: the year filter finds it under both years.
    "reviews/2025/review.md": (review(organisation="县政协"), REVIEW_BODY),
}


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    """The fixture portal of ITEMS, built once for the session and served on loopback: (build, base URL).
    Tests only read it."""
    portal = Portal(tmp_path_factory.mktemp("search"))
    for rel, (front, body) in ITEMS.items():
        portal.item(rel, front, body=body)
    build = portal.build()
    assert build.returncode == 0, build.output
    with serve_directory(build.site) as base:
        yield build, base


def write_item(root, rel: str, front: dict, body: str = "第一段正文，介绍这项工作的基本情况。\n") -> None:
    """An item file under root/content (for portals that are not a `Portal`, e.g. a rehearsal clone)."""
    path = root / "content" / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n\n" + body, encoding="utf-8"
    )


def content_report(portal: Portal) -> str:
    """In-process, what the build's own reading and rules say about a fixture portal's content/
    (hooks/portal/engines/mkdocs.py runs the same `load_content` and `body_problems` before it builds): its errors
    as the build prints them, or "" when there are none."""
    from portal.content.reader import load_content
    from portal.problems import report
    from portal.rules.body import body_problems

    content = load_content(portal.content, "content")
    problems = content.problems + body_problems(content.items, "content", (), portal.content)
    errors = [problem for problem in problems if problem.level == "error"]
    return report(errors) if errors else ""


def tool(root: Path, name: str, *args: str) -> list[str]:
    """`python -m portal NAME ARGS`: a command-line tool of the portal at root (run with hooks_path(root))."""
    return [sys.executable, "-m", "portal", name, *args]


def hooks_path(root: Path) -> dict[str, str]:
    """The environment that lets a child process import root's portal package, as the Makefile and workflows set it."""
    return {"PYTHONPATH": str(root / "hooks")}


def in_process_build(portal: Portal, script: str) -> str:
    """Run `script` (a `mkdocs build` in one Python process, watched from inside) in the portal's
    folder; what it printed."""
    run = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(script)],
        capture_output=True,
        text=True,
        cwd=portal.root,
        env={"PATH": "/usr/bin:/bin", "NO_MKDOCS_2_WARNING": "1", "PORTAL_TODAY": "2026-06-01"},
    )
    assert run.returncode == 0, run.stdout + run.stderr
    return run.stdout


def run_check(portal: Portal, *args: str) -> subprocess.CompletedProcess:
    """`make check` of a fixture portal, as an editor's shell runs it."""
    command = tool(portal.root, "check") + ["--root", str(portal.root), *args]
    return subprocess.run(
        command,
        capture_output=True,
        text=True,
        env={"PORTAL_TODAY": TODAY, "PATH": "", **hooks_path(portal.root)},
        timeout=120,
    )


BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_browser() -> Path | None:
    """The Chromium-family browser the tests drive: $PORTAL_BROWSER, then $CHROME_BIN (GitHub's
    Ubuntu runner sets it to Google Chrome), then the first of BROWSER_NAMES on PATH
    (Debian's chromium; the runner's /usr/bin/chromium links to its Chromium build)."""
    for variable in ("PORTAL_BROWSER", "CHROME_BIN"):
        if value := os.environ.get(variable):
            return Path(value) if Path(value).is_file() else None
    for name in BROWSER_NAMES:
        if found := shutil.which(name):
            return Path(found)
    return None


CHROMIUM = find_browser()
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def browser():
    """The system's Chromium (find_browser) driven by Playwright. Locally, without them, browser
    tests skip with this message; in CI a skip fails the run (see pytest_sessionfinish)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("浏览器测试需要 playwright：make test 会安装它")
    if CHROMIUM is None:
        pytest.skip(
            "浏览器测试需要 Chromium 或 Chrome：运行 bash .ci/install-test-tools，"
            "或用环境变量 PORTAL_BROWSER 指定浏览器路径"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@contextmanager
def serve_directory(path: Path):
    """A static file server for a built site on 127.0.0.1; yields its base URL."""
    handler = partial(_QuietHandler, directory=str(path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def mkdocs_serve(root: Path, log: Path | None = None):
    """`mkdocs serve` of a portal on a free loopback port; yields its base URL once it answers.
    With `log`, what it prints goes to that file."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PORTAL_TODAY": TODAY}
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("wb") if log else subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}/"
    try:
        assert wait_for(base, "</html>"), "mkdocs serve did not answer"
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, text: str, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in fetch(url):
            return True
        time.sleep(0.3)
    return False


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def pytest_sessionfinish(session, exitstatus):
    """In CI every test must run: a skipped test fails the run."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = reporter.stats.get("skipped", []) if reporter else []
    if os.environ.get("CI") and skipped and session.exitstatus == 0:
        session.exitstatus = 1
        reporter.write_line(f"CI: {len(skipped)} 个测试被跳过，CI 要求全部运行。", red=True)
