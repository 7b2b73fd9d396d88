"""mkdocs.yml as the build reads it, for `check` and the other command-line tools.

The engine's own loader and validation (for MkDocs, `mkdocs.config.load_config` through the
adapter's `load_config`: its YAML loader with !ENV and INHERIT, its types, its defaults), then the
changes the portal makes to the engine's configuration before anything reads it (`prepare`,
called by the build's on_config too). So a value the build
accepts — `contact: "12345678"` — is the same value for `check`, and the Markdown extensions
that give headings their ids (for anchors) are the same list.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Callable

from portal.problems import Problem

PARAGRAPHS = "portal.content.paragraphs"  # one line, one paragraph (portal/content/paragraphs.py)
CONFIG = "mkdocs.yml"


class ConfigFailure(Exception):
    """Raised by an engine's loader: the configuration stops the build (the loader's message,
    or "" when the reasons were logged)."""


class ConfigProblems(Exception):
    """mkdocs.yml cannot be read as the build reads it: the problems, in Chinese."""

    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


def prepare(config) -> None:
    """What the portal changes in MkDocs' configuration (build and `check` alike)."""
    if PARAGRAPHS not in config.markdown_extensions:
        config.markdown_extensions.append(PARAGRAPHS)


def link_extensions(config) -> list[str]:
    """The Markdown extensions that give a page's headings their ids, for anchor checks."""
    return [name for name in config.markdown_extensions if isinstance(name, str)]


class _Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def load_build_config(root: Path, load: Callable[[Path], object]) -> tuple[object, list[Problem]]:
    """The engine's configuration of the portal in `root` (`load`: the engine's loader, which
    validates and prepares it as a build does), and its warnings (which stop a strict build).
    Raises ConfigProblems (in Chinese, naming mkdocs.yml) when the build would stop on it."""
    path = root / CONFIG
    if not path.is_file():
        raise ConfigProblems(
            [
                Problem(
                    CONFIG,
                    0,
                    f"找不到网站配置文件 {path}。",
                    "在网站根目录（mkdocs.yml 所在的文件夹）运行，或用 --root 指定它。",
                )
            ]
        )
    collect = _Collect()
    logger = logging.getLogger()  # the engine's loggers pass their records up to the root
    logger.addHandler(collect)
    try:
        config = load(path)
    except ConfigFailure as error:
        if str(error):
            raise ConfigProblems([_yaml_problem(str(error))]) from None
        problems = [
            Problem(
                CONFIG,
                0,
                f"配置有误（MkDocs 的说明：{record.getMessage()}）。",
                "对照 README 的说明修改 mkdocs.yml 中的这一项。",
            )
            for record in collect.records
            if record.levelno >= logging.ERROR
        ]
        problems = problems or [Problem(CONFIG, 0, "配置有误，MkDocs 无法读取。", "对照 README 修改 mkdocs.yml。")]
        raise ConfigProblems(problems) from None
    finally:
        logger.removeHandler(collect)
    warnings = [
        Problem(
            CONFIG,
            0,
            f"配置有可疑之处（MkDocs 的说明：{record.getMessage()}）。",
            "对照 README 的说明修改或删除 mkdocs.yml 中的这一项；mkdocs build --strict 会因此停止。",
            "warning",
        )
        for record in collect.records
        if record.levelno == logging.WARNING
    ]
    return config, warnings


def _yaml_problem(text: str) -> Problem:
    found = re.search(r"line (\d+)", text)
    return Problem(
        CONFIG,
        int(found.group(1)) if found else 0,
        f"不是合法的 YAML，MkDocs 无法读取（MkDocs 的说明：{text.splitlines()[0] if text else ''}）。",
        "检查这一行（及上一行）的缩进、冒号和引号。",
    )
