"""The synthetic corpus for benchmarks (tests/benchmarks/corpus.py): deterministic,
never writes over content, and valid for the portal down to every review figure."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from benchmarks.corpus import generate, main
from conftest import Portal

# What search benchmarks look for; each must occur in generated bodies.
DOMAIN_WORDS = (
    "知联会",
    "社情民意",
    "界别党支部",
    "新就业群体",
    "民主监督",
    "政协委员",
    "参政议政",
    "同心",
    "乡村振兴",
    "协商议政",
    "统一战线",
    "党外知识分子",
    "委员之家",
    "提案办理",
)
DATE_LINE = re.compile(r"^date: (\d{4}-\d{2}-\d{2})$", re.M)


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_gives_the_same_bytes_another_seed_differs(tmp_path):
    first = generate(tmp_path / "a", 120, seed=7)
    second = generate(tmp_path / "b", 120, seed=7)
    other = generate(tmp_path / "c", 120, seed=8)
    a, b, c = tree(tmp_path / "a"), tree(tmp_path / "b"), tree(tmp_path / "c")
    assert a == b
    assert first == second
    assert a != c
    items = [name for name in a if name.endswith(".md")]
    assert sum(a[name] != c.get(name) for name in items) > len(items) // 2
    assert first.bytes == sum(map(len, a.values())) and other.bytes == sum(map(len, c.values()))


def test_pictures_are_chosen_apart_and_the_same_for_the_same_seed(tmp_path):
    plain = tree(tmp_path / "plain") if generate(tmp_path / "plain", 50, seed=4) else {}
    stats = generate(tmp_path / "a", 50, seed=4, pictures=0.2, picture_size=(64, 48))
    generate(tmp_path / "b", 50, seed=4, pictures=0.2, picture_size=(64, 48))
    a = tree(tmp_path / "a")
    assert a == tree(tmp_path / "b")
    pictures = sorted(name for name in a if name.endswith(".jpg"))
    assert stats.pictures == len(pictures) == 10 and len({a[name] for name in pictures}) == 10
    for name, data in plain.items():  # an item without a picture is byte for byte the one of a corpus without any
        if name[: -len(".md")] + ".jpg" not in a:
            assert a[name] == data
    for name in pictures:
        item = a[name[: -len(".jpg")] + ".md"].decode("utf-8")
        assert re.search(r"\n\n!\[[^\]]+\]\(" + re.escape(name.rsplit("/", 1)[1]) + r"\)\n\n## ", item)
    with pytest.raises(ValueError):
        generate(tmp_path / "c", 5, pictures=2)


def test_refuses_a_folder_that_has_files(tmp_path):
    target = tmp_path / "content"
    (target / "news").mkdir(parents=True)
    kept = target / "news" / "editor.md"
    kept.write_text("编辑写的稿件", encoding="utf-8")
    with pytest.raises(FileExistsError):
        generate(target, 5)
    assert tree(target) == {"news/editor.md": "编辑写的稿件".encode("utf-8")}
    with pytest.raises(FileExistsError):
        generate(kept, 5)  # a file is not a folder either
    assert main([str(target), "5"]) == 2
    assert tree(target) == {"news/editor.md": "编辑写的稿件".encode("utf-8")}

    empty = tmp_path / "empty"
    empty.mkdir()
    assert generate(empty, 3).items == 3


def test_counts_layout_and_dates(tmp_path, capsys):
    stats = generate(tmp_path / "c", 500, seed=2)
    files = tree(tmp_path / "c")
    news = [name for name in files if re.fullmatch(r"news/\d{4}/item-\d{6}\.md", name)]
    reviews = [name for name in files if re.fullmatch(r"reviews/\d{4}/item-\d{6}\.md", name)]
    assert "catalogue.yml" in files and len(files) == 1 + len(news) + len(reviews)
    assert (stats.items, stats.news, stats.reviews, stats.drafts) == (500, len(news), len(reviews), 10)
    assert stats.reviews == 40 and stats.news == 460
    assert sum(b"\ndraft: true\n" in files[name] for name in news + reviews) == stats.drafts
    dates = [DATE_LINE.search(files[name].decode("utf-8")).group(1) for name in news + reviews]
    assert min(dates) >= "2016-01-01" and max(dates) <= "2026-05-31"
    assert all(name.split("/")[1] == DATE_LINE.search(files[name].decode()).group(1)[:4] for name in news)

    assert main([str(tmp_path / "cli"), "12", "--seed", "3"]) == 0
    assert "items=12 " in capsys.readouterr().out


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """About 60 generated items in place of the Portal's content/, built with --strict."""
    portal = Portal(tmp_path_factory.mktemp("corpus"))
    shutil.rmtree(portal.content)
    stats = generate(portal.content, 60, seed=3, pictures=0.1, picture_size=(400, 300))
    return stats, portal.build(), tree(portal.content)


def test_generated_corpus_builds_strict_without_warnings(built):
    stats, build, files = built
    assert stats.reviews >= 3 and stats.drafts >= 1
    assert build.returncode == 0, build.output
    assert "WARNING" not in build.output, build.output
    assert f"：{stats.published} 篇发布，{stats.drafts} 篇暂不发布" in build.output
    pictures = [name for name in files if name.endswith(".jpg")]
    assert stats.pictures == len(pictures) == 6
    for name in pictures:  # each published with its item, as a <picture>
        item = files[name[: -len(".jpg")] + ".md"].decode("utf-8")
        if "\ndraft: true\n" not in item:
            page = (build.site / name[: -len(".jpg")] / "index.html").read_text(encoding="utf-8")
            assert "<picture>" in page and 'alt="' in page
    for name, data in files.items():
        if name.endswith(".md"):
            page = build.site / name[: -len(".md")] / "index.html"
            assert page.is_file() == (b"\ndraft: true\n" not in data), name


def test_domain_words_occur(built):
    _, _, files = built
    bodies = [data.decode("utf-8").split("\n---\n", 1)[1] for name, data in files.items() if name.endswith(".md")]
    for word in DOMAIN_WORDS:
        assert any(word in body for body in bodies), word
