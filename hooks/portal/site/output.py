"""Where a build writes: never into a source folder, one build at a time, no stale leftovers.

folder_problems   cache_dir or site_dir pointing at (or into, or around) a source folder
BuildLock         an exclusive lock beside site/ for the whole build, with a Chinese message
Beside            the build writes beside site/; on success its output replaces site/ (a first build) or
                  updates site/ in place (`commit`: only the files the build wrote are moved in)
clean_stale       site.building/ and site.previous/ left by a build that was killed (an interrupted
                  commit is completed first), and search-index scratch folders older than a day
discard           delete a replaced site in the background
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from portal.problems import Problem

LEFTOVERS = (".building", ".previous")
JOURNAL = ".commit"  # beside site/ while an in-place update is committed: the files it deletes (commit)
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
    if _complete_commit(site_dir):
        notes.append(f"上次构建在更新 {site_dir.name} 时中断：已把这次更新做完。")
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


class Beside:
    """A failed build must leave the previous site as it was: build into site.building/ and put
    it in place only when the build succeeded. The lock is held until the process ends.
    With a site/ already there (`in_place`), the build writes only what it renders into site.building/
    and says which files of site/ stay (`keep`: carried pages, unchanged search files): the commit moves
    the new files in and deletes the others, so a rebuild after one edit touches a few hundred files
    instead of making every one of the site's tens of thousands of files anew."""

    def __init__(self, site_dir: Path, lock: BuildLock | None) -> None:
        self.site_dir = site_dir
        self.building = site_dir.with_name(site_dir.name + ".building")
        self.lock = lock
        self.in_place = False
        self.keep: set[str] = set()  # with in_place: files of site/ (relative, "/"-separated) the new site keeps

    def prepare(self, log) -> str | None:
        """Lock and clean what a killed build left; None, or why another build holds the folder."""
        if self.lock is None or self.lock.path != BuildLock(self.site_dir).path:
            if self.lock is not None:
                self.lock.release()  # site_dir changed between two builds of one session
            self.lock = BuildLock(self.site_dir)
            if busy := self.lock.acquire():
                self.lock = None
                return busy
        for note in clean_stale(self.site_dir):
            log.info(note)
        clean_stale_temp()
        self.in_place = self.site_dir.is_dir()
        return None

    def swap_in(self) -> None:
        if self.in_place:
            commit(self.building, self.site_dir, self.keep)
            return
        previous = self.site_dir.with_name(self.site_dir.name + ".previous")
        shutil.rmtree(previous, ignore_errors=True)
        if self.site_dir.exists():
            self.site_dir.rename(previous)
        self.building.rename(self.site_dir)
        discard(previous)  # in the background: the new site is in place

    def discard(self) -> None:
        if self.building.exists():
            shutil.rmtree(self.building, ignore_errors=True)


def files_under(folder: Path) -> set[str]:
    """Every file under `folder` (a symbolic link counts as a file), as "/"-separated relative paths."""
    found: set[str] = set()

    def walk(path: str, prefix: str) -> None:
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, f"{prefix}{entry.name}/")
                else:
                    found.add(prefix + entry.name)

    if folder.is_dir():
        walk(str(folder), "")
    return found


def commit(staged: Path, site: Path, keep: set[str]) -> None:
    """Update `site` in place to the new site: the files of `staged` replace theirs, and the files of
    `site` neither staged nor in `keep` are deleted. The deletions are written to a journal beside
    site/ first: a build killed midway leaves the journal and site.building/, and the next build
    completes the commit before anything else (clean_stale)."""
    staged_files = files_under(staged)
    stale = sorted(files_under(site) - staged_files - keep)
    journal = _journal(site)
    part = journal.with_name(journal.name + ".part")
    with open(part, "w", encoding="utf-8") as out:
        json.dump(stale, out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(part, journal)  # a journal is there whole or not at all
    _apply(staged, site, stale, staged_files)
    journal.unlink()


def _journal(site: Path) -> Path:
    return site.with_name(site.name + JOURNAL)


def _apply(staged: Path, site: Path, stale: list[str], staged_files: set[str] | None = None) -> None:
    """Delete `stale` in `site`, then move every file of `staged` there (`staged_files`, when the
    caller has listed them); safe to run again."""
    for rel in stale:
        if ".." in rel.split("/") or not rel or rel.startswith("/"):
            continue
        target = site / rel
        try:
            target.unlink()
        except OSError:  # gone already (a commit completed again)
            continue
        folder = target.parent
        while folder != site:  # a folder left empty goes too
            try:
                folder.rmdir()
            except OSError:
                break
            folder = folder.parent
    made: set[Path] = set()
    for rel in sorted(files_under(staged) if staged_files is None else staged_files):
        target = site / rel
        if target.parent not in made:
            _folder(site, target.parent)
            made.add(target.parent)
        if target.is_dir() and not target.is_symlink():  # a page where a folder was
            shutil.rmtree(target)
        os.replace(staged / rel, target)
    shutil.rmtree(staged, ignore_errors=True)


def _folder(site: Path, folder: Path) -> None:
    """`folder` made under `site`; a file where one of its folders must be is removed."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return
    except (FileExistsError, NotADirectoryError):
        pass
    path = site
    for part in folder.relative_to(site).parts:
        path = path / part
        if path.is_symlink() or path.is_file():
            path.unlink()
    folder.mkdir(parents=True, exist_ok=True)


def _complete_commit(site_dir: Path) -> bool:
    """A commit a killed build left half done (its journal is there): finished; whether there was one."""
    journal, staged = _journal(site_dir), site_dir.with_name(site_dir.name + ".building")
    journal.with_name(journal.name + ".part").unlink(missing_ok=True)
    if not journal.is_file():
        return False
    try:
        stale = json.loads(journal.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stale = None
    done = isinstance(stale, list) and all(isinstance(rel, str) for rel in stale)
    if done and staged.is_dir() and site_dir.is_dir():
        _apply(staged, site_dir, stale)
    journal.unlink(missing_ok=True)
    return done


def write_search(target: Path, files: dict[str, bytes]) -> None:
    """The search index's files, into an empty `target` (a folder's old contents are removed)."""
    shutil.rmtree(target, ignore_errors=True)
    for name, data in files.items():
        path = target / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def digests(files: dict[str, bytes]) -> dict[str, str]:
    """A digest of each file's bytes, by name."""
    return {name: hashlib.blake2b(data, digest_size=16).hexdigest() for name, data in files.items()}


def records(folder: Path, digested: dict[str, str]) -> dict[str, tuple[int, int, str]]:
    """What a finished output holds of the files `digested` (name -> digest of their bytes): by name,
    the size and modification time of the file in `folder`, with the digest."""
    found = {}
    for name, digest in digested.items():
        try:
            stat = os.stat(folder / name)
        except OSError:
            continue
        found[name] = (stat.st_size, stat.st_mtime_ns, digest)
    return found


def unchanged(folder: Path, digested: dict[str, str], recorded: dict[str, tuple[int, int, str]]) -> set[str]:
    """The names of `digested` whose file in `folder` is still the one `records` saw, with the same bytes."""
    kept = set()
    for name, digest in digested.items():
        entry = recorded.get(name)
        if entry is None or entry[2] != digest:
            continue
        try:
            stat = os.stat(folder / name)
        except OSError:
            continue
        if (stat.st_size, stat.st_mtime_ns) == entry[:2]:
            kept.add(name)
    return kept
