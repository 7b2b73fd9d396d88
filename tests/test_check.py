"""The `check` command: the build's rules without building, for editors and CI."""

from __future__ import annotations

import json

from conftest import REPO, TODAY, news, run_check

GOOD = "第一段正文。\n"


def _portal(portal):
    for column in ("工作动态", "经验交流", "2025·我们这样走过"):
        portal.item(
            f"news/2026/{len(column)}.md", news(title=f"{column}稿件", column=column, date="2026-05-30"), body=GOOD
        )


def test_check_reports_errors_in_chinese_with_file_line_and_hint_and_fails(portal):
    _portal(portal)
    portal.write(
        "news/2026/bad.md",
        "---\ntitle: 标题\ndate: 2026-02-30\ncolumn: 工作动态\norganisation: 县知联会\n"
        "editor: 甲\nresponsible_editor: 乙\n---\n\n正文。\n",
    )
    portal.item("news/2026/unfinished.md", news(), body="共召开\\*次会议，见[上一篇](nowhere.md)。\n")
    snapshot = {p: p.read_bytes() for p in portal.content.rglob("*") if p.is_file()}
    done = run_check(portal)
    assert done.returncode == 1
    assert (
        "[错误] content/news/2026/bad.md:3: 字段 date（发布日期）的值是“2026-02-30”（日历上没有这一天）" in done.stdout
    )
    assert "[错误] content/news/2026/unfinished.md:14: 正文中有未完成的占位符“*”" in done.stdout
    assert "[警告] content/news/2026/unfinished.md:14: 链接指向的稿件“nowhere.md”不存在。" in done.stdout
    assert "修改建议：" in done.stdout and "检查完成：错误 2 个" in done.stdout
    assert {p: p.read_bytes() for p in portal.content.rglob("*") if p.is_file()} == snapshot


def test_check_json_and_github_annotations(portal):
    _portal(portal)
    portal.item("news/2026/bad.md", news(column="工作动太"), body=GOOD)
    records = json.loads(run_check(portal, "--json").stdout)
    error = next(r for r in records if r["level"] == "error")
    assert error["file"] == "content/news/2026/bad.md" and error["line"] == 4 and "工作动太" in error["message"]
    annotations = run_check(portal, "--github").stdout.splitlines()
    assert any(a.startswith("::error file=content/news/2026/bad.md,line=4,title=内容检查::") for a in annotations)


def test_check_reports_empty_and_stale_columns_and_home(portal):
    portal.item("news/2025/old.md", news(date="2025-01-05"), body=GOOD)
    out = run_check(portal).stdout
    assert "栏目“经验交流”没有已发布的稿件（空白栏目" in out
    assert "栏目“工作动态”已有 512 天没有更新（最近一篇 2025-01-05）" in out
    assert "首页已有 512 天没有新稿件" in out
    assert run_check(portal).returncode == 0  # warnings alone do not fail the check


def test_check_tells_about_bom_and_crlf_without_refusing(portal):
    _portal(portal)
    text = (
        "---\ntitle: 标题\ndate: 2026-05-01\ncolumn: 工作动态\norganisation: 县知联会\n"
        "editor: 甲\nresponsible_editor: 乙\nsigned_off_by: 丙\n---\n\n正文。\n"
    )
    portal.write("news/2026/windows.md", b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    done = run_check(portal)
    assert done.returncode == 0
    assert "[提示] content/news/2026/windows.md:1: 文件开头有 BOM" in done.stdout
    assert "[提示] content/news/2026/windows.md:1: 文件使用 Windows 换行（CRLF）" in done.stdout
    assert portal.build().returncode == 0


def _problems(lines: str, needle: str) -> set[str]:
    """The `file:line: message` of each problem line that mentions `needle`, as check and build print them."""
    found = set()
    for line in lines.splitlines():
        if needle in line and "content/" in line:
            found.add(line[line.index("content/") :].split(" 修改建议")[0])
    return found


def test_check_and_build_agree_on_anchors_of_items_and_docs_pages(portal):
    portal.item("news/2026/a.md", news(title="甲"), body="第一段。\n\n## Plan {#plan}\n\n正文。\n")
    portal.item(
        "news/2026/b.md",
        news(title="乙"),
        body="见[甲](a.md#no-such-anchor)和[甲的做法](a.md#plan)。\n\n"
        "也见[关于](../../about.md#nowhere)和[栏目](../../about.md#_1)。\n",
    )
    checked = run_check(portal)
    built = portal.build()
    assert "Traceback" not in checked.stdout + checked.stderr
    from_check, from_build = _problems(checked.stdout, "找不到"), _problems(built.output, "找不到")
    assert (
        from_check
        == from_build
        == {
            "content/news/2026/b.md:14: 链接“a.md#no-such-anchor”中的“#no-such-anchor”在目标页面中找不到。",
            "content/news/2026/b.md:16: 链接“../../about.md#nowhere”中的“#nowhere”在目标页面中找不到。",
        }
    )
    assert built.returncode == 1 and checked.returncode == 0  # warnings: --strict stops, check tells


def test_check_reads_mkdocs_yml_as_the_build_does(portal):
    """A quoted number in extra.identity is a text for MkDocs; check used to read it as a number and die."""
    _portal(portal)
    portal.config(identity={"contact": "12345678"})
    assert '    contact: "12345678"' in (portal.root / "mkdocs.yml").read_text(encoding="utf-8")
    done = run_check(portal)
    assert "Traceback" not in done.stdout + done.stderr
    assert done.returncode == 0 and "检查完成：错误 0 个" in done.stdout
    assert portal.build().returncode == 0


def test_check_stops_where_the_build_stops_in_chinese_without_a_traceback(portal):
    _portal(portal)
    portal.config(identity={"contact": ""})
    done = run_check(portal)
    assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr
    assert "[错误] mkdocs.yml:1: extra.identity（网站标识与联系方式）没有填写 contact" in done.stdout
    assert portal.build().returncode == 1
    config = portal.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("site_url:", "site_url: [", 1), encoding="utf-8")
    done = run_check(portal)
    assert done.returncode == 1 and "Traceback" not in done.stdout + done.stderr
    assert "[错误] mkdocs.yml:" in done.stdout and "不是合法的 YAML" in done.stdout


def test_an_unexpected_error_is_told_in_chinese_naming_the_file():
    from portal.cli.check import unexpected

    def read(file):
        raise ValueError("boom")

    try:
        read("content/news/2026/a.md")
    except ValueError as error:
        message = unexpected(error, REPO)
    assert message.startswith("[错误] 读取 content/news/2026/a.md 时遇到了检查规则没有预料到的问题（ValueError: boom）")


def test_check_warns_where_mkdocs_warns_about_its_configuration(portal):
    _portal(portal)
    config = portal.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "\nunknown_setting: 1\n", encoding="utf-8")
    done = run_check(portal, "--strict")
    assert done.returncode == 1 and "[警告] mkdocs.yml:1: 配置有可疑之处（MkDocs 的说明：" in done.stdout
    assert "unknown_setting" in done.stdout
    assert portal.build().returncode == 1  # --strict stops on it too


def test_check_reuses_the_build_cache_read_only(portal, monkeypatch):
    """After a build, `check` (and the publish summary, which runs it) reads items and their
    proofreading from the build's cache: nothing is parsed or proofread again, the same
    problems come out, and the cache is not written. An edited item is read afresh."""
    import portal.cli.check as portal_check
    import portal.content.reader as portal_content
    import portal.rules.body as portal_rules

    _portal(portal)
    edited = portal.item(
        "news/2026/typo.md",
        news(title="校对稿件", date="2026-05-30"),
        body="县知联会坚持把党的领导作为第一要求，加党强对各级组织的领导。\n",
    )
    assert portal.build(strict=False).returncode == 0
    cache = portal.root / ".cache/portal"
    [database] = cache.glob("*.sqlite")  # (SQLite's -wal/-shm files are its readers' locks)
    before = database.read_bytes()
    calls = {"read": 0, "rules": 0}

    def counted(name, function):
        def wrapper(*args, **kwargs):
            calls[name] += 1
            return function(*args, **kwargs)

        return wrapper

    monkeypatch.setenv("PORTAL_TODAY", TODAY)
    monkeypatch.setattr(portal_content, "read_item", counted("read", portal_content.read_item))
    monkeypatch.setattr(portal_rules, "item_problems", counted("rules", portal_rules.item_problems))
    problems = portal_check.check(portal.root)
    assert [p.text for p in problems if p.rule == "proofread.transposition"] == ["加党强"]
    assert calls == {"read": 0, "rules": 0}
    assert database.read_bytes() == before and [p.name for p in cache.glob("*.sqlite")] == [database.name]

    edited.write_text(edited.read_text(encoding="utf-8").replace("加党强", "加强党"), encoding="utf-8")
    problems = portal_check.check(portal.root)
    assert calls == {"read": 1, "rules": 1}
    assert not [p for p in problems if p.rule == "proofread.transposition"]
