"""`python -m portal check|schema|new|mirror|publish …`, with hooks/ on the path:

    PYTHONPATH=hooks .venv/bin/python -m portal check --json

Each command keeps its own options (`python -m portal check --help`).
"""

from __future__ import annotations

import importlib
import sys

COMMANDS = {
    "check": "检查 content/ 中的稿件（按构建的全部规则，不生成网站）",
    "schema": "生成 content/.schema/ 中的 JSON Schema（--readme：更新 README 的字段表）",
    "new": "新建一篇填写完整的新闻稿件",
    "mirror": "把 site/ 同步到境内对象存储（S3 兼容）",
    "publish": "发布工作流的检查、构建摘要和更新提醒（preflight / summary / freshness）",
}


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in COMMANDS:
        lines = "\n".join(f"  {name:8} {what}" for name, what in COMMANDS.items())
        print(f"用法：python -m portal 命令 [选项]\n{lines}", file=sys.stderr)
        return 0 if argv[:1] in (["-h"], ["--help"]) else 2
    sys.argv[0] = f"python -m portal {argv[0]}"  # argparse's usage line names the command
    return importlib.import_module(f"portal.cli.{argv[0]}").main(argv[1:])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
