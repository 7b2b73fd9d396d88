"""The demo items (a frozen copy in tests/fixtures/demo), the schema, layout, README and CI script.

Nothing here reads the live content/ or mkdocs.yml values: a maintainer replaces the demo items
and sets site_url and the identity on day one, and `check` plus the strict build verify them."""

from __future__ import annotations

import json
import re
import sys

import jsonschema
import pytest
import yaml

import portal.model as portal_model
from conftest import DEMO_CONTENT, REPO, build_demo
from portal.cli.schema import schema_files

SEED_REVIEW_FIGURES = {  # every figure Haining's 2025 review reports (shared/seeds/002)
    ("社情民意信息", "46", "篇"),
    ("被全国政协采用", "4", "篇"),
    ("人大代表", "9", "名"),
    ("政协委员", "20", "名"),
    ("人大议案", "8", "件"),
    ("个人提案", "25", "件"),
    ("集体提案", "1", "件"),
    ("义诊", "8", "场"),
    ("服务群众", "540", "人次"),
    ("新会员", "7", "名"),
    ("优秀会员", "31", "名"),
    ("岗位建功标兵", "18", "名"),
}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo items, built as the README's first command builds a portal."""
    build = build_demo(tmp_path_factory.mktemp("demo"))
    assert build.returncode == 0, build.output
    return build


def _front(path):
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_demo_builds_strict_with_every_item_published(demo):
    items = sorted(p.relative_to(DEMO_CONTENT).as_posix() for p in DEMO_CONTENT.rglob("*.md"))
    assert items
    assert f"{len(items)} 篇发布，0 篇暂不发布" in demo.output
    assert "WARNING" not in demo.output
    for rel in items:
        page = demo.page(rel[:-3])
        assert "portal-editorial" in page and "签发" in page


def test_demo_review_carries_every_figure_of_the_seed(demo):
    front = _front(DEMO_CONTENT / "reviews/2025/haining-zhilianhui.md")
    metrics = {(m["label"], str(m["value"]), m["unit"]) for m in front["metrics"]}
    assert SEED_REVIEW_FIGURES <= metrics
    assert front["signed_off_by"] == "叶春燕" and front["year"] == 2025
    page = demo.page("reviews/2025/haining-zhilianhui")
    assert page.count('class="portal-card') >= len(front["metrics"])


def test_demo_items_hide_what_the_seeds_hide():
    for path in (DEMO_CONTENT / "news").rglob("*.md"):
        text = path.read_text(encoding="utf-8")
        hides = bool(re.search(r"\\\*", text))
        assert hides == bool(_front(path).get("redacted")), path.name


def test_shipped_schemas_are_generated_from_the_model():
    for path, text in schema_files().items():
        assert path.read_text(encoding="utf-8") == text, f"{path.name} 已过期：运行 .venv/bin/python -m portal schema"


@pytest.mark.parametrize("kind,folder", [("news", "news"), ("review", "reviews")])
def test_schema_accepts_the_demo_items_and_rejects_what_the_build_rejects(kind, folder):
    schema = json.loads((REPO / f"content/.schema/{kind}.schema.json").read_text(encoding="utf-8"))
    for path in (DEMO_CONTENT / folder).rglob("*.md"):
        front = json.loads(json.dumps(_front(path), default=str))
        jsonschema.validate(front, schema)
        for broken in (
            {**front, "signed_of_by": "x"},
            {k: v for k, v in front.items() if k != "editor"},
            {**front, "draft": "yes"},
            {**front, "tags": "知联会"},
        ):
            with pytest.raises(jsonschema.ValidationError):
                jsonschema.validate(broken, schema)
    assert set(schema["properties"]) == set(portal_model.fields_for(kind))


def test_layout_and_pinned_dependencies():
    for name in (
        "mkdocs.yml",
        "docs",
        "content",
        "hooks",
        "overrides",
        "tests",
        ".github/workflows",
        "README.md",
        ".ci/run",
    ):
        assert (REPO / name).exists(), name
    for line in (REPO / "requirements.txt").read_text().splitlines():
        if line and not line.startswith("#"):
            assert re.match(r"^[\w.-]+==[\w.]+$", line), line
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    assert "font: false" in config and "- hooks/portal_hooks.py" in config and "language: zh" in config


def test_readme_gives_the_two_commands_and_ci_runs_the_test_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make build" in readme and "make test" in readme
    assert readme.index("编辑") < readme.index("English")
    assert re.search(r"^\s*make test\b", (REPO / ".ci/run").read_text(), re.M)


def test_a_maintainers_first_changes_break_no_test(tmp_path):
    """A real site_url, the real identity, a new item and a deleted demo item: the tests that
    once read live values (item count, example.org) still pass in that repository."""
    import shutil
    import subprocess

    for name in (
        "mkdocs.yml",
        "pytest.ini",
        "README.md",
        "requirements.txt",
        "content",
        "docs",
        "hooks",
        "overrides",
        "tests",
        ".ci",
        ".github",
    ):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
        else:
            shutil.copy2(source, tmp_path / name)
    config = tmp_path / "mkdocs.yml"
    text = re.sub(
        r"(?m)^site_url:.*$", "site_url: https://tongzhan.county.test/portal/", config.read_text(encoding="utf-8")
    )
    config.write_text(text.replace("县委统战部（演示）", "某县委统战部"), encoding="utf-8")
    first = next((tmp_path / "content/news").rglob("*.md"))
    for name in ("first-real-article.md", "second-real-article.md"):
        (first.parent / name).write_text(first.read_text(encoding="utf-8"), encoding="utf-8")
    next((tmp_path / "content/news").rglob("xian-*.md")).unlink()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_readers.py",
            "tests/test_demo.py",
            "tests/test_metrics.py",
            "-k",
            "not first_changes",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert " passed" in done.stdout and "failed" not in done.stdout
