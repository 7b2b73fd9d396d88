"""What a long build tells the editor: items validated, pages written, elapsed time,
and one summary line at the end."""

from __future__ import annotations

import logging
import time

EVERY = 1000  # pages between progress lines


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class Progress:
    def __init__(self, log: logging.Logger) -> None:
        self.log = log
        self.started = time.monotonic()
        self.pages = 0
        self.total = 0
        self.warnings = _Counter()
        logging.getLogger("mkdocs").addHandler(self.warnings)

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started

    def validated(self, items: int, published: int, held_back: int) -> None:
        self.log.info(
            f"已校验 {items} 篇稿件：{published} 篇发布，{held_back} 篇暂不发布（草稿、未签发或未到发布日期）"
            f"（{self.seconds:.1f} 秒）。"
        )

    def page_written(self) -> None:
        self.pages += 1
        if self.pages % EVERY == 0:
            self.log.info(f"已生成 {self.pages}/{self.total} 个页面（{self.seconds:.1f} 秒）。")

    def close(self) -> None:
        """Stop counting warnings (a finished or failed build; safe to call again)."""
        logging.getLogger("mkdocs").removeHandler(self.warnings)

    def finish(self, published: int, held_back: int) -> None:
        self.close()
        self.log.info(
            f"构建完成：发布 {published} 篇，暂不发布 {held_back} 篇，警告 {self.warnings.count} 个，"
            f"页面 {self.pages} 个，用时 {self.seconds:.1f} 秒。"
        )
