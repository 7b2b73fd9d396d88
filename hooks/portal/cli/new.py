"""`make new`: a new news item, correctly filled, ready to write.

    make new                                    # asks, with defaults shown in ［ ］
    make new TITLE=县知联会召开理事会 EDITOR=张三 RESPONSIBLE=李四 [COLUMN=工作动态] [ORG=县知联会] [DATE=2026-03-02]
    .venv/bin/python -m portal new --title … --editor … --responsible-editor …

The column and organisation come from content/catalogue.yml (default: the first declared),
the date is today in Beijing time, the file name is the title in pinyin
(content/news/<year>/<pinyin>.md, never overwriting a file). The item is unsigned, so it
is previewed but not published until `signed_off_by` is filled in. The text written is
validated by the build's own rules before it is saved.
"""

from __future__ import annotations

import argparse
import datetime as dt
import difflib
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]  # mkdocs.yml's folder: hooks/portal/cli/ is three below

import yaml  # noqa: E402

import portal.model as model  # noqa: E402
from portal.content.names import pinyin_slug  # noqa: E402
from portal.content.reader import CATALOGUE, load_catalogue, read_item  # noqa: E402

BODY = "在这里写正文。每段写成一行，段与段之间可以不空行；小标题以 ## 开头。\n"
PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#]*$")


class Refused(Exception):
    """A value the editor gave that cannot make a correct item (message in Chinese)."""


def yaml_value(text: str) -> str:
    """A front-matter value, quoted when YAML would misread it plain."""
    node = yaml.compose(text, Loader=yaml.SafeLoader) if PLAIN.match(text) else None
    if node is not None and node.tag == "tag:yaml.org,2002:str" and node.value == text:
        return text
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def choose(name: str, value: str | None, entries: dict[str, model.Entry], label: str) -> model.Entry:
    if value is None:  # the first declared, leaving out finished series
        return next((entry for entry in entries.values() if not entry.archived), next(iter(entries.values())))
    if value.isdigit() and 1 <= int(value) <= len(entries):
        return list(entries.values())[int(value) - 1]
    if value in entries:
        return entries[value]
    close = difflib.get_close_matches(value, entries, n=1, cutoff=0.5)
    hint = f"是不是“{close[0]}”？" if close else f"可用的{label}：" + "、".join(entries)
    raise Refused(f"{name}“{value}”不是 content/{CATALOGUE} 中声明的{label}。{hint}")


def item_text(
    title: str,
    day: dt.date,
    column: model.Entry,
    organisation: model.Entry,
    editor: str,
    responsible: str,
    tags: list[str],
) -> str:
    lines = [
        "---",
        f"title: {yaml_value(title)}",
        f"date: {day.isoformat()}",
        f"column: {yaml_value(column.name)}",
        f"organisation: {yaml_value(organisation.name)}",
        f"source: {yaml_value(organisation.name)}",
        f"editor: {yaml_value(editor)}",
        f"responsible_editor: {yaml_value(responsible)}",
        "# 签发人：审核签发后填写，填写后稿件才会发布（之前只能在 make serve 中预览）。",
        "signed_off_by:",
    ]
    if tags:
        lines.append("tags: [" + ", ".join(yaml_value(tag) for tag in tags) + "]")
    return "\n".join(lines + ["---", "", BODY])


def free_path(folder: Path, stem: str) -> Path:
    """folder/stem.md, or stem-2.md, stem-3.md … when taken (a file or a folder of that name)."""
    candidate, number = stem, 2
    while (folder / f"{candidate}.md").exists() or (folder / candidate).exists():
        candidate, number = f"{stem}-{number}", number + 1
    return folder / f"{candidate}.md"


def create(
    content_dir: Path,
    title: str,
    editor: str,
    responsible: str,
    column: str | None = None,
    organisation: str | None = None,
    day: dt.date | None = None,
    tags: list[str] | None = None,
    name: str | None = None,
) -> Path:
    """Write the new item and return its path; Refused when a value cannot make a correct item."""
    catalogue, problems = load_catalogue(content_dir / CATALOGUE, f"content/{CATALOGUE}")
    if problems:
        raise Refused("目录文件有问题，先运行 make check 修改：\n" + "\n".join(f"  {p}" for p in problems))
    for value, what in ((title, "标题"), (editor, "编辑"), (responsible, "责编")):
        if not value or not value.strip():
            raise Refused(f"没有填写{what}。")
    chosen_column = choose("栏目", column, catalogue.columns, "栏目")
    chosen_organisation = choose("单位", organisation, catalogue.organisations, "单位")
    day = day or model.today()  # Beijing time
    stem = pinyin_slug(name or title) or "gaojian"
    path = free_path(content_dir / "news" / str(day.year), stem)
    text = item_text(
        title.strip(),
        day,
        chosen_column,
        chosen_organisation,
        editor.strip(),
        responsible.strip(),
        [t.strip() for t in tags or [] if t.strip()],
    )
    rel = path.relative_to(content_dir).as_posix()
    item, problems = read_item(text.encode("utf-8"), rel, f"content/{rel}", model.NEWS, catalogue)
    if item is None or any(p.level == "error" for p in problems):
        raise Refused("按这些内容写出的稿件不合规：\n" + "\n".join(f"  {p}" for p in problems))
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8", newline="\n") as file:  # never overwrites
        file.write(text)
    return path


def _content_dir(root: Path) -> Path:
    config = yaml.load((root / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader) or {}
    portal = ((config.get("extra") or {}).get("portal") or {}) if isinstance(config, dict) else {}
    return (root / (portal.get("content_dir") or "content")).resolve()


def _ask(prompt: str, default: str | None, interactive: bool) -> str | None:
    if not interactive:
        return default
    shown = f"{prompt}［{default}］：" if default else f"{prompt}："
    answer = input(shown).strip()
    return answer or default


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="新建一篇新闻稿件（栏目、单位取自目录，日期为北京时间今天，文件名为标题拼音）。"
    )
    parser.add_argument("--title", help="标题")
    parser.add_argument("--column", help="栏目名称（或目录中的序号），默认第一个栏目")
    parser.add_argument("--organisation", help="单位名称（或目录中的序号），默认第一个单位")
    parser.add_argument("--editor", help="编辑")
    parser.add_argument("--responsible-editor", help="责编")
    parser.add_argument("--date", help="发布日期 YYYY-MM-DD，默认北京时间今天")
    parser.add_argument("--tags", help="标签，用逗号分隔")
    parser.add_argument("--name", help="文件名（拼音），默认由标题生成")
    parser.add_argument("--root", type=Path, default=ROOT, help="mkdocs.yml 所在的文件夹")
    args = parser.parse_args(argv)
    for key, variable in (
        ("title", "TITLE"),
        ("column", "COLUMN"),
        ("organisation", "ORG"),
        ("editor", "EDITOR"),
        ("responsible_editor", "RESPONSIBLE"),
        ("date", "DATE"),
        ("tags", "TAGS"),
        ("name", "NAME"),
    ):
        if getattr(args, key) is None and os.environ.get(variable):  # make new TITLE=… (make passes them on)
            setattr(args, key, os.environ[variable])
    content_dir = _content_dir(args.root)
    interactive = sys.stdin.isatty()
    try:
        catalogue, _ = load_catalogue(content_dir / CATALOGUE, f"content/{CATALOGUE}")
        if interactive and args.column is None and catalogue.columns:
            print("栏目：" + "  ".join(f"{n}. {name}" for n, name in enumerate(catalogue.columns, 1)))
        first_column = choose("栏目", None, catalogue.columns, "栏目").name if catalogue.columns else None
        column = _ask("栏目（名称或序号）", args.column or first_column, interactive and not args.column)
        if interactive and args.organisation is None and catalogue.organisations:
            print("单位：" + "  ".join(f"{n}. {name}" for n, name in enumerate(catalogue.organisations, 1)))
        first_organisation = (
            choose("单位", None, catalogue.organisations, "单位").name if catalogue.organisations else None
        )
        organisation = _ask(
            "单位（名称或序号）", args.organisation or first_organisation, interactive and not args.organisation
        )
        title = _ask("标题", args.title, interactive and not args.title)
        editor = _ask("编辑", args.editor, interactive and not args.editor)
        responsible = _ask("责编", args.responsible_editor, interactive and not args.responsible_editor)
        try:
            day = dt.date.fromisoformat(args.date) if args.date else None
        except ValueError:
            raise Refused(f"日期“{args.date}”应写成 YYYY-MM-DD，例如 2026-03-02。") from None
        missing = [
            flag
            for flag, value in (
                ("TITLE（--title）", title),
                ("EDITOR（--editor）", editor),
                ("RESPONSIBLE（--responsible-editor）", responsible),
            )
            if not value
        ]
        if missing:
            raise Refused(
                "缺少 " + "、".join(missing) + "。例如：make new TITLE=县知联会召开理事会 EDITOR=张三 RESPONSIBLE=李四"
            )
        tags = re.split(r"[,，、]", args.tags) if args.tags else []
        path = create(content_dir, title, editor, responsible, column, organisation, day, tags, args.name)
    except Refused as refused:
        print(f"未新建稿件：{refused}", file=sys.stderr)
        return 2
    rel = path.relative_to(content_dir).as_posix()
    shown = path.relative_to(args.root.resolve()).as_posix() if path.is_relative_to(args.root.resolve()) else str(path)
    print(
        f"已新建 {shown}\n  写好正文后运行 make check；make serve 预览：http://127.0.0.1:8000/{rel[:-3]}/\n"
        "  审核签发后在 signed_off_by 填写签发人，稿件才会发布。"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
