"""Where a build writes: never into a source folder, one build at a time, no stale leftovers.

folder_problems   cache_dir or site_dir pointing at (or into, or around) a source folder
BuildLock         an exclusive lock beside site/ for the whole build, with a Chinese message
clean_stale       site.building/ and site.previous/ left by a build that was killed, and
                  search-index scratch folders older than a day
discard           delete a replaced site in the background
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from portal.problems import Problem

LEFTOVERS = (".building", ".previous")
DISCARDED = ".discarded-"  # a replaced site being deleted in the background (discard)
DISCARDED_MAX_AGE = 3600  # untouched that long: its deletion was interrupted


def _related(a: Path, b: Path) -> bool:
    """a is b, inside b, or holds b."""
    return a == b or a.is_relative_to(b) or b.is_relative_to(a)


def folder_problems(root: Path, outputs: dict[str, Path], sources: dict[str, Path]) -> list[Problem]:
    """`outputs` (setting -> folder the build deletes and writes) against `sources` (name ->
    folder editors and maintainers write) and the repository itself. A build empties its
    outputs: `cache_dir: content` once deleted all of content/."""
    root = root.resolve()
    problems = []
    for setting, output in outputs.items():
        output = output.resolve()
        if output == root or root.is_relative_to(output):
            problems.append(
                Problem(
                    "mkdocs.yml",
                    0,
                    f"{setting} 指向了仓库本身或它的上级文件夹（{output}），构建会清空它。",
                    f"把 {setting} 改为仓库中单独的文件夹，例如 site 或 .cache/portal。",
                )
            )
            continue
        for name, source in sources.items():
            if _related(output, source.resolve()):
                problems.append(
                    Problem(
                        "mkdocs.yml",
                        0,
                        f"{setting} 与源文件夹 {name} 重叠（{output}），构建会删除或改写其中的文件。",
                        f"把 {setting} 改为单独的文件夹，例如 site 或 .cache/portal。",
                    )
                )
    return problems


class BuildLock:
    """An exclusive lock on `<site>.lock` held for the whole build (released when the
    process ends, even when it is killed): two builds never write the same folders."""

    def __init__(self, site_dir: Path):
        self.path = site_dir.with_name(site_dir.name + ".lock")
        self.handle = None

    def acquire(self) -> str | None:
        """None when locked by us, else a Chinese message saying what to do."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = open(self.path, "a+b")
        try:
            if os.name == "nt":
                import msvcrt

                self.handle.seek(0)
                msvcrt.locking(self.handle.fileno(), msvcrt.LK_NBLCK, 1)
            else:
                import fcntl

                fcntl.flock(self.handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            self.handle.close()
            self.handle = None
            return (
                f"另一个构建正在使用 {self.path.parent / self.path.name[: -len('.lock')]}（锁文件 {self.path.name}）。"
                "请等它结束后再构建；如果确定没有其他构建在运行，关闭所有终端窗口后重试。"
            )
        return None

    def release(self) -> None:
        if self.handle:
            self.handle.close()
            self.handle = None


def clean_stale(site_dir: Path) -> list[str]:
    """Remove what a killed build left beside site/ (call with the lock held); a site/ that
    went missing between the two renames of a swap is put back from site.previous/."""
    notes = []
    previous = site_dir.with_name(site_dir.name + ".previous")
    if previous.is_dir() and not site_dir.exists():
        previous.rename(site_dir)
        notes.append(f"上次构建在替换网站时中断：已从 {previous.name} 恢复 {site_dir.name}。")
    for suffix in LEFTOVERS:
        leftover = site_dir.with_name(site_dir.name + suffix)
        if leftover.exists():
            shutil.rmtree(leftover, ignore_errors=True)
            notes.append(f"已删除上次中断的构建留下的 {leftover.name}。")
    for leftover in site_dir.parent.glob(site_dir.name + DISCARDED + "*"):
        try:
            if (
                leftover.is_dir()
                and not leftover.is_symlink()
                and time.time() - leftover.stat().st_mtime > DISCARDED_MAX_AGE
            ):
                shutil.rmtree(leftover, ignore_errors=True)
        except OSError:
            continue
    return notes


def discard(folder: Path) -> None:
    """Delete a replaced site (site.previous/ after a swap). The new site is complete and in place
    already, so the files of the old one (tens of thousands at 10,000 items, seconds of every
    build) are deleted by a detached process under a name of their own; on Windows, at once."""
    if not folder.exists():
        return
    target = folder.with_name(f"{folder.name.rsplit('.', 1)[0]}{DISCARDED}{os.getpid()}-{time.time_ns()}")
    try:
        if os.name == "nt":
            raise OSError("no detached processes here")
        folder.rename(target)
        subprocess.Popen(
            [sys.executable, "-c", "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)", str(target)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError:
        shutil.rmtree(target if target.exists() else folder, ignore_errors=True)


TEMP_PREFIX = "portal-search-"  # portal.search.IndexJob's scratch folders
TEMP_MAX_AGE = 24 * 3600  # older than any build: its build was killed


def clean_stale_temp(folder: Path | None = None, now: float | None = None) -> int:
    """Remove the search index's scratch folders a killed build left in the temp folder."""
    folder = Path(folder or tempfile.gettempdir())
    now = time.time() if now is None else now
    removed = 0
    for path in folder.glob(TEMP_PREFIX + "*"):
        try:
            if path.is_dir() and not path.is_symlink() and now - path.stat().st_mtime > TEMP_MAX_AGE:
                shutil.rmtree(path, ignore_errors=True)
                removed += 1
        except OSError:
            continue
    return removed
