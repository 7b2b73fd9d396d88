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

    def __str__(self) -> str:
        text = f"{self.file}:{max(self.line, 1)}: {self.message}"
        return f"{text} 修改建议：{self.hint}" if self.hint else text


def report(problems: list[Problem]) -> str:
    """All problems of a run, in file and line order, with a Chinese heading."""
    lines = [f"内容检查发现 {len(problems)} 个问题，请逐条修改后重新构建："]
    lines += [f"  {p}" for p in sorted(problems, key=lambda p: (p.file, p.line))]
    return "\n".join(lines)
