"""Problems found in editors' content, reported in Chinese with file and line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    file: str  # as the editor sees it, e.g. content/news/2026/a.md
    line: int  # 1-based; 0 (shown as 1) when the whole file is concerned
    message: str  # what is wrong: names the key, what was found, what is expected
    hint: str = ""  # how to fix it
    level: str = "error"  # error: stops every build; warning: stops `--strict`; notice: only told
    rule: str = ""  # a stable id for tools, e.g. proofread.formulation (see RULES in portal.cli.check)
    column: int = 0  # 1-based column of `text` in the line; 0 when the whole line is concerned
    text: str = ""  # the offending span as written

    def __post_init__(self) -> None:
        if not self.rule:
            object.__setattr__(self, "rule", default_rule(self.message))

    def __str__(self) -> str:
        text = f"{self.file}:{max(self.line, 1)}: {self.message}"  # the column is in --json and --github
        return f"{text} 修改建议：{self.hint}" if self.hint else text


# Rule ids of problems created without one, recognised by their message: stable for tools.
MESSAGE_RULES = (
    ("占位符", "placeholder"),
    ("链接指向", "link"),
    ("HTML", "html"),
    ("数据", "figures"),
    ("图片", "image"),
    ("栏目", "column"),
    ("首页", "home"),
    ("BOM", "encoding"),
    ("UTF-8", "encoding"),
    ("换行", "encoding"),
    ("字段", "front-matter"),
    ("前置元数据", "front-matter"),
    ("网址", "url"),
)


def default_rule(message: str) -> str:
    return next((rule for needle, rule in MESSAGE_RULES if needle in message), "content")


def report(problems: list[Problem]) -> str:
    """All problems of a run, in file and line order, with a Chinese heading."""
    lines = [f"内容检查发现 {len(problems)} 个问题，请逐条修改后重新构建："]
    lines += [f"  {p}" for p in sorted(problems, key=lambda p: (p.file, p.line, p.column))]
    return "\n".join(lines)
