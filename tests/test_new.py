"""`make new`: a correctly filled item from the catalogue, dated today in Beijing, named in pinyin."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys

import yaml

from conftest import REPO, TODAY, hooks_path, tool
from portal.model import beijing_date


def new(portal, *args: str, **env: str):
    return subprocess.run(
        tool(portal.root, "new", "--root", str(portal.root), *args),
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        env={
            **{k: v for k, v in os.environ.items() if k not in ("TITLE", "EDITOR", "RESPONSIBLE")},
            "PORTAL_TODAY": TODAY,
            **hooks_path(portal.root),
            **env,
        },
    )


def _front(path):
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])


def test_make_new_writes_an_item_that_builds_and_is_previewed_until_signed(portal):
    done = new(
        portal,
        "--title",
        "县知联会召开理事会：部署全年工作",
        "--editor",
        "张三",
        "--responsible-editor",
        "李四",
        "--tags",
        "知联会，理事会",
    )
    assert done.returncode == 0, done.stderr
    path = portal.content / "news/2026/xian-zhi-lian-hui-zhao-kai-li-shi.md"
    assert f"已新建 content/news/2026/{path.name}" in done.stdout
    front = _front(path)
    assert front["title"] == "县知联会召开理事会：部署全年工作" and str(front["date"]) == TODAY
    assert front["column"] == "工作动态" and front["organisation"] == "县知联会"  # the first declared in the catalogue
    assert front["editor"] == "张三" and front["responsible_editor"] == "李四" and front["signed_off_by"] is None
    assert front["tags"] == ["知联会", "理事会"] and "redacted" not in front
    build = portal.build()
    assert build.returncode == 0, build.output
    assert "已校验 1 篇稿件：0 篇发布，1 篇暂不发布" in build.output  # unsigned: not published yet
    # The same title again: a second file, never an overwrite.
    again = new(
        portal,
        "--title",
        "县知联会召开理事会：部署全年工作",
        "--editor",
        "张三",
        "--responsible-editor",
        "李四",
        "--column",
        "经验交流",
        "--organisation",
        "3",
    )
    assert again.returncode == 0, again.stderr
    second = _front(portal.content / "news/2026/xian-zhi-lian-hui-zhao-kai-li-shi-2.md")
    assert second["column"] == "经验交流" and second["organisation"] == "海宁市知联会"
    assert _front(path)["column"] == "工作动态"


def test_make_new_refuses_in_chinese_what_would_not_be_a_correct_item(portal):
    done = new(portal, "--title", "标题", "--editor", "张三", "--responsible-editor", "李四", "--column", "工作动太")
    assert (
        done.returncode == 2
        and "栏目“工作动太”不是 content/catalogue.yml 中声明的栏目。是不是“工作动态”？" in done.stderr
    )
    done = new(portal, "--title", "标题")
    assert done.returncode == 2 and "缺少 EDITOR（--editor）、RESPONSIBLE（--responsible-editor）" in done.stderr
    assert not (portal.content / "news").exists()


def test_make_new_takes_make_variables(portal, tmp_path):
    shutil.copy2(REPO / "Makefile", portal.root / "Makefile")
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin/python").write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n')
    (venv / "bin/python").chmod(0o755)
    (venv / ".runtime").touch()
    shutil.copy2(REPO / "requirements.txt", portal.root / "requirements.txt")
    os.utime(venv / ".runtime")  # newer than requirements.txt: make installs nothing
    done = subprocess.run(
        [
            "make",
            "new",
            f"VENV={venv}",
            "TITLE=政协委员调研养老服务",
            "EDITOR=张三",
            "RESPONSIBLE=李四",
            "ORG=县政协",
            "DATE=2026-05-20",
        ],
        cwd=portal.root,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    front = _front(portal.content / "news/2026/zheng-xie-wei-yuan-diao-yan-yang-lao.md")
    assert front["organisation"] == "县政协" and str(front["date"]) == "2026-05-20"


def test_the_publishing_day_is_beijing_time():
    assert beijing_date(dt.datetime(2026, 3, 1, 17, 0, tzinfo=dt.timezone.utc)) == dt.date(2026, 3, 2)
    assert beijing_date(dt.datetime(2026, 3, 1, 15, 59, tzinfo=dt.timezone.utc)) == dt.date(2026, 3, 1)


def test_make_new_defaults_to_the_first_column_that_is_not_finished(portal):
    portal.write(
        "catalogue.yml",
        "columns:\n  - name: 2025·我们这样走过\n    slug: review-2025\n    archived: true\n"
        "  - name: 工作动态\n    slug: gongzuo-dongtai\norganisations:\n  - name: 县政协\n    slug: xian-zhengxie\n",
    )
    done = new(portal, "--title", "标题", "--editor", "张三", "--responsible-editor", "李四")
    assert done.returncode == 0, done.stderr
    assert _front(portal.content / "news/2026/biao-ti.md")["column"] == "工作动态"
