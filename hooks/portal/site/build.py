"""One build of the portal, engine-free: a `PortalBuild` holds everything a build holds, from
reading content/ to putting the output in place, and is released when the build ends.

An engine adapter (hooks/portal/engines/mkdocs.py for MkDocs) creates one per build and calls it at the
engine's steps: `configure` (read and validate content/, compute the `SitePlan`), `mount`
(what content/ publishes), `carry` (pages unchanged since the last output), the page steps
(`page_meta`, `page_content`, `page_written`), `finish` (search index, cache, swap) and
`fail`/`close`. Messages that stop a build are raised as `BuildStop`, in Chinese.
"""

from __future__ import annotations

import functools
import gc
import logging
import os
import pickle
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any, Callable

from markupsafe import Markup, escape

from portal.cache import BuildCache, code_salt, digest, link_salt, read_entry
from portal.captions import caption_pictures
from portal.content.facts import body_facts
from portal.content.history import history_problems, read_history
from portal.content.holdback import held_back_notices
from portal.content.publishing import PathClaims
from portal.content.reader import item_assets, load_content, read_item
from portal.identity import identity_problems
from portal.images import CHECKS as IMAGE_CHECKS
from portal.model import KIND_FOLDERS, today
from portal.problems import report
from portal.rules.body import body_problems
from portal.rules.health import catalogue_lines, empty_columns
from portal.rules.html import sanitize
from portal.rules.links import SitePages, all_link_problems, page_url, rewrite_links
from portal.rules.placeholders import mark_redactions
from portal.search import IndexJob, html_text
from portal.settings import SettingsError, line_of, load_settings
from portal.site.carry import Carried, carry, manifest_of
from portal.site.compact import SHELL, SPRITE, Compactor
from portal.site.memory import after_checks
from portal.site.output import Beside, digests, folder_problems, records, unchanged, write_search
from portal.site.plan import SitePlan, identity_data
from portal.site.postprocess import FolderParts, Pictures, tidy
from portal.site.preview import blocking, edited_items, same_but_body, snapshot
from portal.site.progress import Progress
from portal.site.qr import QrCodes
from portal.site.workers import Render, WorkerHooks, Workers, give_way, worker_count

NO_LINKS = digest()  # link_salt of a body that names no file


# Bodies without a text in the build cache that the search index may render itself when it starts as soon
# as the plan is known (PortalBuild._index_early): the edits of one save or commit, as for its update in place.
INDEX_EARLY_AT_MOST = 64


class BuildStop(Exception):
    """The build cannot go on; the message (in Chinese) says why and what to do."""


@dataclass
class EngineConfig:
    """What a build needs to know of the engine's configuration."""

    root: Path  # the folder of the configuration file
    docs_dir: Path
    site_dir: Path
    site_url: str
    site_name: str
    site_description: str
    extra: Any  # the configuration's `extra:` mapping: the portal's settings (portal.settings)
    extensions: list  # Markdown extensions, as configured
    mdx_configs: dict
    url_for: Callable[[str], str]  # src_uri -> the page's or file's URL


class PortalBuild:
    """State of one build. Under `mkdocs serve` the next build takes over the session's
    resources (`after`): the cache, the output lock, icons, the search index being written."""

    def __init__(self, command: str, log) -> None:
        self.command, self.serve, self.log = command, command == "serve", log
        self.cache: BuildCache | None = None
        self.lock = None  # portal.site.output.BuildLock, held until the process ends
        self.compactor = Compactor()
        self.writer: threading.Thread | None = None  # under `mkdocs serve`: writes the index after the build
        self.progress: Progress | None = None
        self.plan: SitePlan | None = None
        self.engine: EngineConfig | None = None
        self.identity: dict = {}
        self.content_dir: Path | None = None
        self.shown_as = "content"  # how problems name content/
        self.beside: Beside | None = None  # `mkdocs build` writes beside site/ and swaps at the end
        self.pictures = Pictures()
        self.parts = FolderParts()
        self.pages: SitePages | None = None  # every page by address, for links (portal.rules.links)
        self.broken: dict[str, list] = {}  # under `mkdocs serve`: src_uri of an item with errors -> its problems
        self.search: IndexJob | dict[str, bytes] | None = None  # the index being built, or taken from the cache
        self.search_key = ""
        self.page_salt = ""
        self.text_salt = ""  # what the text of a body depends on besides the body: the Markdown extensions
        self.html: dict[str, tuple[str, bool]] = {}  # src_uri -> (cache key, whether the cache has the page)
        self.texts: dict[str, str] = {}  # item src_uri -> text of its rendered body, for the search index (in workers)
        self.keys: dict[str, tuple[str, str]] = {}  # item and listing src_uri -> (cache key of its inputs, output path)
        self.content_warnings = 0  # warnings about content/: they do not stop pages being cached
        self.previous: Path | None = None  # the previous output, to carry unchanged pages from (portal.site.carry)
        self.workers = Workers()  # item pages rendered by forked processes (portal.site.workers)
        self.own_texts: _OwnTexts | None = None  # the texts of the main process's share of the item pages
        self.skipped: set[str] = set()  # pages the engine's main process passes over: carried or rendered by workers
        self.files: Any = None  # the engine's files of this build
        self.dest_of: Callable[[str], str | None] | None = None  # the engine's output path of a file
        self.renderer: Render | None = None  # the engine's renderer of item pages (render_items)
        self.inputs: dict[str, tuple[int, int]] = {}  # under `mkdocs serve`: what the build read (portal.site.preview)
        self.finished = False  # the whole site was written: a preview may patch it
        self.taking: threading.Thread | None = None  # links the carried pages into place (portal.site.carry)
        self.carried: Carried | None = None
        self.patching = False
        self.index_early = False  # the search index started before the pages (_index_early)
        self.search_digests: dict[str, str] = {}  # `mkdocs build`: a digest of each (portal.site.output.records)

    @classmethod
    def after(cls, before: PortalBuild | None, command: str, log) -> PortalBuild:
        """A new build; the session's resources come from the build before it, which is released."""
        build = cls(before.command if before else command, log)
        if before:
            build.cache, build.lock = before.cache, before.lock
            build.compactor, build.writer = before.compactor, before.writer
            before.release()
        return build

    # --- reading content/ -------------------------------------------------------------------
    def start(self) -> None:
        self.progress = Progress(self.log)  # counts warnings from here on

    def configure(self, engine: EngineConfig) -> None:
        """Validate the settings and content/ (all problems together) and compute the plan."""
        # An engine's URL of a file costs something (MkDocs makes a File) and listings ask for the same few often.
        engine = self.engine = replace(engine, url_for=functools.cache(engine.url_for))
        try:
            settings, identity = load_settings(engine.extra)
        except SettingsError as error:  # named with its line, as `check` names it
            config = engine.root / "mkdocs.yml"
            line = (
                line_of(config.read_text(encoding="utf-8-sig", errors="replace"), error.path) if config.is_file() else 0
            )
            named = str(error).replace("mkdocs.yml 中", f"mkdocs.yml（第 {line} 行）中", 1) if line else str(error)
            raise BuildStop(named) from None
        self.identity = identity_data(dict(identity), engine.site_url, engine.url_for)
        if problems := identity_problems(dict(identity), engine.docs_dir, production=self.command == "build"):
            raise BuildStop("mkdocs.yml 中 extra.identity（网站标识与联系方式）需要补充：\n  " + "\n  ".join(problems))
        self._identity_files(identity)
        root = engine.root
        self.content_dir = content_dir = (root / settings.content_dir).resolve()
        outputs = {"site_dir": engine.site_dir}
        if settings.cache_dir:
            outputs["cache_dir"] = root / settings.cache_dir
        sources = {
            "content_dir": content_dir,
            "docs_dir": engine.docs_dir,
            "hooks": root / "hooks",
            "overrides": root / "overrides",
        }
        if self.command != "build":
            outputs.pop("site_dir")
        if problems := folder_problems(root, outputs, sources):
            raise BuildStop(report(problems))
        if self.command == "build":
            self.beside = Beside(engine.site_dir, self.lock)
            busy = self.beside.prepare(self.log)
            self.lock = self.beside.lock
            if busy:
                self.beside = None
                raise BuildStop(busy)
        salt = code_salt(root)
        if self.cache is None or self.cache.salt != salt:  # kept in memory across `mkdocs serve` rebuilds
            if self.cache is not None:
                self.cache.close()  # the settings or code changed under `mkdocs serve`: its file is replaced
            self.cache = BuildCache(root / settings.cache_dir if settings.cache_dir else None, salt)
        self.tell_cache_notices()
        shown_as = self.shown_as = os.path.relpath(content_dir, root).replace(os.sep, "/")
        if self.serve:  # taken before reading: a save while this build runs is seen by the next
            self.inputs = self._snapshot()
        content = load_content(content_dir, shown_as, self.cache)
        self.cache.save("items", IMAGE_CHECKS)  # validated items and image verdicts: what this build used
        # `mkdocs build`: the items not checked before (all in a first build, the edited ones after) are
        # checked by a forked process while this one plans the site; a preview needs the problems first.
        embed_hosts = tuple(settings.embed_hosts)
        body = body_problems(content.items, shown_as, embed_hosts, content_dir, self.cache, later=not self.serve)
        day = today(settings.timezone)  # the publishing day of this build
        later = [
            *history_problems(content.items, read_history(content_dir), shown_as, settings.backdate_days),
            *held_back_notices(content.items, day, shown_as),
        ]
        if self.serve:
            self._checked(content, body + later)
        else:
            self.plan = self._plan(content, settings, day, identity)
            self._checked(content, body() + later)
            after_checks()  # jieba given back before the pages fork (a preview keeps it: it proofreads at every save)
        for problem in content.problems:
            if problem.level == "notice":
                self.log.info(str(problem))
            elif problem.level == "warning":
                self.log.warning(str(problem))
        if errors := [p for p in content.problems if p.level == "error"]:
            if not self.serve:
                raise BuildStop(report(errors))
            self.log.error(report(errors) + "\n（预览中已跳过有问题的稿件；打开它们的网址可以看到问题。）")
            unfinished = {problem.file for problem in errors}
            content.items = [item for item in content.items if f"{shown_as}/{item.path}" not in unfinished]
            for problem in content.problems:
                rel = problem.file[len(shown_as) + 1 :]
                if problem.file in unfinished and rel.endswith(".md") and rel.split("/")[0] in KIND_FOLDERS:
                    self.broken.setdefault(rel, []).append(problem)
        if self.serve:  # without the items that have errors
            self.plan = self._plan(content, settings, day, identity)
        plan = self.plan
        self._check_links(content, day)
        self.compactor.icons.update(self.cache.get("icons", "sprite") or {})  # icons of pages an earlier build made
        self.compactor.shells.update(self.cache.get("icons", "shell") or {})  # and the shell parts they left out
        for problem in empty_columns(
            content.catalogue,
            plan.site.items,
            f"{shown_as}/catalogue.yml",
            catalogue_lines(content.catalogue),
            settings.empty_columns,
        ):
            (self.log.warning if problem.level == "warning" else self.log.info)(str(problem))
        self.progress.validated(len(content.items), plan.site.published_count, plan.site.held_back)
        self.content_warnings = self.progress.warnings.count  # told again by every build, from its own reading
        self.text_salt = digest(repr(engine.extensions), repr(engine.mdx_configs))
        self._index_early()

    def _checked(self, content, problems: list) -> None:
        content.problems += problems
        self.cache.save("body")

    def _plan(self, content, settings, day, identity) -> SitePlan:
        engine = self.engine
        return SitePlan.build(
            content,
            settings,
            day,
            engine.url_for,
            engine.site_url,
            engine.site_name,
            engine.site_description,
            identity["site_code"],
            QrCodes(self.cache),
            self.serve,
        )

    @property
    def output(self) -> Path:
        """Where this build writes: beside site/ for `mkdocs build`."""
        return self.beside.building if self.beside else self.engine.site_dir

    def _identity_files(self, identity) -> None:
        """The site's own logo and favicon (extra.identity), files under docs/."""
        docs = self.engine.docs_dir
        for key, label in (("logo", "标志"), ("favicon", "网站图标"), ("banner", "首页横幅")):
            if identity[key] and not (docs / identity[key]).is_file():
                raise BuildStop(
                    f"mkdocs.yml 中 extra.identity.{key}（{label}）指向的文件 docs/{identity[key]} 不存在："
                    f"请把图片放进 docs/ 并写它相对于 docs/ 的路径，例如 images/logo.svg，或删去这一行使用默认图片。"
                )
        for account in identity["accounts"]:
            if account["qr"] and not (docs / account["qr"]).is_file():
                raise BuildStop(
                    f"mkdocs.yml 中 extra.identity.accounts 的“{account['name']}”的二维码 docs/{account['qr']} 不存在："
                    f"请把二维码图片放进 docs/ 并写它相对于 docs/ 的路径。"
                )

    def _check_links(self, content, day) -> None:
        """Links between items, by path or by address: told in Chinese (MkDocs' own English link
        validation is off in mkdocs.yml); warnings, so `--strict` stops on them."""
        names = [name for name in self.engine.extensions if isinstance(name, str)]
        engine = self.engine
        self.pages = SitePages.of(
            content.items, self.plan.site.listings, engine.docs_dir, engine.site_url, names, day, self.content_dir
        )
        if content.catalogue.failed:
            return  # items the catalogue could not place are missing: links to them are not the editor's problem
        for problem in all_link_problems(content.items, self.shown_as, self.pages):
            self.log.warning(str(problem))

    def tell_cache_notices(self) -> None:
        for notice in self.cache.notices:
            self.log.info(notice)
        self.cache.notices.clear()

    # --- files -----------------------------------------------------------------------------
    def mount(self, taken: dict[str, str], files_of: Callable[[str, list[tuple[str, bytes]] | None], list]) -> list:
        """The files content/ publishes, after the site's own (`taken`: lower-case output path ->
        what it is). `files_of(src_uri, generated)` makes the engine's files of one source: a
        picture's copies (`generated`: (src_uri, bytes)), else the file itself (None); each has
        a `dest_uri`. A path that would replace a file the site has stops the build."""
        claims, clashes, files = PathClaims(taken, self.shown_as), [], []
        for src_uri in self.plan.mounts:
            if self.plan.is_picture(src_uri):
                data = (self.content_dir / src_uri).read_bytes()
                new = files_of(src_uri, self.pictures.mount(src_uri, data, self.cache))
            else:
                new = files_of(src_uri, None)
            for file in new:
                if clash := claims.claim(file.dest_uri, src_uri):
                    clashes.append(clash)
                else:
                    files.append(file)
        if clashes:
            if not self.serve:
                raise BuildStop(report(clashes))
            self.log.error(report(clashes))
        return files

    def problem_pages(self) -> list[str]:
        """Under `mkdocs serve`: the address of an item with errors shows what to fix, not a 404."""
        if not self.serve:
            return []
        taken = {page_url(uri).lower() for uri in self.plan.mounts} if self.broken else set()
        pages = []
        for src_uri in self.broken:
            if page_url(src_uri).lower() not in taken:
                taken.add(page_url(src_uri).lower())
                pages.append(src_uri)
        return pages

    def files_known(self, nav_pages: list[str], documentation_pages: int) -> None:
        # What every page shows of the site's files: the navigation (an item's own links are salted
        # per page, portal.cache.link_salt), so adding an item does not re-render the others.
        # A preview (`mkdocs serve`) renders pages with its own address and banners: its pages
        # are not the published site's, though both share the cache.
        self.page_salt = digest(self.engine.site_url, repr(self.serve), *sorted(nav_pages))
        self.progress.total = documentation_pages

    def keep_previous(self, site_dir: Path) -> None:
        """`mkdocs serve` builds into the same folder again (it is emptied first): keep the previous
        output aside to carry unchanged pages from. `mkdocs build` carries from site/."""
        self.previous = self.beside.site_dir if self.beside else None
        if self.serve:
            self.previous = site_dir.with_name(site_dir.name + ".previous")
            shutil.rmtree(self.previous, ignore_errors=True)
            if site_dir.exists():
                site_dir.rename(self.previous)

    def final_dir(self) -> str:
        return str(self.beside.site_dir if self.beside else self.engine.site_dir)

    def _page_key(self, src_uri: str, inputs: str) -> str:
        """The cache key of a page: its inputs (portal.site.published), and for an item its links as
        rendered (links by address become .md links once their page exists) and the pictures it shows
        (body and cover) as published: a photo replaced under its name."""
        links = ""
        if item := self.plan.site.by_src_uri.get(src_uri):
            facts = body_facts(item)  # found when the item was read: most bodies name no file
            if facts.by_address:
                salt = link_salt(src_uri, rewrite_links(item.body, item.path, self.pages), self.dest_of)
            else:
                salt = link_salt(src_uri, item.body, self.dest_of) if facts.link_targets else NO_LINKS
            links = digest(salt, *(self.pictures.signature(a) for a in item.assets))
        return digest(self.page_salt, inputs, links)

    def carry(self, dest_of: Callable[[str], str | None], site_dir: Path) -> list[str]:
        """Item and listing pages whose inputs did not change, carried over from the previous output
        into `site_dir` (`dest_of(src_uri)`: a file's output path, None if the site has no such file);
        the item pages to render."""
        site, self.dest_of = self.plan.site, dest_of
        dests = {uri: dest for uri in [*site.by_src_uri, *site.listings] if (dest := dest_of(uri))}
        self.keys = {
            src_uri: (self._page_key(src_uri, inputs), dest)
            for src_uri, dest in dests.items()
            if (inputs := self.plan.site.page_inputs(src_uri)) is not None
        }
        manifest = self.cache.get("built", self.final_dir()) or {}
        in_place = bool(self.beside and self.beside.in_place)
        carried = carry(self.previous, site_dir, self.keys, manifest, move=self.serve, in_place=in_place)
        self.carried = carried
        if in_place:
            self.beside.keep |= carried.kept
        self.taking = threading.Thread(target=carried.take, daemon=True)  # while the other pages render
        self.taking.start()
        for _ in carried.entries:
            self.progress.page_written()
        self.skipped.update(carried.entries)
        return [uri for uri in site.by_src_uri if uri in dests and uri not in carried]

    def render_items(self, pages: list[str], render: Render, logger: logging.Logger) -> None:
        """Share the item pages among the renderers: the engine's main process, which renders the
        other pages too, and forked workers (`render`: the engine's, portal.site.workers); start the
        search index beside them."""
        renderers = worker_count(len(pages), self.plan.site.settings.render_workers)
        own = _own_share(pages, renderers, sum(uri not in self.skipped for uri in self.plan.site.listings))
        forked = [uri for uri in pages if uri not in own] if renderers > 1 else []
        self.skipped.update(forked)
        self.renderer = render
        hooks = self._worker_hooks()
        # Forked processes share the main process's memory until they write to it: keep the collector off it.
        # `mkdocs build` ends with the build: all it made so far stays frozen there too, else each full
        # collection while the pages render walks all of it again (1-2 s of CPU at 10,000 items).
        # `mkdocs serve` lets the collector have it back for the builds to come (portal.collector).
        gc.freeze()
        try:
            self.workers.start(forked, renderers - 1 if forked else 0, render, hooks, logger)
        except OSError:  # a process could not be forked (no memory, the process limit): the engine renders them all
            self.workers.abort()
            self.skipped.difference_update(forked)
            forked, own = [], set()
        finally:
            if self.serve:
                gc.unfreeze()
        if self.search is None:  # not started before the pages (_index_early)
            # The main process hands the index the texts of its own share once it has rendered their Markdown.
            self.own_texts = _OwnTexts(own) if own else None
            text_files = [*self.workers.populated, *([self.own_texts.path] if self.own_texts else [])]
            self.start_search_index({*forked, *own}, text_files)
        if not self.serve:
            give_way()  # behind the search index, now started

    def start_search_index(self, from_workers: set[str], text_files: list[str]) -> None:
        """Reuse the cached index of the same items, or build it beside the page rendering, from
        the bodies' texts: from the workers (`from_workers`, in `text_files`) or the build cache."""
        self.search_key, self.search = self._search_job(from_workers, text_files, self.cache)

    def _index_early(self) -> None:
        """After a few edits the build cache has the text of all but a few bodies: the index starts as
        soon as the plan is known, rendering those few itself, instead of after the engine has collected
        its files and the pages to carry (about a second at 10,000 items, which it then spent waiting).
        Only with an index of an earlier build in the cache: a first build's bodies come from the pages."""
        if self.cache.get("search", "key") is None:
            return
        key, job = self._search_job(set(), [], self.cache, at_most=INDEX_EARLY_AT_MOST)
        if job is not None:
            self.search_key, self.search, self.index_early = key, job, True

    def _search_job(
        self,
        from_workers: set[str],
        text_files: list[str],
        cache: BuildCache,
        plan: SitePlan | None = None,
        at_most: int | None = None,
    ) -> tuple[str, IndexJob | dict[str, bytes] | None]:
        """The index's cache key, and its files as cached or the job that makes them (`cache`: the
        build's, or a reader of it in another thread, with the `plan` it was given); no job (None)
        when the index process would have to render more than `at_most` bodies itself."""
        plan = plan or self.plan
        site, engine = plan.site, self.engine
        columns, organisations = list(site.content.catalogue.columns), list(site.content.catalogue.organisations)
        docs = plan.search_docs()
        # Each body by the key of its text in the cache (a digest of the body and the Markdown settings).
        text_keys = [digest(self.text_salt, item.body) for item in site.items]
        key = digest(
            repr(engine.extensions),
            repr(engine.mdx_configs),
            repr([columns, organisations]),
            repr([dict(vars(doc), body=text_key) for doc, text_key in zip(docs, text_keys, strict=True)]),
        )
        # The index of the previous build: reused as it is, or updated where items changed (portal.search).
        if cache.get("search", "key") == key and (index := cache.get("search", "index")) is not None:
            for text_key in text_keys:  # for the next index, after an edit
                cache.keep("text", text_key)
            return key, index.files
        texts, supplied = {}, set()
        wanted = {
            item.url: text_key
            for item, text_key in zip(site.items, text_keys, strict=True)
            if item.src_uri not in from_workers
        }
        known = cache.get_many("text", list(wanted.values()))
        for item in site.items:
            if item.src_uri in from_workers:
                supplied.add(item.url)
            elif (text := known.get(wanted[item.url])) is not None:
                texts[item.url] = text
        supplied.update(texts)
        if at_most is not None and len(site.items) - len(supplied) > at_most:
            return key, None
        # The index process gets the Markdown only of bodies it must render itself.
        for doc in docs:  # made for this job (SitePlan.search_docs)
            if doc.url in supplied:
                doc.body = None
        return key, IndexJob(
            docs,
            columns,
            organisations,
            engine.extensions,
            engine.mdx_configs,
            texts,
            text_files,
            partial(read_entry, cache.path if cache.db else None, "search", "index"),
            # `mkdocs build` writes into a new folder: the indexing process puts the files in place itself.
            str(self.output / "search") if self.beside and not self.beside.in_place else None,
        )

    # --- pages -----------------------------------------------------------------------------
    def is_item(self, src_uri: str) -> bool:
        return src_uri in self.plan.site.by_src_uri

    def source(self, src_uri: str) -> str | None:
        item = self.plan.site.by_src_uri.get(src_uri)
        # The body without its front matter (read once, by portal.content.source); the leading
        # newline keeps MkDocs from taking a body that starts with '---' for front matter.
        return "\n" + item.body if item else None

    def page_meta(self, src_uri: str, url: str, meta: dict, markdown: str) -> tuple[dict, str]:
        """A page's meta (its own front matter for pages of docs/) with the plan's data in
        `portal`, and its Markdown (links by address made relative .md links)."""
        if item := self.plan.site.by_src_uri.get(src_uri):
            markdown = rewrite_links(markdown, item.path, self.pages)
        if page := self.plan.pages.get(src_uri):
            meta = {
                "template": page.template,
                "title": page.title,
                "description": page.description,
                **({"hide": list(page.hide)} if page.hide else {}),
            }
        elif src_uri in self.broken and self.serve:
            meta = {"template": "portal-problems.html", "title": "稿件有问题，暂不能预览", "hide": ["toc"]}
        meta["portal"] = self.plan.page_data(src_uri, url)
        if src_uri in self.broken and self.serve:
            meta["portal"].update(
                problems=sorted(self.broken[src_uri], key=lambda p: p.line), problem_file=self.broken[src_uri][0].file
            )
        if src_uri in self.keys:
            # The same inputs (and the same files, templates and settings): reuse the whole page.
            key = self.keys[src_uri][0]
            # Read, not only looked up: an entry that does not read back is a miss, rendered again.
            self.html[src_uri] = (key, self.cache.get("html", key) is not None)
            if self.html[src_uri][1]:
                meta["template"] = "portal-cached.html"
        for key in ("title", "description"):
            if isinstance(meta.get(key), str) and not isinstance(meta[key], Markup):
                meta[key] = escape(meta[key])  # Material prints these raw into <title>, the navigation and <meta>
        return meta, markdown

    def page_content(self, src_uri: str, html: str, in_worker: bool, done: tuple = ()) -> str:
        """An item's body: raw HTML through the allowlist (editors were told in configure),
        pictures' titles as captions, redactions marked. `done`: (page, attribute, …) the engine
        holds and an item page needs no more once rendered (_done_with)."""
        if done and self.is_item(src_uri):
            _done_with(done)
        item = self.plan.site.by_src_uri.get(src_uri)
        own = self.own_texts is not None and not in_worker and src_uri in self.own_texts.pending
        if item and (in_worker or own or self.patching):
            self.texts[src_uri] = html_text(html)  # what render_docs would make of the body
            self.cache.put("text", digest(self.text_salt, item.body), self.texts[src_uri])
            if own:
                self.own_texts.rendered(src_uri, self.worker_texts)
        if not item or self.html.get(src_uri, (None, False))[1]:
            return html  # not an item, or its whole page comes from the cache (cleaned when it was made)
        html = caption_pictures(sanitize(html, tuple(self.plan.site.settings.embed_hosts), describe=False)[0])
        return mark_redactions(html) if item.redacted else html

    def _tab(self, src_uri: str) -> str:
        return self.plan.pages[src_uri].data.get("active_tab", "")

    def parts_mode(self, src_uri: str, url: str) -> str:
        """main.html: whether an item page renders the parts around its body (portal.site.postprocess.
        FolderParts) or leaves them to `page_written`."""
        return self.parts.mode(url, self._tab(src_uri)) if src_uri in self.plan.site.by_src_uri else ""

    def page_written(self, src_uri: str, url: str, output: str, done: tuple = ()) -> str:
        """The page as written (`output`: as the engine rendered it). `done`: as for page_content, once written."""
        if done and self.is_item(src_uri):
            _done_with(done)
        key, cached = self.html.pop(src_uri, (None, False))
        if cached:
            output = self.cache.get("html", key)
            if output is None:  # the cache failed during the build (a disk full): no page, no site
                raise BuildStop(
                    f"构建缓存在构建中途无法读取，页面 {url or '首页'} 无法生成，构建已停止（已有的网站没有改动）。"
                    "请重新构建；如果再次出现，删除缓存文件夹（mkdocs.yml 中 extra.portal.cache_dir，"
                    "默认 .cache/portal）后重试，并检查磁盘空间。"
                )
        elif src_uri in self.plan.site.by_src_uri:
            output = self.parts.finish(output, url, self._tab(src_uri))
        output = tidy(output)
        if not cached:
            output = self.pictures.rewrite(output, url)
            output = self.compactor.page(output, "../" * url.count("/"), url)
        if key and not cached:
            self.cache.put("html", key, output)
        self.progress.page_written()
        return output

    # --- render workers (forked: each has a copy of this object) -----------------------------
    def _worker_hooks(self) -> WorkerHooks:
        return WorkerHooks(self.worker_start, self.worker_texts, self.worker_result, self.worker_absorb)

    def worker_start(self) -> None:
        if not self.serve:
            give_way()  # behind the search index (forked before the main process gives way)
        self.cache.in_worker()
        self.progress.pages = 0

    def worker_texts(self, src_uris: list[str]) -> dict[str, str]:
        """The search index's text of the worker's item pages, by URL."""
        by_src_uri = self.plan.site.by_src_uri
        return {by_src_uri[uri].url: self.texts.pop(uri) for uri in src_uris if uri in self.texts}

    def worker_result(self):
        return (
            *self.cache.worker_result(),
            dict(self.compactor.icons),
            dict(self.compactor.shells),
            self.progress.pages,
        )

    def worker_absorb(self, result) -> None:
        used, path, icons, shells, pages = result
        self.cache.absorb(used, path)
        self.compactor.icons.update(icons)
        self.compactor.shells.update(shells)
        self.progress.pages += pages

    # --- the end ---------------------------------------------------------------------------
    def finish(self, strict: bool) -> None:
        """After every page: the workers' pages, the search index, the icon sprite, the cache, the
        swap into site/."""
        self._taken()
        try:
            if told := self.workers.finish(self._worker_hooks()):
                self.log.info(told)
        except RuntimeError as error:
            raise BuildStop(str(error)) from None
        site, output = self.plan.site, self.output
        own, self.own_texts = self.own_texts, None
        if own:
            own.write(self.worker_texts)  # a page of its share the engine never rendered: the index says which
        if self.writer:  # a preview's index still being written
            self.writer.join()
        target = output / "search"
        if self.serve and isinstance(self.search, IndexJob):
            self._write_search_later(target, own)
        else:
            started = time.monotonic()
            files, peak, rendered = self.search, "", ""
            if isinstance(self.search, IndexJob):
                files = self.search.result()
                by_url = {item.url: item for item in site.items}
                for url, text in self.search.rendered.items():
                    self.cache.put("text", digest(self.text_salt, by_url[url].body), text)
                peak = f"，索引进程内存峰值 {self.search.peak_mb:.0f} MB" if self.search.peak_mb else ""
                rendered = f"，其中 {len(self.search.rendered)} 篇正文由索引进程渲染"
                if self.search.index.updated >= 0:
                    rendered += f"，在上次的索引上更新了 {self.search.index.updated} 篇"
                if self.index_early:
                    rendered += "（页面生成之前就已开始）"
                self.cache.put("search", "index", self.search.index, deflate=False)  # its files are deflated
                self.cache.put("search", "key", self.search_key)
            if own:
                own.remove()
            if self.beside:  # recorded once the output is in place: the next build keeps the same files
                self.search_digests = digests(files)
            if not (isinstance(self.search, IndexJob) and self.search.written):
                self._put_search(target, files)
            shards = sum(name.startswith("g/") for name in files)
            size = sum(len(data) for data in files.values()) / 1e6
            self.log.info(
                f"搜索索引：{len(site.items)} 篇{rendered}，{shards} 个分片，{size:.1f} MB，"
                f"页面生成后又等了 {time.monotonic() - started:.1f} 秒{peak}。"
            )
        sprite = output / SPRITE
        sprite.parent.mkdir(parents=True, exist_ok=True)
        sprite.write_bytes(self.compactor.sprite())
        self.cache.put("icons", "sprite", dict(self.compactor.icons))
        (output / SHELL).write_bytes(self.compactor.shell())
        self.cache.put("icons", "shell", dict(self.compactor.shells))
        placed = not (self.beside and strict and self.progress.warnings.count)  # else the engine aborts next
        if not placed:
            self.beside.discard()
        elif self.beside:
            try:
                self.beside.swap_in()
            except OSError as error:  # completed by the next build (portal.site.output.clean_stale)
                raise BuildStop(
                    f"新生成的网站放入 site/ 时出错（{error.strerror or error}），构建已停止。"
                    "请检查磁盘空间和 site/ 文件夹的权限后重新构建，下次构建会先把这次的更新做完。"
                ) from None
        if placed:  # what the next build may carry over from this one's output
            final = Path(self.final_dir())
            carried = self.carried.entries if self.carried else {}  # moved or linked as they were: the same entries
            written = {uri: key for uri, key in self.keys.items() if uri not in carried}
            self.cache.put("built", self.final_dir(), {**manifest_of(final, written), **carried})
            if self.search_digests:
                self.cache.put("built", self.final_dir() + "#search", records(final / "search", self.search_digests))
        if self.serve and self.previous:
            threading.Thread(target=shutil.rmtree, args=(self.previous, True), daemon=True).start()
        if self.progress.warnings.count == self.content_warnings:  # a page that warned must warn again next time
            self.cache.save("pages", "html", "search", "images", "qr", "icons", "built", "text")
        self.tell_cache_notices()
        self.progress.finish(site.published_count, site.held_back)
        self.finished = True

    def _put_search(self, target: Path, files: dict[str, bytes]) -> None:
        """The search index's files into the output; when `mkdocs build` updates site/ in place, only
        those whose bytes differ from the file site/ holds (as the last build recorded it)."""
        if self.beside and self.beside.in_place:
            recorded = self.cache.get("built", self.final_dir() + "#search") or {}
            kept = unchanged(self.beside.site_dir / "search", self.search_digests, recorded)
            self.beside.keep.update(f"search/{name}" for name in kept)
            files = {name: data for name, data in files.items() if name not in kept}
        write_search(target, files)

    def _later(self, work: Callable[[], None]) -> None:
        """Under `mkdocs serve`: `work` (a search index) in a thread, after the work of the save before
        it, so that the page shows at once and indexes are written in the order of the saves."""
        before = self.writer

        def run() -> None:
            if before:
                before.join()
            work()

        self.writer = threading.Thread(target=run, daemon=True)
        self.writer.start()

    def _write_search_later(self, target: Path, own: _OwnTexts | None = None) -> None:
        """A preview's index, written when the job building it is done."""
        job = self.search

        def write() -> None:
            write_search(target, job.result())
            if own:
                own.remove()

        self._later(write)

    def _index_later(self, target: Path) -> None:
        """After a preview's patch: the search index made and written by a thread, reading the cache
        through a connection of its own (a text put by the patch, not yet committed, is rendered by
        the index process)."""
        folder, salt, plan = self.cache.parent, self.cache.salt, self.plan

        def index() -> None:
            reader = BuildCache.reader(folder, salt)
            try:
                _key, job = self._search_job(set(), [], reader, plan)
                write_search(target, job.result() if isinstance(job, IndexJob) else job)
            except (OSError, RuntimeError) as error:  # the next save or rebuild writes it again
                self.log.info(f"预览的搜索索引这次没有更新（{error}），下次保存或重建时会更新。")
            finally:
                reader.close()

        self._later(index)

    # --- `mkdocs serve`'s quick path (portal.site.preview) -------------------------------------
    def _snapshot(self) -> dict[str, tuple[int, int]]:
        root = self.engine.root
        folders = [self.content_dir, self.engine.docs_dir, root / "overrides", root / "hooks"]
        return snapshot([f for f in folders if f.is_dir()], sorted(root.glob("*.y*ml")))

    def patch(self) -> bool:
        """After a save under `mkdocs serve`: when only the bodies of published items changed, render
        their pages again in place and say True; False when the engine must rebuild everything."""
        try:
            return self._patch()
        except Exception as error:  # noqa: BLE001 - the full rebuild is always right
            self.log.info(f"预览快速更新未完成（{type(error).__name__}：{error}），改为完整重建。")
            return False
        finally:
            self.patching = False
            if self.progress:  # it counted the patch's warnings (safe to close again)
                self.progress.close()

    def _patch(self) -> bool:
        if not (self.serve and self.finished and self.renderer and self.plan and self.inputs):
            return False
        started, now = time.monotonic(), self._snapshot()
        edited = edited_items(self.inputs, now, self.content_dir)
        if edited is None:
            return False
        if not edited:  # an editor's scratch file: nothing the site shows changed
            self.inputs = now
            return True
        site, catalogue = self.plan.site, self.plan.site.content.catalogue
        new_items = []
        for rel in edited:
            file = f"{self.shown_as}/{rel}"
            old = site.by_src_uri.get(rel)
            try:
                raw = (self.content_dir / rel).read_bytes()
            except OSError:
                return False
            new, problems = read_item(raw, rel, file, KIND_FOLDERS[rel.split("/")[0]], catalogue)
            if old is None or new is None or blocking(problems):
                return False
            new.assets, new.attachments, more = item_assets(new, self.content_dir, file, self.cache)
            if blocking(more) or not same_but_body(new, old):
                return False
            new_items.append((old, new))
        embed_hosts = tuple(site.settings.embed_hosts)
        checked = [replace(old, body=new.body) for old, new in new_items]
        problems = body_problems(checked, self.shown_as, embed_hosts, self.content_dir, self.cache)
        problems += all_link_problems(checked, self.shown_as, self.pages)
        if blocking(problems):
            return False  # the full rebuild shows the item's problems at its address
        self.progress = Progress(self.log)
        for problem in problems:
            (self.log.warning if problem.level == "warning" else self.log.info)(str(problem))
        for old, new in new_items:  # the same object everywhere (listings, the plan's page data)
            old.body = new.body
            site.prints[old.src_uri] = digest(repr(old))
            self.keys[old.src_uri] = (
                self._page_key(old.src_uri, site.page_inputs(old.src_uri)),
                self.keys[old.src_uri][1],
            )
        uris = [old.src_uri for old, _ in new_items]
        self.skipped.difference_update(uris)
        self.patching = True
        self.renderer(uris, lambda: None)
        self.patching = False
        for uri in uris:
            self.cache.put("text", digest(self.text_salt, site.by_src_uri[uri].body), self.texts.pop(uri))
        output = self.output
        (output / SPRITE).write_bytes(self.compactor.sprite())
        (output / SHELL).write_bytes(self.compactor.shell())
        self._index_later(output / "search")
        self.inputs = now
        self.log.info(
            f"预览：只有 {len(uris)} 篇稿件的正文改了，只重新生成了它们的页面（{time.monotonic() - started:.1f} 秒）。"
        )
        return True

    def _taken(self) -> None:
        """The carried pages are in place (or the build stops)."""
        if self.taking:
            self.taking.join()
            self.taking = None
        if self.carried and self.carried.error:
            error, self.carried.error = self.carried.error, None
            raise BuildStop(
                f"沿用上次生成的页面时出错（{error.strerror or error}），构建已停止（已有的网站没有改动）。"
                "请检查磁盘空间和 site/ 文件夹的权限后重新构建。"
            )

    def fail(self) -> None:
        """A failed build: stop what runs beside it and remove its half-written output."""
        if self.taking:
            self.taking.join()
        self.workers.abort()
        if isinstance(self.search, IndexJob):
            self.search.abort()
        if self.beside:
            self.beside.discard()
        self.release()

    def release(self) -> None:
        """What this build held for itself (the session's resources stay: see `close`)."""
        if self.progress:
            self.progress.close()
        self.search = None
        self.plan = None
        if self.own_texts:  # a build that ended before `finish`
            self.own_texts.remove()
            self.own_texts = None
        self.html, self.texts, self.keys, self.skipped = {}, {}, {}, set()

    def close(self) -> None:
        """The end of the session: everything, the cache's database and the output lock too."""
        self.release()
        if self.writer:
            self.writer.join()
            self.writer = None
        if self.cache:
            self.cache.close()
            self.cache = None
        if self.lock:
            self.lock.release()
            self.lock = None


def _done_with(done: tuple) -> None:
    """An item page's parts the engine names (`done`: the page, then attribute names), set to None:
    an engine may hold every page it rendered until the build ends (MkDocs does), while an item page
    needs its Markdown only until rendered and its HTML only until written (issue 16: memory)."""
    page, *parts = done
    for part in parts:
        setattr(page, part, None)


def _own_share(pages: list[str], renderers: int, others: int) -> set[str]:
    """The item pages the main process renders itself when `renderers` processes share them: as
    many as makes its work (these and the `others` pages it renders anyway) about a renderer's
    share, spread over the list. Workers forked from it copy every page of memory either of them
    writes to (reading an object writes its reference count): two renderers, two copies; two
    forked workers beside a main process rendering listings, three (issue 16: the build's memory)."""
    if renderers < 2:
        return set()
    count = max(0, min(len(pages), round((len(pages) + others) / renderers) - others))
    return {page for k, page in enumerate(pages) if (k * count) // len(pages) != ((k + 1) * count) // len(pages)}


class _OwnTexts:
    """The main process's share of the item pages: their texts for the search index are written to
    a file once all of them are rendered (`rendered`), as a worker writes its share's (portal.site.workers)."""

    def __init__(self, share: set[str]) -> None:
        self.pending = set(share)
        self.share = sorted(share)
        self.folder = tempfile.mkdtemp(prefix="portal-texts-")
        self.path = os.path.join(self.folder, "main.populated")
        self.written = False

    def rendered(self, src_uri: str, texts: Callable[[list[str]], dict]) -> None:
        self.pending.discard(src_uri)
        if not self.pending:
            self.write(texts)

    def write(self, texts: Callable[[list[str]], dict]) -> None:
        """`texts(src_uris)`: the texts by URL (PortalBuild.worker_texts), pickled for the index process."""
        if self.written:
            return
        self.written = True
        with open(self.path + ".part", "wb") as out:
            pickle.dump(texts(self.share), out, protocol=pickle.HIGHEST_PROTOCOL)
        os.rename(self.path + ".part", self.path)  # complete when it appears

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
